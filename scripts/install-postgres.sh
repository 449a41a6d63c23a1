#!/usr/bin/env bash
# Installs PostgreSQL 15 and pg_cron from Debian's packages when they are missing.
# Debian would create and start a default cluster on install; we only want the binaries,
# so that is switched off first (our tests start their own throwaway cluster).
set -euo pipefail

PG_BIN=/usr/lib/postgresql/15/bin
PG_LIB=/usr/lib/postgresql/15/lib
packages=()
[ -x "$PG_BIN/postgres" ] || packages+=(postgresql-15)
[ -f "$PG_LIB/pg_cron.so" ] || packages+=(postgresql-15-cron)
command -v psql >/dev/null 2>&1 || packages+=(postgresql-client-15)
[ ${#packages[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing ${packages[*]} from Debian's packages" >&2
$sudo mkdir -p /etc/postgresql-common
if [ ! -f /etc/postgresql-common/createcluster.conf ] || ! grep -q '^create_main_cluster *= *false' /etc/postgresql-common/createcluster.conf; then
  echo 'create_main_cluster = false' | $sudo tee -a /etc/postgresql-common/createcluster.conf >/dev/null
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null

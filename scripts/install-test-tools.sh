#!/usr/bin/env bash
# Installs what the dashboard tests drive besides PostgreSQL, when it is missing:
#   - headless Chromium (Debian's `chromium`, with `fonts-liberation` so screenshots have real
#     sans-serif text), which renders the pages (Tests/Support/Chromium.swift);
#   - PyPI's `prometheus_client`, whose parser reads /metrics (Tests/Support/PrometheusText.swift
#     runs scripts/parse-prometheus.py with it);
#   - PyPI's `check-jsonschema`, which validates JSON and YAML against JSON Schemas (the spec
#     schema of `matview schema`, SARIF output).
# prometheus_client goes into a virtual environment of its own, .build/test-tools/python (beside
# the build, ignored by git), not into the system's Python: Debian's refuses `pip install` outside
# one (PEP 668), and a root-owned user site is no better. Once both are there this does nothing
# and needs no network.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

packages=()
command -v chromium >/dev/null 2>&1 || packages+=(chromium)
[ -d /usr/share/fonts/truetype/liberation ] || packages+=(fonts-liberation)
command -v python3 >/dev/null 2>&1 || packages+=(python3)
# Debian's python3 makes virtual environments only with python3-venv (other builds, e.g.
# pyenv's, have venv built in).
python3 -c 'import ensurepip' >/dev/null 2>&1 || packages+=(python3-venv)
if [ ${#packages[@]} -gt 0 ]; then
  echo "installing ${packages[*]} from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

venv=.build/test-tools/python
if ! "$venv/bin/python3" -c 'import prometheus_client' >/dev/null 2>&1 || [ ! -x "$venv/bin/check-jsonschema" ]; then
  echo "installing prometheus_client and check-jsonschema from PyPI into $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/python3" -m pip install --quiet --disable-pip-version-check prometheus_client check-jsonschema
fi

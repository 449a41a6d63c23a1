#!/usr/bin/env bash
# Refresh times of the generated views against the seed's original SQL, side by side, on a
# throwaway cluster filled by scripts/seed-data.sql.
#   scripts/refresh-bench.sh [USERS] [TIMEOUT_SECONDS]     (defaults: 100000 users, 300 s)
# Each generated view is refreshed 3 times (plain and, where it has a unique index,
# CONCURRENTLY; medians reported); each seed view is built once with CREATE MATERIALIZED VIEW,
# cancelled after the timeout. The views are the seed's three as full materialized views
# (Tests/IntegrationTests/Fixtures/full-views: the repository's specs before two became
# incremental), generated into a temporary project. Needs the matview binary
# (.build/debug/matview, or MATVIEW=path).
set -euo pipefail
cd "$(dirname "$0")/.."
users=${1:-100000}
timeout=${2:-300}

matview=${MATVIEW:-$PWD/.build/debug/matview}
[ -x "$matview" ] || swift build --product matview >&2
project=$(mktemp -d "${TMPDIR:-/tmp}/refresh-bench.XXXXXX")
mkdir -p "$project/specs"
cp Tests/IntegrationTests/Fixtures/full-views/*.yaml specs/schema.sql "$project/specs/"
(cd "$project" && "$matview" generate >/dev/null)

scripts/install-postgres.sh
source scripts/pg-cluster.sh
pg_start
trap 'pg_stop; rm -rf "$project"' EXIT
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$DATABASE_URL" "$@"; }

# Milliseconds a statement takes, from psql's \timing; "timeout" when it is cancelled.
timed() {
  local out
  if out=$(psql -X -q -v ON_ERROR_STOP=1 "$DATABASE_URL" -c "SET statement_timeout = '${timeout}s'" -c '\timing on' -c "$1" 2>&1); then
    echo "$out" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1
  elif echo "$out" | grep -q "statement timeout"; then
    echo "timeout"
  else
    echo "$out" >&2; return 1
  fi
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

q -c "CREATE EXTENSION pg_cron" -f specs/schema.sql
start=$(date +%s)
q -v users="$users" -f scripts/seed-data.sql
echo "data for $users users in $(( $(date +%s) - start )) s: $(q -c "SELECT (SELECT count(*) FROM projects) || ' projects, ' || (SELECT count(*) FROM tasks) || ' tasks, ' || (SELECT count(*) FROM transactions) || ' transactions, ' || (SELECT count(*) FROM user_sessions) || ' sessions'")"
start_ns=$(date +%s%N)
q -f "$project/generated/sql/up.sql" 2>/dev/null
echo "up.sql (creates everything and builds every view): $(( ($(date +%s%N) - start_ns) / 1000000 )) ms"
q -c "UPDATE cron.job SET active = false"

printf '\n%-22s %14s %16s %18s\n' "view" "refresh (ms)" "concurrent (ms)" "seed original (ms)"
for view in $(q -c "SELECT view_name FROM matview.views ORDER BY refresh_order"); do
  plain=$(for i in 1 2 3; do timed "REFRESH MATERIALIZED VIEW public.$view"; done | median)
  concurrent="-"
  if [ "$(q -c "SELECT use_concurrently FROM matview.views WHERE view_name = '$view'")" = "t" ]; then
    concurrent=$(for i in 1 2 3; do timed "REFRESH MATERIALIZED VIEW CONCURRENTLY public.$view"; done | median)
  fi
  seed_name=${view%_mv}_seed
  seed_sql=$(awk -v name="$seed_name" 'BEGIN{RS=";\n"} $0 ~ "CREATE MATERIALIZED VIEW " name " " {print; exit}' scripts/seed-originals.sql)
  original=$(timed "$seed_sql")
  printf '%-22s %14s %16s %18s\n' "$view" "$plain" "$concurrent" "$original"
done

# What the seed's defects do to the numbers, where its views finished.
if [ "$(q -c "SELECT to_regclass('user_stats_seed') IS NOT NULL")" = "t" ]; then
  echo
  echo "user_stats total_amount, seed original / generated: $(q -c "SELECT round(sum(s.total_amount) / nullif(sum(m.total_amount), 0), 2) FROM user_stats_seed s JOIN user_stats_mv m USING (user_id)")x"
fi

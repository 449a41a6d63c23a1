#!/usr/bin/env bash
# The write path with change capture, against the same writes with the capture triggers
# disabled, on a throwaway cluster filled by scripts/seed-data.sql.
#   scripts/capture-bench.sh [--users N] [--seconds S] [--pairs P] [--samples K] [--min-interval D]
#   (defaults: 20000 users, 20 s per run, 3 pairs, 60 probe samples, min_interval 1s)
#
# Builds a temporary project from the full-view seed specs (Tests/IntegrationTests/Fixtures/
# full-views; dashboard_summary_mv gets `min_interval: D`), generates and applies it, switches pg_cron's jobs off
# and runs the drainer itself (CALL matview.run_drainer(p_source => 'bench', ...); the
# trigger_source is bench-latency and bench-probe in steps 2 and 3) in a background psql
# while capture is on. Then, interleaved (with, without, trigger only, with...):
#   1. throughput: 4 writers (pgbench -c 4 -j 2, scripts/capture-bench/writers.sql: insert a
#      task, touch a project, one transaction) with capture and the drainer running, without
#      capture (triggers disabled), and with capture but no drainer (what the trigger alone costs);
#   2. single-row insert latency: pgbench -c 1, one task per transaction, median of every
#      transaction's latency (pgbench -l), in the same three modes;
#   3. commit -> visible: while the 4 writers write and the drainer runs, a probe
#      (bench_probe.probe in scripts/bench/probe.sql) inserts a user, commits, and polls
#      dashboard_summary_mv every 10 ms until the user is there; p50 and p95 (batches of 10);
#   4. what one idle drainer poll costs: SELECT count(*) FROM matview.due_views(), median.
# Between runs the tasks the run added are deleted (triggers off) and the tables vacuumed, so
# every run starts from the same data. Prints a Markdown table at the end.
# Needs PostgreSQL 15 + pg_cron (scripts/install-postgres.sh) and the matview binary
# (.build/debug/matview, or MATVIEW=path; built with `swift build --product matview` if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

users=20000
seconds=20
pairs=3
samples=60
min_interval=1s
while [ $# -gt 0 ]; do
  case "$1" in
    --users) users=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --pairs) pairs=$2; shift 2 ;;
    --samples) samples=$2; shift 2 ;;
    --min-interval) min_interval=$2; shift 2 ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

matview=${MATVIEW:-$repo/.build/debug/matview}
if [ ! -x "$matview" ]; then
  echo "building matview (swift build --product matview)" >&2
  swift build --product matview >&2
fi

scripts/install-postgres.sh
work=$(mktemp -d "${TMPDIR:-/tmp}/capture-bench.XXXXXX")
cleanup() {
  local pid
  for pid in $(jobs -p); do kill "$pid" 2>/dev/null || true; done  # our own background psql / pgbench
  pg_stop
  rm -rf "$work"
}
source scripts/pg-cluster.sh
pg_start
trap cleanup EXIT

q() { psql -X -q -At -v ON_ERROR_STOP=1 "$DATABASE_URL" "$@"; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "n/a"; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2] + a[NR/2+1]) / 2}'; }
# Nearest-rank percentile of the numbers on stdin: percentile 95
percentile() { sort -g | awk -v p="$1" '{a[NR]=$1} END {if (NR == 0) {print "n/a"; exit} i = int(NR * p / 100); if (i < NR * p / 100) i++; if (i < 1) i = 1; print a[i]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b == 0 || a == "n/a" || b == "n/a") print "n/a"; else printf "%.2f", a / b}'; }
fmt() { awk -v x="$1" -v d="${2:-1}" 'BEGIN {if (x == "n/a") print x; else printf "%.*f", d, x}'; }

# The project: the seed's views as full materialized views (the specs before the dashboard became
# incremental, kept for the tests in Tests/IntegrationTests/Fixtures/full-views: this benchmark
# is of change capture and full refreshes), with min_interval on the dashboard.
full_views=Tests/IntegrationTests/Fixtures/full-views
mkdir -p "$work/project"
mkdir -p "$work/project/specs"
cp "$full_views"/*.yaml specs/schema.sql "$work/project/specs/"
awk -v mi="$min_interval" '{print} /^  on_change: queue$/ {print "  min_interval: " mi}' "$full_views/dashboard_summary.yaml" \
  > "$work/project/specs/dashboard_summary.yaml"
grep -q "^  min_interval: $min_interval\$" "$work/project/specs/dashboard_summary.yaml" \
  || { echo "could not set min_interval in the dashboard spec" >&2; exit 1; }
(cd "$work/project" && "$matview" generate >"$work/generate.log" 2>&1) || { cat "$work/generate.log" >&2; exit 1; }

# Data and views.
q -c "CREATE EXTENSION pg_cron" -f "$work/project/specs/schema.sql"
start=$(date +%s)
q -v users="$users" -f scripts/seed-data.sql
q -f "$work/project/generated/sql/up.sql" 2>/dev/null
q -c "UPDATE cron.job SET active = false" -c "VACUUM ANALYZE"
q -f scripts/capture-bench/setup.sql
q -f scripts/bench/probe.sql
captured=$(q -c "SELECT string_agg(tgrelid::regclass::text, ' ' ORDER BY 1) FROM pg_trigger WHERE tgname = 'matview_capture_changes'")
read -r pmin pmax base_tasks <<<"$(q -F ' ' -c "SELECT min(id), max(id), (SELECT max(id) FROM tasks) FROM projects")"
data=$(q -c "SELECT (SELECT count(*) FROM users) || ' users, ' || (SELECT count(*) FROM projects) || ' projects, ' || (SELECT count(*) FROM tasks) || ' tasks, ' || (SELECT count(*) FROM transactions) || ' transactions'")
echo "data: $data (loaded and applied in $(( $(date +%s) - start )) s); capture triggers on: $captured" >&2

# The dashboard's refresh with nothing else running, 3 times (median), for comparison.
idle_refresh_ms=$(for i in 1 2 3; do q -c "INSERT INTO matview.pending_changes (view_name, source_table) VALUES ('dashboard_summary_mv', 'bench')" \
  -c "SELECT matview.refresh('dashboard_summary_mv', 'bench-idle')" -c "SELECT duration_ms FROM matview.refresh_log ORDER BY id DESC LIMIT 1" | tail -1; done | median)

capture() {  # on | off
  local t verb=ENABLE
  [ "$1" = off ] && verb=DISABLE
  for t in $captured; do q -c "ALTER TABLE $t $verb TRIGGER matview_capture_changes"; done
}
# Back to the starting data: the run's tasks deleted (not captured), the queue emptied, vacuumed.
reset_data() {
  capture off
  q -c "DELETE FROM tasks WHERE id > $base_tasks" -c "DELETE FROM users WHERE name LIKE 'capture-bench probe %'" \
    -c "TRUNCATE matview.pending_changes" -c "VACUUM ANALYZE tasks, projects, users, matview.pending_changes" -c "CHECKPOINT"
}
drainer_start() {  # seconds source
  psql -X -q -v ON_ERROR_STOP=1 "$DATABASE_URL" -c "SET application_name = 'capture-bench-drainer'" \
    -c "CALL matview.run_drainer(p_source => '$2', p_seconds => $1, p_poll_seconds => 0.2)" >"$work/drainer.log" 2>&1 &
  drainer_pid=$!
}
writers() {  # seconds
  pgbench -n -c 4 -j 2 -T "$1" -f scripts/capture-bench/writers.sql -D pmin="$pmin" -D pmax="$pmax" "$DATABASE_URL" 2>&1
}
tps_of() { sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p'; }

# 1. Throughput, interleaved: with capture (+ drainer), without, trigger only.
tp_with=(); tp_without=(); tp_trigger=(); pending_end=()
for i in $(seq 1 "$pairs"); do
  reset_data; capture on
  drainer_start "$seconds" bench
  out=$(writers "$seconds")
  pending_end+=("$(q -c "SELECT count(*) FROM matview.pending_changes")")
  wait "$drainer_pid"
  tp_with+=("$(echo "$out" | tps_of)")

  reset_data
  out=$(writers "$seconds")
  tp_without+=("$(echo "$out" | tps_of)")

  reset_data; capture on
  out=$(writers "$seconds")
  tp_trigger+=("$(echo "$out" | tps_of)")
  echo "throughput pair $i: with ${tp_with[-1]} tps, without ${tp_without[-1]} tps, trigger only ${tp_trigger[-1]} tps; pending at the end of the with run: ${pending_end[-1]}" >&2
done
refresh_stats() {  # trigger_source view -> "median max count"
  q -F ' ' -c "SELECT coalesce(round(percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms))::text, 'n/a'), coalesce(round(max(duration_ms))::text, 'n/a'), count(*) FROM matview.refresh_log WHERE trigger_source = '$1' AND view_name = '$2' AND status = 'succeeded'"
}
read -r bench_dash_med bench_dash_max bench_dash_n <<<"$(refresh_stats bench dashboard_summary_mv)"
read -r bench_us_med bench_us_max bench_us_n <<<"$(refresh_stats bench user_stats_mv)"
bench_failed=$(q -c "SELECT count(*) FROM matview.refresh_log WHERE trigger_source = 'bench' AND status = 'failed'")

# 2. Single-row insert latency, interleaved: with capture (+ drainer), without, trigger only.
lat_with=(); lat_without=(); lat_trigger=()
for i in $(seq 1 "$pairs"); do
  for mode in with without trigger; do
    reset_data
    [ $mode = without ] || capture on
    if [ $mode = with ]; then drainer_start "$seconds" bench-latency; fi
    rm -f "$work"/lat.*
    pgbench -n -c 1 -j 1 -T "$seconds" -f scripts/capture-bench/single-insert.sql -D pmin="$pmin" -D pmax="$pmax" \
      -l --log-prefix="$work/lat" "$DATABASE_URL" >/dev/null 2>&1
    if [ $mode = with ]; then wait "$drainer_pid"; fi
    ms=$(cat "$work"/lat.* | awk '{print $3 / 1000}' | median)
    case $mode in with) lat_with+=("$ms") ;; without) lat_without+=("$ms") ;; trigger) lat_trigger+=("$ms") ;; esac
  done
  echo "insert latency pair $i: with ${lat_with[-1]} ms, without ${lat_without[-1]} ms, trigger only ${lat_trigger[-1]} ms (medians)" >&2
done

# 3. Commit -> visible, while the 4 writers write and the drainer drains. In batches of 10
# samples, each from the starting data, so the writers' new tasks (thousands a second) do not
# make the view, and its refresh, ever larger as the probe goes on.
probe_seconds=0; probe_tasks=0; done_samples=0
while [ "$done_samples" -lt "$samples" ]; do
  batch=$(( samples - done_samples < 10 ? samples - done_samples : 10 ))
  reset_data; capture on
  budget=$(( batch * 15 + 30 ))
  drainer_start "$budget" bench-probe
  pgbench -n -c 4 -j 2 -T "$budget" -f scripts/capture-bench/writers.sql -D pmin="$pmin" -D pmax="$pmax" "$DATABASE_URL" \
    >"$work/probe-writers.log" 2>&1 &
  writers_pid=$!
  sleep 2
  probe_start=$(date +%s)
  q -c "CALL bench_probe.probe($(( done_samples + 1 )), $batch, 0.01, 0.3, 30, 'capture-bench probe')"
  probe_seconds=$(( probe_seconds + $(date +%s) - probe_start ))
  q -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'capture-bench-drainer'" >/dev/null
  kill "$writers_pid" 2>/dev/null || true
  wait "$writers_pid" 2>/dev/null || true
  wait "$drainer_pid" 2>/dev/null || true
  probe_tasks=$(( probe_tasks + $(q -c "SELECT count(*) FROM tasks WHERE id > $base_tasks") ))
  done_samples=$(( done_samples + batch ))
done
q -c "SELECT extract(epoch FROM visible_at - committed_at) * 1000 FROM bench_probe.probe_results WHERE visible_at IS NOT NULL" >"$work/probe.ms"
probe_seen=$(wc -l <"$work/probe.ms")
probe_p50=$(percentile 50 <"$work/probe.ms")
probe_p95=$(percentile 95 <"$work/probe.ms")
probe_max=$(percentile 100 <"$work/probe.ms")
read -r probe_dash_med probe_dash_max probe_dash_n <<<"$(refresh_stats bench-probe dashboard_summary_mv)"
read -r probe_us_med probe_us_max probe_us_n <<<"$(refresh_stats bench-probe user_stats_mv)"

# 4. One idle drainer poll.
reset_data; capture on
q -c "SELECT matview.drain_queue()" >/dev/null
rm -f "$work"/due.*
pgbench -n -c 1 -j 1 -T 5 -f scripts/capture-bench/due-views.sql -l --log-prefix="$work/due" "$DATABASE_URL" >/dev/null 2>&1
poll_ms=$(cat "$work"/due.* | awk '{print $3 / 1000}' | median)
poll_server_ms=$(q -c "SELECT * FROM capture_bench.time_polls(1000)" | median)

# The table.
tpw=$(printf '%s\n' "${tp_with[@]}" | median); tpo=$(printf '%s\n' "${tp_without[@]}" | median); tpt=$(printf '%s\n' "${tp_trigger[@]}" | median)
lw=$(printf '%s\n' "${lat_with[@]}" | median); lo=$(printf '%s\n' "${lat_without[@]}" | median); lt=$(printf '%s\n' "${lat_trigger[@]}" | median)
tp_ratio=$(ratio "$tpw" "$tpo"); tpt_ratio=$(ratio "$tpt" "$tpo"); lat_ratio=$(ratio "$lw" "$lo"); latt_ratio=$(ratio "$lt" "$lo")
verdict() { awk -v x="$1" -v op="$2" -v g="$3" 'BEGIN {if (x == "n/a") print "n/a"; else if ((op == ">=" && x >= g) || (op == "<=" && x <= g) || (op == "<" && x < g)) print "met"; else print "**missed**"}'; }
list() { local x out=""; for x in "$@"; do out+="${out:+, }$(fmt "$x" "${FMT_DIGITS:-0}")"; done; echo "$out"; }
p95_s=$(awk -v x="$probe_p95" 'BEGIN {print (x == "n/a") ? x : x / 1000}')

cat <<EOF

Write path with change capture: $(date -u +%Y-%m-%d), $(nproc) cores, PostgreSQL $(q -c 'SHOW server_version'); $data;
dashboard_summary_mv min_interval $min_interval; $pairs interleaved runs of $seconds s each.

| measure | with capture | without capture | ratio | goal |
| --- | --- | --- | --- | --- |
| throughput, 4 writers, drainer running (TPS, median; runs) | $(fmt "$tpw" 0) ($(list "${tp_with[@]}")) | $(fmt "$tpo" 0) ($(list "${tp_without[@]}")) | ${tp_ratio}x | >= 0.8x: $(verdict "$tp_ratio" ">=" 0.8) |
| throughput, 4 writers, trigger only, no drainer (TPS) | $(fmt "$tpt" 0) ($(list "${tp_trigger[@]}")) | $(fmt "$tpo" 0) | ${tpt_ratio}x | (diagnostic) |
| single-row insert latency, median (ms; runs) | $(fmt "$lw" 3) ($(FMT_DIGITS=3 list "${lat_with[@]}")) | $(fmt "$lo" 3) ($(FMT_DIGITS=3 list "${lat_without[@]}")) | ${lat_ratio}x | <= 1.2x: $(verdict "$lat_ratio" "<=" 1.2) |
| single-row insert latency, trigger only, no drainer (ms) | $(fmt "$lt" 3) ($(FMT_DIGITS=3 list "${lat_trigger[@]}")) | $(fmt "$lo" 3) | ${latt_ratio}x | (diagnostic) |
| commit -> visible in dashboard_summary_mv, p50 / p95 / max (ms; $probe_seen of $samples seen) | $(fmt "$probe_p50" 0) / $(fmt "$probe_p95" 0) / $(fmt "$probe_max" 0) | | | p95 < 1.5 s: $(verdict "$p95_s" "<" 1.5) |
| idle drainer poll, \`SELECT count(*) FROM matview.due_views()\`, median (ms; client / server) | $(fmt "$poll_ms" 3) / $(fmt "$poll_server_ms" 3) | | | |
| matview.pending_changes rows at the end of each with-capture throughput run | $(list "${pending_end[@]}") | | | |
| dashboard_summary_mv refresh alone, no writers (ms, median of 3) | $(fmt "$idle_refresh_ms" 0) | | | |
| dashboard_summary_mv refresh during the throughput runs (source 'bench'; ms, median / max, count) | $bench_dash_med / $bench_dash_max, $bench_dash_n refreshes | | | |
| user_stats_mv refresh during the throughput runs (source 'bench'; ms, median / max, count) | $bench_us_med / $bench_us_max, $bench_us_n refreshes | | | |
| during the probe ($probe_seconds s in batches of 10 samples, $probe_tasks tasks written): dashboard / user_stats refreshes (ms, median / max, count) | $probe_dash_med / $probe_dash_max, $probe_dash_n / $probe_us_med / $probe_us_max, $probe_us_n | | | |
EOF
[ "$bench_failed" = 0 ] || echo "warning: $bench_failed refreshes failed during the throughput runs (see matview.refresh_log)" >&2

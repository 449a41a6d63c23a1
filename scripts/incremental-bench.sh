#!/usr/bin/env bash
# The write path with incremental maintenance (refresh: {strategy: incremental}), against the
# same writes with no maintenance, on a throwaway cluster filled by scripts/seed-data.sql.
#   scripts/incremental-bench.sh [--users N] [--seconds S] [--pairs P] [--samples K]
#   (defaults: 100000 users, 15 s per pgbench run, 4 pairs, 40 probe samples; about 26 minutes)
#
# One server, one run. The seed data is loaded once and copied (CREATE DATABASE ... TEMPLATE)
# into two databases, each with a project built from specs/ (copied; the repository's specs are
# not touched) in which dashboard_summary_mv and user_stats_mv are `strategy: incremental`
# (no `concurrently`) and system_analytics_mv stays as it is:
#   incbench_immediate  with on_change: immediate
#   incbench_queue      with on_change: queue (the drainer, CALL matview.run_drainer(), runs in a
#                       background psql during queue runs, as in scripts/capture-bench.sh)
# "none" (no maintenance) is the same deployment with matview's triggers disabled (ALTER TABLE
# ... DISABLE TRIGGER for every trigger whose function is in the matview schema): the same
# tables, indexes and data, so the only difference is the work the triggers do. The runs of the
# modes are interleaved (order alternating per pair), so drift hits all alike. Measured:
#   1. single-row transaction latency, 1 client, median and p95 (pgbench -l): insert a task,
#      update a task's status, delete a task, and set a user's last_login (a column no view
#      reads: the update triggers return at once); immediate vs none;
#   2. a 10k-row insert (5 tasks in each of 2,000 projects spread over the users) in one
#      transaction, immediate vs none, and one REFRESH MATERIALIZED VIEW of a plain
#      materialized view with dashboard_summary_mv's defining query (the view tasks feed);
#      5 times each, medians;
#   3. 4 writers' throughput (pgbench -c 4 -j 2, scripts/incremental-bench/writers.sql: a task
#      inserted, a project touched, a transaction inserted, one transaction): immediate vs none,
#      queue (drainer running) vs none, and, as the ceiling of any immediate maintenance, triggers
#      that do only the least it must (setup.sql's incbench.least_*: find the group, lock it,
#      move one column of its row) vs none; and, as the ceiling of queue mode, its capture alone
#      (triggers on, no drainer: the changes only queued) vs none;
#   4. queue mode, commit -> visible in dashboard_summary_mv, p50 / p95, while the 4 writers
#      write (probe: insert a user, commit, poll every 10 ms; a sample unseen after 10 s counts
#      as unseen), and, as a diagnostic, up to 10 samples with no other writer;
#   5. time per affected group: single-row insert latency immediate minus none, against one full
#      refresh of dashboard_summary_mv.
# Between runs the data goes back to the start (incbench.reset(): rows added deleted, rows
# deleted restored, rows updated reverted, with the triggers off), the tables are vacuumed, and
# after a run that maintained the views they are rebuilt (matview.refresh), so every run starts
# equal. Prints a Markdown table at the end.
# BENCH_STRATEGY=full deploys both databases as full-refresh queued views (harness check only).
# Needs PostgreSQL 15 + pg_cron (scripts/install-postgres.sh) and the matview binary
# (.build/debug/matview, or MATVIEW=path).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
here=$repo/scripts/incremental-bench

users=100000
seconds=15
pairs=4
samples=40
while [ $# -gt 0 ]; do
  case "$1" in
    --users) users=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --pairs) pairs=$2; shift 2 ;;
    --samples) samples=$2; shift 2 ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
strategy=${BENCH_STRATEGY:-incremental}
case "$strategy" in incremental|full) ;; *) echo "BENCH_STRATEGY is incremental or full" >&2; exit 2 ;; esac

matview=${MATVIEW:-$repo/.build/debug/matview}
[ -x "$matview" ] || { echo "no matview binary at $matview (swift build --product matview, or MATVIEW=path)" >&2; exit 2; }

scripts/install-postgres.sh
work=$(mktemp -d "${TMPDIR:-/tmp}/incremental-bench.XXXXXX")
cleanup() {
  local pid
  for pid in $(jobs -p); do kill "$pid" 2>/dev/null || true; done  # our own background psql / pgbench
  wait 2>/dev/null || true
  pg_stop
  rm -rf "$work"
}
source scripts/pg-cluster.sh
pg_start
trap cleanup EXIT
server_url=$DATABASE_URL

db_url() { python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$server_url" "$1"; }
IMM=incbench_immediate
QUE=incbench_queue
declare -A url
url[$IMM]=$(db_url $IMM)
url[$QUE]=$(db_url $QUE)
url[incbench_seed]=$(db_url incbench_seed)
q() { local db=$1; shift; psql -X -q -At -v ON_ERROR_STOP=1 "${url[$db]}" "$@"; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "n/a"; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2] + a[NR/2+1]) / 2}'; }
# Nearest-rank percentile of the numbers on stdin: percentile 95
percentile() { sort -g | awk -v p="$1" '{a[NR]=$1} END {if (NR == 0) {print "n/a"; exit} i = int(NR * p / 100); if (i < NR * p / 100) i++; if (i < 1) i = 1; print a[i]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b == 0 || a == "n/a" || b == "n/a") print "n/a"; else printf "%.2f", a / b}'; }
fmt() { awk -v x="$1" -v d="${2:-1}" 'BEGIN {if (x == "n/a") print x; else printf "%.*f", d, x}'; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "n/a" || b == "n/a") print "n/a"; else print a - b}'; }
verdict() { awk -v x="$1" -v op="$2" -v g="$3" 'BEGIN {if (x == "n/a") print "n/a"; else if ((op == ">=" && x >= g) || (op == "<=" && x <= g) || (op == "<" && x < g)) print "met"; else print "**missed**"}'; }
list() { local x out=""; for x in "$@"; do out+="${out:+, }$(fmt "$x" "${FMT_DIGITS:-0}")"; done; echo "$out"; }

# The projects: the repository's specs with the two views incremental.
make_project() {  # dir on_change
  local dir=$1 on_change=$2 f
  mkdir -p "$dir"
  cp -R specs "$dir/specs"
  printf 'specs: specs\n' >"$dir/matview.yaml"
  for f in dashboard_summary user_stats; do
    if [ "$strategy" = full ]; then
      awk '/^  (strategy|on_change|min_interval): / {next} /^refresh:$/ {print; print "  on_change: queue"; print "  min_interval: 0s"; next} {print}' "specs/$f.yaml" >"$dir/specs/$f.yaml"
    else
      # Whatever specs/ says now: strategy incremental, on_change of the run, no concurrently.
      awk -v oc="$on_change" '/^  (concurrently|strategy|on_change): / {next}
                              /^refresh:$/ {print; print "  strategy: incremental"; print "  on_change: " oc; next} {print}' "specs/$f.yaml" >"$dir/specs/$f.yaml"
    fi
    grep -q '^  on_change: ' "$dir/specs/$f.yaml" || { echo "specs/$f.yaml has no on_change line to set" >&2; exit 1; }
  done
  (cd "$dir" && "$matview" check >"$dir/check.log" 2>&1) || { echo "matview check rejected $dir/specs:" >&2; cat "$dir/check.log" >&2; exit 1; }
  (cd "$dir" && "$matview" generate >"$dir/generate.log" 2>&1) || { cat "$dir/generate.log" >&2; exit 1; }
}
make_project "$work/immediate" immediate
make_project "$work/queue" queue

# Data: loaded once, copied into both databases.
start=$(date +%s)
psql -X -q -v ON_ERROR_STOP=1 "$server_url" -c "CREATE DATABASE incbench_seed"
q incbench_seed -f specs/schema.sql
q incbench_seed -v users="$users" -f scripts/seed-data.sql
q incbench_seed -c "VACUUM ANALYZE"
psql -X -q -v ON_ERROR_STOP=1 "$server_url" -c "CREATE DATABASE $IMM TEMPLATE incbench_seed" -c "CREATE DATABASE $QUE TEMPLATE incbench_seed" -c "DROP DATABASE incbench_seed"
for db in $IMM $QUE; do
  mode=${db#incbench_}
  (cd "$work/$mode" && "$matview" apply --database-url "${url[$db]}" >"$work/$mode-apply.log" 2>&1) \
    || { echo "matview apply failed ($db):" >&2; cat "$work/$mode-apply.log" >&2; exit 1; }
  q "$db" -f "$here/setup.sql"
  q "$db" -f "$repo/scripts/bench/probe.sql"
  q "$db" -c "VACUUM ANALYZE"
done
# The full refresh to compare with: a plain materialized view of dashboard_summary_mv's query.
q $IMM -c "SELECT 'CREATE MATERIALIZED VIEW incbench.dashboard_full AS ' || definition FROM matview.views WHERE view_name = 'dashboard_summary_mv'" >"$work/full.sql"
q $IMM -f "$work/full.sql"
read -r pmin pmax tmin tmax umax <<<"$(q $IMM -F ' ' -c "SELECT min(id), max(id), (SELECT min(id) FROM tasks), (SELECT max(id) FROM tasks), (SELECT max(id) FROM users) FROM projects")"
data=$(q $IMM -c "SELECT (SELECT count(*) FROM users) || ' users, ' || (SELECT count(*) FROM projects) || ' projects, ' || (SELECT count(*) FROM tasks) || ' tasks, ' || (SELECT count(*) FROM transactions) || ' transactions'")
echo "data: $data (loaded and applied in $(( $(date +%s) - start )) s)" >&2
for db in $IMM $QUE; do
  echo "$db: $(q "$db" -c "SELECT string_agg(view_name || ' ' || on_change, ', ' ORDER BY view_name) FROM matview.views"); triggers: $(q "$db" -c "SELECT string_agg(table_name || '.' || trigger_name, ' ') FROM incbench.matview_triggers()")" >&2
done

declare -A maintained=([$IMM]=1 [$QUE]=1)
# Back to the starting data with the triggers of the next run: on (maintained), off (none), or
# least (matview's off, incbench.least_* on: setup.sql).
reset() {  # db on|off
  local db=$1 msg
  msg=$(q "$db" -c "SELECT incbench.reset()")
  q "$db" -c "VACUUM ANALYZE tasks, projects, transactions, users"
  if [ "${maintained[$db]}" = 1 ]; then
    q "$db" -c "SELECT matview.refresh(view_name, 'bench-reset') FROM matview.views WHERE view_name IN ('dashboard_summary_mv', 'user_stats_mv') ORDER BY refresh_order" >/dev/null \
      || echo "warning: rebuilding the views after a run failed ($db)" >&2
    q "$db" -c "VACUUM ANALYZE dashboard_summary_mv, user_stats_mv"
  fi
  q "$db" -c "TRUNCATE matview.pending_changes" -c "CHECKPOINT"
  case "$2" in
    on) q "$db" -c "SELECT incbench.set_triggers(true)" >/dev/null; maintained[$db]=1 ;;
    least) q "$db" -c "SELECT incbench.set_least(true)" >/dev/null; maintained[$db]=1 ;;  # the views drift: rebuilt after
    *) maintained[$db]=0 ;;
  esac
  [ -z "${BENCH_VERBOSE:-}" ] || echo "reset $db: $msg" >&2
}
drainer_pid=""
drainer_start() {  # db seconds source
  PGAPPNAME=incbench-drainer psql -X -q -v ON_ERROR_STOP=1 "${url[$1]}" \
    -c "CALL matview.run_drainer(p_source => '$3', p_seconds => $2, p_poll_seconds => 0.2)" >>"$work/drainer.log" 2>&1 &
  drainer_pid=$!
}
drainer_stop() {  # db
  q "$1" -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'incbench-drainer'" >/dev/null
  wait "$drainer_pid" 2>/dev/null || true
}
tps_of() { sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p'; }
stat_of() { awk -v k="$1" 'index($0, k) == 1 {s = substr($0, length(k) + 1); if (match(s, /[0-9]+/)) {print substr(s, RSTART, RLENGTH); found = 1; exit}} END {if (!found) print 0}'; }
pgb() { pgbench -n -D pmin="$pmin" -D pmax="$pmax" -D tmin="$tmin" -D tmax="$tmax" -D umax="$umax" "$@"; }

# 1. Single-row latency, 1 client: immediate vs none, interleaved (order alternating per pair).
declare -A lat_med lat_p95   # key: op,mode -> space-separated list over pairs
latency_run() {  # op mode; sets res to "median p95" (ms)
  local op=$1 mode=$2
  reset $IMM "$([ "$mode" = immediate ] && echo on || echo off)"
  rm -f "$work"/lat.*
  pgb -c 1 -j 1 -T "$seconds" -f "$here/single-$op.sql" -l --log-prefix="$work/lat" "${url[$IMM]}" >"$work/lat-$op-$mode.out" 2>&1 \
    || { echo "pgbench failed ($op, $mode):" >&2; tail -5 "$work/lat-$op-$mode.out" >&2; exit 1; }
  cat "$work"/lat.* | awk '{print $3 / 1000}' >"$work/latency-ms.txt"
  res="$(median <"$work/latency-ms.txt") $(percentile 95 <"$work/latency-ms.txt") $(wc -l <"$work/latency-ms.txt")"
}
for i in $(seq 1 "$pairs"); do
  order="immediate none"; [ $(( i % 2 )) = 0 ] && order="none immediate"
  for op in insert update delete login; do
    for mode in $order; do
      latency_run $op $mode
      read -r m p n <<<"$res"
      [ -z "${BENCH_VERBOSE:-}" ] || echo "  $op $mode: median $m ms, p95 $p ms over $n transactions" >&2
      lat_med[$op,$mode]+="$m "; lat_p95[$op,$mode]+="$p "
    done
    echo "latency pair $i, $op: immediate $(echo ${lat_med[$op,immediate]} | awk '{print $NF}') ms (p95 $(echo ${lat_p95[$op,immediate]} | awk '{print $NF}')), none $(echo ${lat_med[$op,none]} | awk '{print $NF}') ms (p95 $(echo ${lat_p95[$op,none]} | awk '{print $NF}'))" >&2
  done
done

# 2. The 10k-row insert, immediate vs none, and one full refresh; 5 times, interleaved.
ins_imm=(); ins_none=(); full_refresh=()
insert_10k() {  # mode; appends ms (BEGIN + INSERT + COMMIT, client side) to ins_<mode>
  reset $IMM "$([ "$1" = immediate ] && echo on || echo off)"
  res=$(q $IMM -f "$here/insert-10k.sql" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | awk '{s += $1} END {print s}')
  if [ "$1" = immediate ]; then ins_imm+=("$res"); else ins_none+=("$res"); fi
}
for i in 1 2 3 4 5; do
  if [ $(( i % 2 )) = 1 ]; then insert_10k immediate; insert_10k none; else insert_10k none; insert_10k immediate; fi
  full_refresh+=("$(q $IMM -c "SELECT incbench.time_sql('REFRESH MATERIALIZED VIEW incbench.dashboard_full')")")
  echo "10k insert $i: immediate ${ins_imm[-1]} ms, none ${ins_none[-1]} ms; full refresh of dashboard_summary_mv's query ${full_refresh[-1]} ms" >&2
done

# 3. Throughput, 4 writers: immediate vs none, queue (+ drainer) vs none.
tp_imm=(); tp_imm_none=(); tp_que=(); tp_que_none=(); tp_least=(); tp_capture=(); tp_failed=0; tp_retried=0; que_pending=(); que_catchup=()
writers_run() {  # db on|off|least drainer(yes|no) list; appends the TPS to the array named list
  local db=$1 out
  reset "$db" "$2"
  [ "$3" = yes ] && drainer_start "$db" $(( seconds + 120 )) bench
  pgb -c 4 -j 2 -T "$seconds" --max-tries=10 -f "$here/writers.sql" "${url[$db]}" >"$work/writers.out" 2>&1 \
    || { echo "pgbench (writers) failed ($db $2):" >&2; tail -5 "$work/writers.out" >&2; exit 1; }
  tp_failed=$(( tp_failed + $(stat_of "number of failed transactions: " <"$work/writers.out") ))
  tp_retried=$(( tp_retried + $(stat_of "number of transactions retried: " <"$work/writers.out") ))
  if [ "$3" = yes ]; then
    local t0 pending waited=0
    que_pending+=("$(q "$db" -c "SELECT count(*) FROM matview.pending_changes")")
    t0=$(date +%s.%N)
    pending=${que_pending[-1]}
    while [ "$pending" != 0 ] && [ "$waited" -lt 600 ]; do sleep 0.1; waited=$(( waited + 1 )); pending=$(q "$db" -c "SELECT count(*) FROM matview.pending_changes"); done
    que_catchup+=("$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')")
    drainer_stop "$db"
  fi
  local -n into=$4
  into+=("$(tps_of <"$work/writers.out")")
}
for i in $(seq 1 "$pairs"); do
  if [ $(( i % 2 )) = 1 ]; then
    writers_run $IMM on no tp_imm; writers_run $IMM off no tp_imm_none; writers_run $IMM least no tp_least
    writers_run $QUE on yes tp_que; writers_run $QUE off no tp_que_none; writers_run $QUE on no tp_capture
  else
    writers_run $IMM least no tp_least; writers_run $IMM off no tp_imm_none; writers_run $IMM on no tp_imm
    writers_run $QUE on no tp_capture; writers_run $QUE off no tp_que_none; writers_run $QUE on yes tp_que
  fi
  echo "throughput pair $i: immediate ${tp_imm[-1]} / none ${tp_imm_none[-1]} tps (the least triggers: ${tp_least[-1]}); queue ${tp_que[-1]} / none ${tp_que_none[-1]} tps (pending at the end ${que_pending[-1]}, drained ${que_catchup[-1]} s later; capture alone ${tp_capture[-1]})" >&2
done

# 4. Queue mode, commit -> visible: first with no other writer (what the drainer's cycle and one
# drain cost), then while the 4 writers write and the drainer drains.
reset $QUE on
idle_samples=$(( samples < 10 ? samples : 10 ))
drainer_start $QUE 7200 bench-probe-idle
q $QUE -c "CALL bench_probe.probe(100001, $idle_samples, 0.01, 0.3, 10, 'incremental-bench probe')"
drainer_stop $QUE
q $QUE -c "SELECT extract(epoch FROM visible_at - committed_at) * 1000 FROM bench_probe.probe_results WHERE sample > 100000 AND visible_at IS NOT NULL" >"$work/probe-idle.ms"
idle_seen=$(wc -l <"$work/probe-idle.ms")
idle_p50=$(percentile 50 <"$work/probe-idle.ms"); idle_p95=$(percentile 95 <"$work/probe-idle.ms")
reset $QUE on
drainer_start $QUE 7200 bench-probe  # stopped (cancelled) after the probe
pgb -c 4 -j 2 -T 7200 --max-tries=10 -f "$here/writers.sql" "${url[$QUE]}" >"$work/probe-writers.log" 2>&1 &
writers_pid=$!
sleep 2
q $QUE -c "CALL bench_probe.probe(1, $samples, 0.01, 0.3, 10, 'incremental-bench probe')"  # a sample not seen within 10 s counts as unseen
kill "$writers_pid" 2>/dev/null || true
wait "$writers_pid" 2>/dev/null || true
drainer_stop $QUE
q $QUE -c "SELECT extract(epoch FROM visible_at - committed_at) * 1000 FROM bench_probe.probe_results WHERE sample <= 100000 AND visible_at IS NOT NULL" >"$work/probe.ms"
probe_seen=$(wc -l <"$work/probe.ms")
probe_p50=$(percentile 50 <"$work/probe.ms"); probe_p95=$(percentile 95 <"$work/probe.ms"); probe_max=$(percentile 100 <"$work/probe.ms")
refresh_failures=$(q $QUE -c "SELECT count(*) FROM matview.refresh_log WHERE status = 'failed'")
drain_stats() {  # trigger_source -> one line per view
  q $QUE -c "SELECT string_agg(format('%s: %s drains, duration median %s ms, max %s ms, %s changes applied', view_name, n, med, mx, ch), '; ' ORDER BY view_name)
             FROM (SELECT view_name, count(*) AS n, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms)) AS med, round(max(duration_ms)) AS mx,
                          coalesce(sum(changes_applied), 0) AS ch
                   FROM matview.refresh_log WHERE trigger_source = '$1' AND status = 'succeeded' GROUP BY view_name) x"
}
drains_bench=$(drain_stats bench)
drains_probe=$(drain_stats bench-probe)
drains_idle=$(drain_stats bench-probe-idle)
grep -v "canceling statement due to user request\|^$" "$work/drainer.log" | grep -i "error" | sort | uniq -c | head -5 >&2 || true

# The table.
med_of() { echo $1 | tr ' ' '\n' | median; }
rows=""
for op in insert update delete login; do
  mi=$(med_of "${lat_med[$op,immediate]}"); mn=$(med_of "${lat_med[$op,none]}")
  pi=$(med_of "${lat_p95[$op,immediate]}"); pn=$(med_of "${lat_p95[$op,none]}")
  r=$(ratio "$mi" "$mn"); rp=$(ratio "$pi" "$pn")
  what="single-row $op"; goal="<= 1.5x: $(verdict "$r" "<=" 1.5)"
  [ "$op" = login ] && { what="single-row update of users.last_login (a column no view reads)"; goal="(report)"; }
  rows+="| $what, 1 client, immediate: median / p95 (ms; median runs $(FMT_DIGITS=3 list ${lat_med[$op,immediate]})) | $(fmt "$mi" 3) / $(fmt "$pi" 3) | none: $(fmt "$mn" 3) / $(fmt "$pn" 3) ($(FMT_DIGITS=3 list ${lat_med[$op,none]})) | ${r}x / ${rp}x | $goal |"$'\n'
done
li=$(med_of "${lat_med[insert,immediate]}"); ln=$(med_of "${lat_med[insert,none]}")
i10=$(printf '%s\n' "${ins_imm[@]}" | median); n10=$(printf '%s\n' "${ins_none[@]}" | median); fr=$(printf '%s\n' "${full_refresh[@]}" | median)
r10=$(ratio "$i10" "$n10"); r10f=$(ratio "$i10" "$fr")
tpi=$(printf '%s\n' "${tp_imm[@]}" | median); tpin=$(printf '%s\n' "${tp_imm_none[@]}" | median)
tpq=$(printf '%s\n' "${tp_que[@]}" | median); tpqn=$(printf '%s\n' "${tp_que_none[@]}" | median)
tpl=$(printf '%s\n' "${tp_least[@]}" | median); tpc=$(printf '%s\n' "${tp_capture[@]}" | median)
rti=$(ratio "$tpi" "$tpin"); rtq=$(ratio "$tpq" "$tpqn"); rtl=$(ratio "$tpl" "$tpin"); rtc=$(ratio "$tpc" "$tpqn")
per_group=$(minus "$li" "$ln"); rg=$(ratio "$per_group" "$fr")
p95_s=$(awk -v x="$probe_p95" 'BEGIN {print (x == "n/a") ? x : x / 1000}')

cat <<EOF

Incremental maintenance on the write path: $(date -u +%Y-%m-%d), $(nproc) cores, PostgreSQL $(q $IMM -c 'SHOW server_version'); $data;
dashboard_summary_mv and user_stats_mv $( [ "$strategy" = full ] && echo "FULL-REFRESH QUEUED (BENCH_STRATEGY=full: harness check, not a result)" || echo "incremental"); "none" = the same deployment with matview's triggers disabled;
$pairs interleaved pairs of $seconds s pgbench runs; 10k insert and full refresh 5 times each.

| measure | ours | compared with | ratio | goal |
| --- | --- | --- | --- | --- |
${rows}| 10k-row insert in one transaction, immediate (ms, median of 5: $(list "${ins_imm[@]}")) | $(fmt "$i10" 0) | none: $(fmt "$n10" 0) ($(list "${ins_none[@]}")) | ${r10}x | <= 2x: $(verdict "$r10" "<=" 2) |
| 10k-row insert, immediate (ms; the maintenance alone, immediate minus none: $(fmt "$(minus "$i10" "$n10")" 0)) | $(fmt "$i10" 0) | one full refresh of dashboard_summary_mv's query: $(fmt "$fr" 0) ($(list "${full_refresh[@]}")) | ${r10f}x | < 1x: $(verdict "$r10f" "<" 1) |
| throughput, 4 writers, immediate (TPS, median; runs $(list "${tp_imm[@]}")) | $(fmt "$tpi" 0) | none: $(fmt "$tpin" 0) ($(list "${tp_imm_none[@]}")) | ${rti}x | >= 0.8x: $(verdict "$rti" ">=" 0.8) |
| throughput, 4 writers, the least any immediate maintenance must do (find, lock, move one column: setup.sql's incbench.least_*; no view stays exact) (TPS; runs $(list "${tp_least[@]}")) | $(fmt "$tpl" 0) | none: $(fmt "$tpin" 0) | ${rtl}x | (the ceiling of the row above) |
| throughput, 4 writers, queue with the drainer running (TPS; runs $(list "${tp_que[@]}")) | $(fmt "$tpq" 0) | none: $(fmt "$tpqn" 0) ($(list "${tp_que_none[@]}")) | ${rtq}x | >= 0.8x: $(verdict "$rtq" ">=" 0.8) |
| throughput, 4 writers, queue capture alone (triggers on, no drainer; nothing applied) (TPS; runs $(list "${tp_capture[@]}")) | $(fmt "$tpc" 0) | none: $(fmt "$tpqn" 0) | ${rtc}x | (the ceiling of the row above) |
| queue, commit -> visible in dashboard_summary_mv under 4 writers: p50 / p95 / max (ms; $probe_seen of $samples seen) | $(fmt "$probe_p50" 0) / $(fmt "$probe_p95" 0) / $(fmt "$probe_max" 0) | - | - | p95 < 1 s: $(verdict "$p95_s" "<" 1) |
| queue, commit -> visible in dashboard_summary_mv with no other writer: p50 / p95 (ms; $idle_seen of $idle_samples seen) | $(fmt "$idle_p50" 0) / $(fmt "$idle_p95" 0) | - | - | (diagnostic) |
| time per affected group: single-row insert latency, immediate minus none (ms) | $(fmt "$per_group" 3) | one full refresh of dashboard_summary_mv's query: $(fmt "$fr" 0) ms | $(awk -v g="$per_group" -v f="$fr" 'BEGIN {if (g == "n/a" || f == "n/a" || f == 0) print "n/a"; else if (g <= 0) print "<= 0 (within noise)"; else printf "%.2gx (1/%d)", g / f, f / g}') | (report) |

queue runs: pending changes when the writers stopped $(list "${que_pending[@]}"), drained $(printf '%s s, ' "${que_catchup[@]}" | sed 's/, $//') later; writers' transactions retried $tp_retried, failed $tp_failed (all throughput runs); failed refreshes in the queue database: $refresh_failures.
drains during the queue throughput runs: ${drains_bench:-none}.
drains during the probe under 4 writers: ${drains_probe:-none}.
drains during the probe with no other writer: ${drains_idle:-none}.
EOF

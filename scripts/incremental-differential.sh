#!/usr/bin/env bash
# The differential test of incremental maintenance (refresh: {strategy: incremental}), longer
# and with any seed: a seeded random workload from concurrent pgbench clients, then every
# deployed view compared with its defining query, EXCEPT ALL both ways.
#   scripts/incremental-differential.sh [--seed N] [--seconds S] [--users U] [--clients C]
#       [--mode immediate|queue|both] [--database-url URL] [--keep]
#   (defaults: seed 1, 20 s, 300 users, 4 clients, both modes)
#
# Without --database-url it starts a throwaway cluster (scripts/pg-cluster.sh); with one, it
# creates a scratch database per mode on that server (incdiff_<mode>_<pid>) and drops it at the
# end (--keep keeps it, and the temporary project, for a look). Per mode:
#   1. the seed schema (specs/schema.sql) filled by scripts/seed-data.sql with U users, and
#      deadlock_timeout 100 ms for the database (deadlocks are part of the workload); and
#      matview.difference_min_rows 0, matview.difference_max_rows 5, so that in immediate mode
#      every statement of up to 5 rows on a table maintained by difference takes the difference
#      (by default only writes to big groups do) and larger ones recompute;
#   2. a temporary project (matview.yaml + specs/) of the fixture specs in
#      scripts/incremental-differential/specs/ with `on_change:` set to the mode; `matview
#      generate`, `matview apply`; pg_cron's jobs (if pg_cron is in that database) switched off;
#      in queue mode the drainer runs in a background psql
#      (CALL matview.run_drainer('differential', S + 90, 0.05): it outlives the 60 s wait
#      below, and is cancelled once the queue is empty);
#   3. pgbench, C clients, --random-seed=N, --max-tries=10, for S seconds, with the weighted
#      scripts of scripts/incremental-differential/workload/ (inserts, updates that move rows
#      between groups or set group keys to NULL and back, deletes, on every source table;
#      transactions touching two groups in opposite orders, which deadlock and are retried;
#      savepoints rolled back; whole transactions rolled back; 1 in 500 a TRUNCATE tasks), and
#      once, a third of the way in, a TRUNCATE transactions from another session;
#   4. in queue mode: wait for the drainer to apply every pending change (60 s at most; after
#      that SELECT matview.drain_queue() is called and the run counts as failed), then check that
#      each queued view's last logged row count (refresh_log.row_count) is its table's;
#   5. every view of matview.views against its defining query: rows only in the view, rows only
#      in the query, up to 5 samples of each. Exit 1 when any view differs (or the workload
#      failed with an error pgbench does not retry, or the queue did not drain by itself);
#   6. every incremental view's full rebuild would find no group to repair (its drifted keys,
#      which compare the rows and the hidden sums and counts of averages, are none);
#   7. `matview verify` agrees: it exits 0 (every view, and every view's hidden sums and
#      counts, equal to what the defining query gives).
# Prints one line per mode:
#   mode=immediate seed=1 transactions=... retried=... failed=... views=N differing_rows=0
#
# INCDIFF_STRATEGY=full runs the same harness on full-refresh views (the strategy lines
# dropped, on_change: queue and min_interval: 0s in both modes, drainer running), to prove the
# harness itself where the compiler does not take `strategy: incremental` yet.
# Needs PostgreSQL 15 (+ pg_cron for the throwaway cluster; scripts/install-postgres.sh) and the
# matview binary (.build/debug/matview, or MATVIEW=path).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
here=$repo/scripts/incremental-differential

seed=1
seconds=20
users=300
clients=4
modes="immediate queue"
server_url=""
keep=false
while [ $# -gt 0 ]; do
  case "$1" in
    --seed) seed=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --users) users=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --mode)
      case "$2" in immediate|queue) modes=$2 ;; both) modes="immediate queue" ;; *) echo "--mode takes immediate, queue or both" >&2; exit 2 ;; esac
      shift 2 ;;
    --database-url) server_url=$2; shift 2 ;;
    --keep) keep=true; shift ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
strategy=${INCDIFF_STRATEGY:-incremental}
case "$strategy" in incremental|full) ;; *) echo "INCDIFF_STRATEGY is incremental or full" >&2; exit 2 ;; esac

matview=${MATVIEW:-$repo/.build/debug/matview}
[ -x "$matview" ] || { echo "no matview binary at $matview (swift build --product matview, or MATVIEW=path)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/incremental-differential.XXXXXX")
own_cluster=false
dbs=()
cleanup() {
  local pid db
  for pid in $(jobs -p); do kill "$pid" 2>/dev/null || true; done  # our own background psql
  wait 2>/dev/null || true
  if ! $keep; then
    for db in "${dbs[@]}"; do
      psql -X -q "$server_url" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
    done
  fi
  if $own_cluster && ! $keep; then pg_stop; fi
  if $keep; then echo "kept: $work ${dbs[*]} ${PG_DIR:+(cluster in $PG_DIR on port $PG_PORT; stop it with pg_ctl -D $PG_DIR/data stop)}" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

if [ -z "$server_url" ]; then
  scripts/install-postgres.sh
  source scripts/pg-cluster.sh
  pg_start
  own_cluster=true
  server_url=$DATABASE_URL
fi
# The URL of database $1 on the same server (same user, host, port and parameters).
db_url() { python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$server_url" "$1"; }
# The first number after "$1" in a pgbench report (0 when the line is absent).
stat_of() { awk -v k="$1" 'index($0, k) == 1 {s = substr($0, length(k) + 1); if (match(s, /[0-9]+/)) {print substr(s, RSTART, RLENGTH); found = 1; exit}} END {if (!found) print 0}'; }

status=0
run_mode() {
  local mode=$1 db="incdiff_${1}_$$" url on_change spec f rc=0 drainer_pid="" truncate_pid="" waited=0 pending failed_mode=0
  dbs+=("$db")
  url=$(db_url "$db")
  q() { psql -X -q -At -v ON_ERROR_STOP=1 "$url" "$@"; }
  echo "== mode $mode: database $db" >&2

  # 1. Schema and data.
  psql -X -q -v ON_ERROR_STOP=1 "$server_url" -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null
  # Deadlocks are part of the workload: find them after 100 ms rather than the default 1 s, so
  # the clients spend their time writing rather than waiting for the detector.
  q -c "ALTER DATABASE $db SET deadlock_timeout = '100ms'" \
    -c "ALTER DATABASE $db SET matview.difference_min_rows = 0" -c "ALTER DATABASE $db SET matview.difference_max_rows = 5"
  q -f specs/schema.sql
  q -v users="$users" -f scripts/seed-data.sql
  local counts
  counts=$(q -F ' ' -c "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM projects), (SELECT count(*) FROM tasks), (SELECT count(*) FROM transactions)")
  read -r nu np nt nx <<<"$counts"
  if [ "$nu" = 0 ] || [ "$np" = 0 ] || [ "$nt" = 0 ] || [ "$nx" = 0 ]; then
    echo "the seed left a source table empty: users $nu, projects $np, tasks $nt, transactions $nx (try more --users)" >&2; return 1
  fi
  echo "data: $nu users, $np projects, $nt tasks, $nx transactions" >&2

  # 2. The project: the fixture specs with on_change set to the mode.
  local project=$work/$mode
  mkdir -p "$project/specs"
  printf 'specs: specs\n' >"$project/matview.yaml"
  cp specs/schema.sql "$project/specs/schema.sql"
  on_change=$mode
  for spec in "$here"/specs/*.yaml; do
    f=$project/specs/$(basename "$spec")
    if [ "$strategy" = full ]; then
      awk '/^  strategy: incremental$/ {next} /^  on_change: / {print "  on_change: queue"; print "  min_interval: 0s"; next} {print}' "$spec" >"$f"
    else
      sed "s/^  on_change: .*/  on_change: $on_change/" "$spec" >"$f"
    fi
    grep -q '^  on_change: ' "$f" || { echo "$spec has no on_change line to set" >&2; return 1; }
  done
  (cd "$project" && "$matview" check >"$work/$mode-check.log" 2>&1) || { echo "matview check rejected the fixture specs ($mode):" >&2; cat "$work/$mode-check.log" >&2; return 1; }
  (cd "$project" && "$matview" generate >"$work/$mode-generate.log" 2>&1) || { cat "$work/$mode-generate.log" >&2; return 1; }
  (cd "$project" && "$matview" apply --database-url "$url" >"$work/$mode-apply.log" 2>&1) || { echo "matview apply failed ($mode):" >&2; cat "$work/$mode-apply.log" >&2; return 1; }
  q -c "DO \$\$ BEGIN IF to_regclass('cron.job') IS NOT NULL THEN UPDATE cron.job SET active = false; END IF; END \$\$"
  q -f "$here/compare.sql"
  q -c "VACUUM ANALYZE"
  local views
  views=$(q -c "SELECT string_agg(format('%s (%s, %s)', view_name, CASE WHEN to_jsonb(v) ? 'strategy' THEN to_jsonb(v)->>'strategy' ELSE 'full' END, on_change), ', ' ORDER BY refresh_order, view_name) FROM matview.views v")
  echo "deployed: $views" >&2
  if [ "$strategy" = incremental ]; then
    local not_incremental
    not_incremental=$(q -c "SELECT count(*) FROM matview.views v WHERE coalesce(to_jsonb(v)->>'strategy', 'full') <> 'incremental' OR on_change <> '$mode'")
    [ "$not_incremental" = 0 ] || { echo "FAILURE: $not_incremental views are not deployed as incremental with on_change $mode" >&2; status=1; }
  fi
  local before
  before=$(q -c "SELECT coalesce(sum(coalesce(only_in_view, 1) + coalesce(only_in_query, 1)), 0) FROM incdiff.compare()")
  [ "$before" = 0 ] || echo "warning: the views differ from their queries before the workload ($before rows)" >&2

  local drains_queue=false
  { [ "$mode" = queue ] || [ "$strategy" = full ]; } && drains_queue=true
  if $drains_queue; then
    PGAPPNAME="incdiff-drainer" psql -X -q -v ON_ERROR_STOP=1 "$url" \
      -c "CALL matview.run_drainer('differential', $(( seconds + 90 )), 0.05)" >"$work/$mode-drainer.log" 2>&1 &
    drainer_pid=$!
  fi

  # 3. The workload.
  local umax pmax tmax
  read -r umax pmax tmax <<<"$(q -F ' ' -c "SELECT (SELECT max(id) FROM users) + 20, (SELECT max(id) FROM projects) + 20, (SELECT max(id) FROM tasks) + 100")"
  ( sleep $(( seconds / 3 )); for i in 1 2 3 4 5; do
      if psql -X -q -v ON_ERROR_STOP=1 "$url" -c "TRUNCATE transactions" >>"$work/$mode-truncate.log" 2>&1; then echo "TRUNCATE transactions done (try $i)" >>"$work/$mode-truncate.log"; exit 0; fi
      sleep 0.2
    done; exit 1 ) &
  truncate_pid=$!
  local w=$here/workload
  pgbench -n -c "$clients" -j "$(( clients < 2 ? 1 : 2 ))" -T "$seconds" --random-seed="$seed" --max-tries=10 --failures-detailed \
    -D umax="$umax" -D pmax="$pmax" -D tmax="$tmax" -D hot=4 \
    -f "$w/task-insert.sql@170" -f "$w/task-update.sql@150" -f "$w/task-move.sql@80" -f "$w/task-delete.sql@80" \
    -f "$w/project-write.sql@100" -f "$w/transaction-write.sql@130" -f "$w/user-write.sql@70" \
    -f "$w/two-groups.sql@100" -f "$w/savepoints.sql@60" -f "$w/rollback.sql@58" -f "$w/truncate-tasks.sql@2" \
    "$url" >"$work/$mode-pgbench.out" 2>"$work/$mode-pgbench.err" || rc=$?
  local truncated=yes server_deadlocks
  server_deadlocks=$(q -c "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
  wait "$truncate_pid" || truncated=no
  local processed failed retried retries deadlocks aborted
  processed=$(stat_of "number of transactions actually processed: " <"$work/$mode-pgbench.out")
  failed=$(stat_of "number of failed transactions: " <"$work/$mode-pgbench.out")
  retried=$(stat_of "number of transactions retried: " <"$work/$mode-pgbench.out")
  retries=$(stat_of "total number of retries: " <"$work/$mode-pgbench.out")
  deadlocks=$(stat_of "number of deadlock failures: " <"$work/$mode-pgbench.out")
  aborted=$(grep -c "aborted" "$work/$mode-pgbench.err" || true)
  local truncates
  truncates=$(awk '/^SQL script [0-9]+: .*truncate-tasks.sql/ {getline; getline; if (match($0, /[0-9]+ transactions/)) print substr($0, RSTART, RLENGTH - 13)}' "$work/$mode-pgbench.out")
  echo "pgbench (exit $rc): $processed transactions, $retried retried ($retries retries), $failed failed ($deadlocks of them deadlocks after 10 tries), ${truncates:-0} TRUNCATE tasks; TRUNCATE transactions after a third: $truncated; deadlocks the server detected: $server_deadlocks" >&2
  if [ "$rc" != 0 ] || [ "$aborted" != 0 ]; then
    echo "pgbench reported errors it does not retry ($mode):" >&2
    grep -v "^pgbench: warning" "$work/$mode-pgbench.err" | sort | uniq -c | sort -rn | head -20 >&2
    failed_mode=1
  fi
  [ "$truncated" = yes ] || { echo "TRUNCATE transactions failed 5 times:" >&2; cat "$work/$mode-truncate.log" >&2; failed_mode=1; }

  # 4. The queue drains by itself.
  if $drains_queue; then
    pending=$(q -c "SELECT count(*) FROM matview.pending_changes")
    while [ "$pending" != 0 ] && [ "$waited" -lt 300 ]; do
      sleep 0.2; waited=$(( waited + 1 ))
      pending=$(q -c "SELECT count(*) FROM matview.pending_changes")
    done
    echo "queue: drained by the drainer in $(awk -v w="$waited" 'BEGIN {printf "%.1f", w / 5}') s after the workload (pending now $pending)" >&2
    q -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'incdiff-drainer' AND datname = current_database()" >/dev/null
    wait "$drainer_pid" 2>/dev/null || true
    if grep -q "ERROR" "$work/$mode-drainer.log" && ! grep -q "canceling statement due to user request" "$work/$mode-drainer.log"; then
      echo "the drainer failed:" >&2; cat "$work/$mode-drainer.log" >&2; failed_mode=1
    fi
    local refresh_failures
    refresh_failures=$(q -c "SELECT count(*) FROM matview.refresh_log WHERE status = 'failed'")
    if [ "$refresh_failures" != 0 ]; then
      echo "$refresh_failures failed refreshes in matview.refresh_log:" >&2
      q -c "SELECT view_name || ': ' || error FROM matview.refresh_log WHERE status = 'failed' GROUP BY view_name, error" >&2
      failed_mode=1
    fi
    if [ "$pending" != 0 ]; then
      echo "FAILURE: $pending changes still pending 60 s after the workload; calling matview.drain_queue()" >&2
      q -c "SELECT matview.drain_queue()" >/dev/null
      failed_mode=1
    fi
    # Each drain logs the row count as the last one plus what it added and deleted: after all
    # the drains of the workload the last logged count must be the table's.
    local counts_off
    counts_off=$(q -c "
      SELECT string_agg(format('%s: logged %s, counted %s', v.view_name, coalesce(l.row_count::text, 'nothing'), c.n), '; ')
      FROM matview.views v
      LEFT JOIN LATERAL (SELECT row_count FROM matview.refresh_log l WHERE l.view_name = v.view_name AND l.status = 'succeeded'
                         ORDER BY l.started_at DESC LIMIT 1) l ON true
      CROSS JOIN LATERAL (SELECT (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I', v.schema_name, v.view_name), false, true, '')))[1]::text::bigint AS n) c
      WHERE v.on_change = 'queue' AND l.row_count IS DISTINCT FROM c.n")
    if [ -n "$counts_off" ]; then
      echo "FAILURE: the logged row counts differ from the tables: $counts_off" >&2
      failed_mode=1
    else
      echo "queue: every queued view's last logged row count is its table's" >&2
    fi
  fi

  # 5. Every view against its defining query.
  local nviews=0 differing=0 name rows only_view only_query error
  while IFS=$'\t' read -r name rows only_view only_query error; do
    nviews=$(( nviews + 1 ))
    if [ -n "$error" ]; then
      echo "  $name: comparison failed: $error" >&2; differing=$(( differing + 1 )); continue
    fi
    echo "  $name: $rows rows; only in the view: $only_view, only in the query: $only_query" >&2
    differing=$(( differing + only_view + only_query ))
    if [ "$only_view" != 0 ]; then
      echo "    only in the view (up to 5):" >&2
      q -c "SELECT view_samples FROM incdiff.compare() WHERE view_name = '$name'" | sed 's/^/      /' >&2
    fi
    if [ "$only_query" != 0 ]; then
      echo "    only in the query (up to 5):" >&2
      q -c "SELECT query_samples FROM incdiff.compare() WHERE view_name = '$name'" | sed 's/^/      /' >&2
    fi
  done < <(q -F $'\t' -c "SELECT view_name, view_rows, only_in_view, only_in_query, coalesce(error, '') FROM incdiff.compare()")
  [ "$nviews" -gt 0 ] || { echo "no views deployed" >&2; failed_mode=1; }
  [ "$differing" = 0 ] || failed_mode=1

  # 6. A full rebuild would repair nothing: no incremental view has drifted groups, which
  #    compares its rows and, where averages keep them, their hidden sums and counts.
  local drifted
  drifted=$(q -c "
    SELECT string_agg(format('%s: %s groups', v.view_name, d.n), '; ')
    FROM matview.views v
    CROSS JOIN LATERAL (SELECT (xpath('/row/n/text()', query_to_xml(format('SELECT cardinality(matview.%I()) AS n', v.maintenance_prefix || '_drifted_keys'), false, true, '')))[1]::text::int AS n) d
    WHERE v.maintenance_prefix IS NOT NULL AND d.n <> 0")
  if [ -n "$drifted" ]; then
    echo "FAILURE: a full rebuild would repair: $drifted" >&2
    failed_mode=1
  else
    echo "every incremental view's rows and hidden sums and counts are what a rebuild writes" >&2
  fi
  # 7. The command users run after a deploy says the same.
  if (cd "$project" && "$matview" verify --database-url "$url" >"$work/$mode-verify.log" 2>&1); then
    echo "matview verify: every view equal" >&2
  else
    echo "FAILURE: matview verify found differences:" >&2
    cat "$work/$mode-verify.log" >&2
    failed_mode=1
  fi

  local line="mode=$mode seed=$seed transactions=$processed retried=$retried failed=$failed views=$nviews differing_rows=$differing"
  [ "$strategy" = full ] && line+=" (strategy full: harness check)"
  echo "$line"
  [ "$failed_mode" = 0 ] || status=1
  if ! $keep; then
    psql -X -q "$server_url" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  fi
}

for mode in $modes; do
  run_mode "$mode"  # set -e: a setup step that fails ends the script (the trap cleans up)
done
[ "$status" = 0 ] && echo "incremental-differential: every view equals its defining query" >&2 || echo "incremental-differential: FAILED (see above)" >&2
exit "$status"

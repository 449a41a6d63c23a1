#!/usr/bin/env bash
# Immediate maintenance by difference against the recompute of the whole group, by group size.
#   scripts/difference-bench.sh [--users N] [--writes W] [--sizes "S1 S2 ..."]
#   (defaults: 10000 users, 1000 single-row writes per run, groups of 1000 and 10000 tasks)
#
# One server, one run, one database with two immediate incremental views over the same query
# (the seed's dashboard, specs/dashboard_summary.yaml's select list):
#   by_difference   a write to tasks moves the stored row by its difference (DeltaAnalysis);
#   by_recompute    the same query with `having: count(*) > 0`, which holds for every group (a
#                   user with no project still has one row) but which the difference does not
#                   cover, so a write to tasks recomputes the user's group from all its rows.
# Each view is measured on its own run of the same writes, the other view's trigger for that
# event off meanwhile; the time is read per trigger function (track_functions = pl,
# pg_stat_user_functions: total time per call, the recompute it falls back to included). After
# each run tasks go back to what they were and the paused view is rebuilt (matview.refresh), so
# both runs start from the same groups. Measured, W single-row writes per run (pgbench, 1
# client), each an insert (an open task), an update (a task's status toggled, updated_at set) and
# a delete, with the default settings (a write of at most 10 rows takes the difference, see
# README):
#   - of random tasks or projects of the seed data (0-7 tasks per project, 0-4 projects per user),
#     and the same with matview.difference_min_rows = 100 (only rows joining 100 rows of the
#     table or more take the difference: these small groups are recomputed after the count);
#   - for each size S, in one project loaded with S tasks beforehand.
# Then both views are compared with each other, EXCEPT ALL both ways (they must be equal), and
# a Markdown table is printed: per measure, the mean µs per write of each, the ratio, and how
# many of by_difference's writes recomputed (a small group, or a lost maximum, say).
# Needs PostgreSQL 15 + pg_cron (scripts/install-postgres.sh) and the matview binary
# (.build/debug/matview, or MATVIEW=path).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

users=10000
writes=1000
sizes="1000 10000"
while [ $# -gt 0 ]; do
  case "$1" in
    --users) users=$2; shift 2 ;;
    --writes) writes=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    -h|--help) sed -n '2,4p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
matview=${MATVIEW:-$repo/.build/debug/matview}
[ -x "$matview" ] || { echo "no matview binary at $matview (swift build --product matview, or MATVIEW=path)" >&2; exit 2; }

scripts/install-postgres.sh
work=$(mktemp -d "${TMPDIR:-/tmp}/difference-bench.XXXXXX")
source scripts/pg-cluster.sh
pg_start
trap 'pg_stop; rm -rf "$work"' EXIT
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$DATABASE_URL" "$@"; }

# The project: the seed schema and the two views.
mkdir -p "$work/specs"
cp specs/schema.sql "$work/specs/schema.sql"
printf 'specs: specs\n' >"$work/matview.yaml"
view_spec() {  # name having
  cat <<EOF
view: $1
from: users u
join:
  - left: projects p
    on: p.user_id = u.id
  - left: tasks t
    on: t.project_id = p.id
group_by: [u.id, u.name]
$2
select:
  user_id: u.id
  name: u.name
  total_projects: count(distinct p.id)
  total_tasks: count(distinct t.id)
  completed_tasks: sum(case when t.status = 'completed' then 1 else 0 end)
  avg_completion_seconds: avg(extract(epoch from t.completed_at - t.created_at))
  last_activity: max(greatest(u.updated_at, p.updated_at, t.updated_at))
indexes:
  - columns: [user_id]
    unique: true
refresh:
  strategy: incremental
  on_change: immediate
EOF
}
view_spec by_difference "" >"$work/specs/by_difference.yaml"
view_spec by_recompute "having: count(*) > 0" >"$work/specs/by_recompute.yaml"

q -f specs/schema.sql
q -v users="$users" -f scripts/seed-data.sql
# Random tasks are taken from the seed data's (the big groups' come after).
read -r tmin tmax <<<"$(q -F ' ' -c "SELECT min(id), max(id) FROM tasks")"
# The big groups, loaded before the views are built: one project (of its own user) per size.
declare -A project
i=0
for size in $sizes; do
  i=$((i + 1))
  project[$size]=$(q -c "SELECT min(id) FROM projects WHERE user_id = (SELECT min(user_id) FROM projects WHERE user_id > $((i * 97)))")
  # A third completed; creation and last change spread over the last days, as the seed's are.
  q -c "INSERT INTO tasks (project_id, status, completed_at, created_at, updated_at)
        SELECT ${project[$size]}, CASE WHEN g % 3 = 0 THEN 'completed' ELSE 'open' END,
               CASE WHEN g % 3 = 0 THEN now() - make_interval(hours => g % 50) END, now() - interval '3 days',
               now() - make_interval(mins => g)
        FROM generate_series(1, $size) AS g"
done
q -c "VACUUM ANALYZE"
(cd "$work" && "$matview" generate >"$work/generate.log" 2>&1 && "$matview" apply --database-url "$DATABASE_URL" >"$work/apply.log" 2>&1) \
  || { cat "$work/generate.log" "$work/apply.log" >&2; exit 1; }
# No scheduled rebuild during the runs (where pg_cron is in this database).
q -c "DO \$\$ BEGIN IF to_regclass('cron.job') IS NOT NULL THEN UPDATE cron.job SET active = false; END IF; END \$\$"
read -r pmin pmax <<<"$(q -F ' ' -c "SELECT min(id), max(id) FROM projects")"

# Per view: µs per call of its INSERT trigger on tasks, and calls of its recompute.
stats() {  # view event
  q -F ' ' -c "SELECT round((f.total_time / f.calls * 1000)::numeric, 1)
               FROM pg_trigger t JOIN pg_stat_user_functions f ON f.funcid = t.tgfoid
               WHERE t.tgrelid = 'public.tasks'::regclass AND t.tgname = 'matview_$1_$2'"
}
recomputes() {  # view event: calls of its recompute function (the trigger's function name, _apply)
  q -c "SELECT coalesce(sum(a.calls), 0) FROM pg_trigger t JOIN pg_proc f ON f.oid = t.tgfoid
        JOIN pg_stat_user_functions a ON a.funcname = regexp_replace(f.proname, '_[0-9]+_$2$', '_apply')
        WHERE t.tgrelid = 'public.tasks'::regclass AND t.tgname = 'matview_$1_$2'"
}
q -c "CREATE TABLE bench_saved AS SELECT * FROM tasks"

rows=()
# One view's maintenance over W writes, the other view's trigger for that event off meanwhile
# (so neither runs in the other's measure: a 10 ms recompute beside a write leaves it cold
# caches); afterwards tasks go back to what they were (both views maintained) and the paused
# view is rebuilt, so each run starts from the same groups. Sets us and fallbacks.
measure_view() {  # view other event script [settings for the writers]
  q -c "ALTER TABLE tasks DISABLE TRIGGER matview_$2_$3" -c "SELECT pg_stat_reset()" >/dev/null
  PGOPTIONS="-c track_functions=pl ${5:-}" pgbench -n -c 1 -j 1 -t "$writes" -D pmin="$pmin" -D pmax="$pmax" -D tmin="$tmin" -D tmax="$tmax" \
    -f "$4" "$DATABASE_URL" >"$work/pgbench.out" 2>&1 || { cat "$work/pgbench.out" >&2; exit 1; }
  sleep 1
  us=$(stats "$1" "$3"); fallbacks=$(recomputes "$1" "$3")
  q -c "ALTER TABLE tasks ENABLE TRIGGER matview_$2_$3" \
    -c "DELETE FROM tasks t WHERE NOT EXISTS (SELECT 1 FROM bench_saved s WHERE s.id = t.id)" \
    -c "INSERT INTO tasks SELECT * FROM bench_saved s WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = s.id)" \
    -c "UPDATE tasks t SET status = s.status, updated_at = s.updated_at FROM bench_saved s
        WHERE s.id = t.id AND (t.status, t.updated_at) IS DISTINCT FROM (s.status, s.updated_at)" \
    -c "SELECT matview.refresh('$2')" >/dev/null
}
measure() {  # label tasks-in-group event pgbench-script [settings for the writers]
  local d r dr
  measure_view by_difference by_recompute "$3" "$4" "${5:-}"; d=$us; dr=$fallbacks
  measure_view by_recompute by_difference "$3" "$4" "${5:-}"; r=$us
  rows+=("| $3 $1 | $2 | $d | $r | $(awk -v a="$d" -v b="$r" 'BEGIN {printf "%.2f", a / b}') | $dr of $writes |")
  echo "$3 $1: by difference $d µs, by recompute $r µs per write ($dr fallbacks)" >&2
}
script() {  # name where-a-task-is-taken-from (SQL over tasks) project-for-inserts
  local from=""
  [ "$3" = id ] && from=" FROM projects WHERE id >= :r ORDER BY id LIMIT 1"
  printf '%s\n' '\set r random(:pmin, :pmax)' "INSERT INTO tasks (project_id, status) SELECT $3, 'open'$from;" >"$work/$1-insert.sql"
  printf '%s\n' '\set r random(:tmin, :tmax)' \
    "UPDATE tasks SET status = CASE status WHEN 'completed' THEN 'open' ELSE 'completed' END, updated_at = now() WHERE id = (SELECT id FROM tasks WHERE $2 AND id >= :r ORDER BY id LIMIT 1);" \
    >"$work/$1-update.sql"
  printf '%s\n' '\set r random(:tmin, :tmax)' "DELETE FROM tasks WHERE id = (SELECT id FROM tasks WHERE $2 AND id >= :r ORDER BY id LIMIT 1);" >"$work/$1-delete.sql"
}
script random "id <= :tmax" id
for event in insert update delete; do
  measure "(random project)" "0-7" $event "$work/random-$event.sql"
  # The same with a least group size asked for: these small groups then recompute, after the
  # trigger counted their rows.
  measure "(random project), min_rows 100" "0-7" $event "$work/random-$event.sql" "-c matview.difference_min_rows=100"
done
for size in $sizes; do
  # Its own tasks' ids are one range (loaded by one INSERT, after the seed data's); a random one
  # is taken from it.
  read -r lo hi <<<"$(q -F ' ' -c "SELECT min(id), max(id) FROM tasks WHERE project_id = ${project[$size]} AND id > $tmax")"
  script "big-$size" "project_id = ${project[$size]} AND id >= $lo + (:r - :tmin) % ($hi - $lo + 1)" "${project[$size]}"
  for event in insert update delete; do
    measure "(one project)" "$size" $event "$work/big-$size-$event.sql"
  done
done

differing=$(q -c "SELECT (SELECT count(*) FROM (SELECT * FROM by_difference EXCEPT ALL SELECT * FROM by_recompute) a)
                       + (SELECT count(*) FROM (SELECT * FROM by_recompute EXCEPT ALL SELECT * FROM by_difference) b)")
echo
echo "Maintenance per single-row write to tasks ($users users, $writes writes per run; trigger time per write, mean):"
echo
echo "| write | tasks in the project | by difference (µs) | by recompute (µs) | ratio | by_difference recomputed |"
echo "| --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${rows[@]}"
echo
echo "rows differing between the two views afterwards: $differing"
[ "$differing" = 0 ] || { echo "the two views differ" >&2; exit 1; }

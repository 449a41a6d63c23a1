import MatviewDriver
import MatviewSema
import MatviewSyntax
import XCTest

/// Output column types and nullability, inferred by PostgreSQL's rules, through the whole front
/// end (Compiler.compile) against the seed schema plus a table of the types the seed lacks.
final class TypeInferenceTests: XCTestCase {
    /// Compiles one spec that must have no errors; returns `name type NULL|NOT NULL` per column.
    private func columns(_ spec: String, file: StaticString = #filePath, line: UInt = #line) -> [String] {
        let output = Fixtures.compile(spec)
        XCTAssertEqual(Fixtures.errors(output).map(Fixtures.render), [], file: file, line: line)
        guard let view = output.project.views.first else {
            XCTFail("the view was not checked", file: file, line: line)
            return []
        }
        return Fixtures.describeColumns(view)
    }

    /// The single column of a view `from` some sources that selects `expr`.
    private func column(_ expr: String, from: String = "users u", join: String = "", groupBy: String? = nil,
                        file: StaticString = #filePath, line: UInt = #line) -> String? {
        let spec = """
        view: v_mv
        from: \(from)
        \(join)\(groupBy.map { "group_by: \($0)\n" } ?? "")select:
          c: \(expr)
        """
        let described = columns(spec, file: file, line: line)
        return described.first.map { String($0.dropFirst(2)) }
    }

    // MARK: - Aggregates

    func testSumAndAvgFollowPgProc() {
        XCTAssertEqual(columns("""
        view: metrics_mv
        from: daily_metrics m
        group_by: [m.user_id]
        select:
          user_id: m.user_id
          sum_int4: sum(m.visits)
          sum_int8: sum(m.bytes)
          sum_numeric: sum(m.visits::numeric)
          sum_real: sum(m.score)
          sum_double: sum(m.latency_ms)
          sum_literal: sum(1)
          avg_int4: avg(m.visits)
          avg_int8: avg(m.bytes)
          avg_double: avg(m.latency_ms)
          avg_real: avg(m.score)
          min_day: min(m.day)
          max_recorded: max(m.recorded_at)
          n: count(*)
          n_errors: count(m.errors)
          n_days: count(distinct m.day)
          sum_nullable: sum(m.errors)
        """), [
            "user_id bigint NOT NULL",
            "sum_int4 bigint NOT NULL",
            "sum_int8 numeric NOT NULL",
            "sum_numeric numeric NOT NULL",
            "sum_real real NULL",
            "sum_double double precision NOT NULL",
            "sum_literal bigint NOT NULL",
            "avg_int4 numeric NOT NULL",
            "avg_int8 numeric NOT NULL",
            "avg_double double precision NOT NULL",
            "avg_real double precision NULL",
            "min_day date NOT NULL",
            "max_recorded timestamp without time zone NOT NULL",
            "n bigint NOT NULL",
            "n_errors bigint NOT NULL",
            "n_days bigint NOT NULL",
            "sum_nullable bigint NULL",
        ])
    }

    func testSumOfNumericColumn() {
        XCTAssertEqual(column("sum(t.amount)", from: "transactions t", groupBy: "[t.user_id]"), "numeric NOT NULL")
        XCTAssertEqual(column("avg(t.amount)", from: "transactions t", groupBy: "[t.user_id]"), "numeric NOT NULL")
        XCTAssertEqual(column("sum(t.completion_time)", from: "tasks t", groupBy: "[t.project_id]"), "interval NULL")
    }

    func testSumOfCaseOverIntegerLiterals() {
        XCTAssertEqual(column("sum(case when t.status = 'completed' then 1 else 0 end)", from: "tasks t", groupBy: "[t.project_id]"), "bigint NOT NULL")
    }

    func testCountIsBigintAndNeverNull() {
        XCTAssertEqual(column("count(*)", from: "tasks t"), "bigint NOT NULL", "no GROUP BY: count over no rows is 0, not NULL")
        XCTAssertEqual(column("count(t.completed_at)", from: "tasks t"), "bigint NOT NULL")
        XCTAssertEqual(column("count(distinct p.id)", join: "join:\n  - left: projects p\n    on: p.user_id = u.id\n", groupBy: "[u.id]"), "bigint NOT NULL")
        XCTAssertEqual(column("count(t.id) filter (where t.status = 'open')", from: "tasks t", groupBy: "[t.project_id]"), "bigint NOT NULL")
    }

    func testSumOverLeftJoinIsNullable() {
        XCTAssertEqual(columns("""
        view: totals_mv
        from: users u
        join:
          - left: transactions t
            on: t.user_id = u.id
        group_by: [u.id]
        select:
          user_id: u.id
          total: sum(t.amount)
          biggest: max(t.amount)
          n: count(t.id)
          safe_total: coalesce(sum(t.amount), 0)
        """), [
            "user_id bigint NOT NULL",
            "total numeric NULL",
            "biggest numeric NULL",
            "n bigint NOT NULL",
            "safe_total numeric NOT NULL",
        ])
    }

    func testSumOfNotNullColumnWithGroupByIsNotNull() {
        XCTAssertEqual(column("sum(t.amount)", from: "transactions t", groupBy: "[t.user_id]"), "numeric NOT NULL")
        XCTAssertEqual(column("max(t.created_at)", from: "transactions t", groupBy: "[t.category]"), "timestamp with time zone NOT NULL")
    }

    func testAggregateWithoutGroupByIsNullable() {
        XCTAssertEqual(columns("""
        view: grand_total_mv
        from: transactions t
        select:
          total: sum(t.amount)
          average: avg(t.amount)
          first_at: min(t.created_at)
          n: count(*)
        """), [
            "total numeric NULL",
            "average numeric NULL",
            "first_at timestamp with time zone NULL",
            "n bigint NOT NULL",
        ])
    }

    func testAggregateWithFilterIsNullableEvenWhenGrouped() {
        XCTAssertEqual(column("sum(t.amount) filter (where t.category = 'food')", from: "transactions t", groupBy: "[t.user_id]"), "numeric NULL")
    }

    // MARK: - extract and date/time arithmetic

    func testExtractIsNumeric() {
        XCTAssertEqual(column("extract(epoch from t.completed_at - t.created_at)", from: "tasks t"), "numeric NULL")
        XCTAssertEqual(column("extract(year from t.created_at)", from: "tasks t"), "numeric NOT NULL")
        XCTAssertEqual(column("extract(dow from m.day)", from: "daily_metrics m"), "numeric NOT NULL")
        XCTAssertEqual(column("avg(extract(epoch from t.completed_at - t.created_at))", from: "tasks t", groupBy: "[t.project_id]"), "numeric NULL")
    }

    func testDateTimeArithmetic() {
        XCTAssertEqual(columns("""
        view: times_mv
        from: daily_metrics m
        join:
          - inner: users u
            on: u.id = m.user_id
        select:
          id: m.id
          tstz_minus_tstz: u.updated_at - u.created_at
          ts_minus_ts: m.recorded_at - m.recorded_at
          date_minus_date: m.day - date '2024-01-01'
          date_plus_interval: m.day + interval '1 day'
          date_minus_interval: m.day - interval '1 day'
          date_plus_int: m.day + 7
          int_plus_date: 7 + m.day
          date_minus_int: m.day - 1
          tstz_plus_interval: u.created_at + interval '1 hour'
          tstz_minus_interval: u.created_at - interval '1 hour'
          ts_plus_interval: m.recorded_at + interval '1 hour'
          interval_times_number: interval '1 day' * m.visits
          last_login_age: now() - u.last_login
          month_start: date_trunc('month', u.created_at)
          as_date: u.created_at::date
          date_of: date(u.created_at)
        refresh:
          schedule: "0 * * * *"
        """), [
            "id integer NOT NULL",
            "tstz_minus_tstz interval NOT NULL",
            "ts_minus_ts interval NOT NULL",
            "date_minus_date integer NOT NULL",
            "date_plus_interval timestamp without time zone NOT NULL",
            "date_minus_interval timestamp without time zone NOT NULL",
            "date_plus_int date NOT NULL",
            "int_plus_date date NOT NULL",
            "date_minus_int date NOT NULL",
            "tstz_plus_interval timestamp with time zone NOT NULL",
            "tstz_minus_interval timestamp with time zone NOT NULL",
            "ts_plus_interval timestamp without time zone NOT NULL",
            "interval_times_number interval NOT NULL",
            "last_login_age interval NULL",
            "month_start timestamp with time zone NOT NULL",
            "as_date date NOT NULL",
            "date_of date NOT NULL",
        ])
    }

    func testCurrentDateMinusIntervalIsTimestamp() {
        XCTAssertEqual(column("current_date - interval '30 days'"), "timestamp without time zone NOT NULL")
        XCTAssertEqual(column("current_date - 30"), "date NOT NULL")
        XCTAssertEqual(column("current_date"), "date NOT NULL")
        XCTAssertEqual(column("now()"), "timestamp with time zone NOT NULL")
        XCTAssertEqual(column("current_timestamp - interval '1 hour'"), "timestamp with time zone NOT NULL")
    }

    // MARK: - Conditional expressions

    func testCoalesceWithANotNullArgumentIsNotNull() {
        let join = "join:\n  - left: projects p\n    on: p.user_id = u.id\n"
        XCTAssertEqual(column("coalesce(p.id, 0)", join: join), "bigint NOT NULL")
        XCTAssertEqual(column("coalesce(u.last_login, u.created_at)"), "timestamp with time zone NOT NULL")
        XCTAssertEqual(column("coalesce(u.last_login, p.updated_at)", join: join), "timestamp with time zone NULL")
        XCTAssertEqual(column("coalesce(p.name, 'none')", join: join), "text NOT NULL")
        XCTAssertEqual(column("coalesce(u.last_login::date, current_date)"), "date NOT NULL")
    }

    func testGreatestAndLeastAreNullOnlyWhenAllArgumentsAre() {
        XCTAssertEqual(column("greatest(u.last_login, u.created_at)"), "timestamp with time zone NOT NULL")
        XCTAssertEqual(column("least(u.created_at, u.last_login)"), "timestamp with time zone NOT NULL")
        XCTAssertEqual(column("greatest(u.last_login, u.last_login)"), "timestamp with time zone NULL")
        XCTAssertEqual(column("greatest(1, 2.5)"), "numeric NOT NULL")
    }

    func testJsonbBuildObjectIsNeverNull() {
        XCTAssertEqual(column("jsonb_build_object('last_login', u.last_login, 'none', null)"), "jsonb NOT NULL")
        XCTAssertEqual(column("jsonb_build_object('project', p.name)", join: "join:\n  - left: projects p\n    on: p.user_id = u.id\n"), "jsonb NOT NULL")
        XCTAssertEqual(column("jsonb_build_object()"), "jsonb NOT NULL")
        // json_build_object() with no arguments is valid in PostgreSQL (pg_proc has a no-argument
        // overload) but matview reports "function json_build_object() does not exist": see the report.
    }

    func testCaseWithoutElseIsNullable() {
        XCTAssertEqual(column("case when u.role = 'admin' then 1 end"), "integer NULL")
        XCTAssertEqual(column("case when u.role = 'admin' then 1 else 0 end"), "integer NOT NULL")
        XCTAssertEqual(column("case when u.role = 'admin' then 1 else 2.5 end"), "numeric NOT NULL")
        XCTAssertEqual(column("case u.role when 'admin' then 'a' when 'bot' then 'b' else u.name end"), "text NOT NULL")
        XCTAssertEqual(column("case when u.role = 'admin' then u.last_login else u.created_at end"), "timestamp with time zone NULL")
    }

    func testNullifIsNullable() {
        XCTAssertEqual(column("nullif(u.role, 'bot')"), "text NULL")
    }

    func testLiteralTypes() {
        XCTAssertEqual(column("1"), "integer NOT NULL")
        XCTAssertEqual(column("3000000000"), "bigint NOT NULL")
        XCTAssertEqual(column("1.5"), "numeric NOT NULL")
        XCTAssertEqual(column("\"'x'\""), "text NOT NULL")
        XCTAssertEqual(column("true"), "boolean NOT NULL")
        XCTAssertEqual(column("cast(u.id as numeric(12,2))"), "numeric NOT NULL")
        XCTAssertEqual(column("u.name || '!'"), "text NOT NULL")
        XCTAssertEqual(column("u.id / 2"), "bigint NOT NULL")
        XCTAssertEqual(column("u.id * 1.5"), "numeric NOT NULL")
        XCTAssertEqual(column("u.last_login is null"), "boolean NOT NULL")
        XCTAssertEqual(column("u.last_login > now()"), "boolean NULL")
    }

    // MARK: - Joins and nullability

    func testLeftJoinMakesRightSideNullable() {
        XCTAssertEqual(columns("""
        view: user_projects_mv
        from: users u
        join:
          - left: projects p
            on: p.user_id = u.id
          - left: tasks t
            on: t.project_id = p.id
        select:
          user_id: u.id
          user_name: u.name
          project_id: p.id
          project_name: p.name
          task_id: t.id
          task_status: t.status
        """), [
            "user_id bigint NOT NULL",
            "user_name text NOT NULL",
            "project_id bigint NULL",
            "project_name text NULL",
            "task_id bigint NULL",
            "task_status text NULL",
        ])
    }

    func testRightJoinMakesLeftSideNullable() {
        XCTAssertEqual(columns("""
        view: projects_right_mv
        from: projects p
        join:
          - right: users u
            on: u.id = p.user_id
        select:
          project_id: p.id
          project_name: p.name
          user_id: u.id
          user_name: u.name
        """), [
            "project_id bigint NULL",
            "project_name text NULL",
            "user_id bigint NOT NULL",
            "user_name text NOT NULL",
        ])
    }

    func testFullJoinMakesBothSidesNullableAndInnerJoinNeither() {
        XCTAssertEqual(columns("""
        view: full_mv
        from: projects p
        join:
          - full: users u
            on: u.id = p.user_id
          - inner: transactions t
            on: t.user_id = u.id
        select:
          project_name: p.name
          user_name: u.name
          amount: t.amount
        """), [
            "project_name text NULL",
            "user_name text NULL",
            "amount numeric NOT NULL",
        ])
    }

    func testNullabilityFlowsThroughCTEsAndNestedQueries() {
        XCTAssertEqual(columns("""
        view: flow_mv
        with:
          per_user:
            from: transactions t
            group_by: [t.user_id]
            select:
              user_id: t.user_id
              total: sum(t.amount)
              last_at: max(t.created_at)
        from: users u
        join:
          - left: per_user pu
            on: pu.user_id = u.id
          - inner:
              as: s
              query:
                from: user_sessions s
                group_by: [s.user_id]
                select:
                  user_id: s.user_id
                  longest: max(s.ended_at - s.started_at)
            on: s.user_id = u.id
        select:
          user_id: u.id
          total: pu.total
          last_at: pu.last_at
          total_or_zero: coalesce(pu.total, 0)
          longest: s.longest
        """), [
            "user_id bigint NOT NULL",
            "total numeric NULL",
            "last_at timestamp with time zone NULL",
            "total_or_zero numeric NOT NULL",
            "longest interval NULL",
        ])
    }

    // MARK: - Set-returning functions

    func testGenerateSeriesOfTimestampsIsASource() {
        XCTAssertEqual(columns("""
        view: days_mv
        from: generate_series(current_date - interval '30 days', current_date, interval '1 day') as g(ts)
        select:
          ts: g.ts
          day: g.ts::date
        refresh:
          schedule: "0 0 * * *"
        """), [
            "ts timestamp without time zone NOT NULL",
            "day date NOT NULL",
        ])
        XCTAssertEqual(column("g.hour", from: "generate_series(now() - interval '1 day', now(), interval '1 hour') as g(hour)"),
                       "timestamp with time zone NOT NULL")
        XCTAssertEqual(column("n.n", from: "generate_series(1, 10) as n(n)"), "integer NOT NULL")
    }

    func testGenerateSeriesOfDatesAndIntegerIsATypeMismatch() {
        let spec = """
        view: days_mv
        from: generate_series(current_date - 30, current_date, 1) as g(day)
        select:
          day: g.day
        """
        let output = Fixtures.compile(spec)
        let errors = Fixtures.errors(output)
        XCTAssertEqual(errors.map { "\($0.location) \($0.rule.rawValue)" }, ["specs/v.yaml:2:7 type-mismatch"], errors.map(Fixtures.render).joined(separator: "\n"))
        XCTAssertTrue(errors.first?.message.contains("generate_series(date, date, integer)") ?? false, errors.first?.message ?? "")
    }

    func testTypeMismatchesInExpressions() {
        for (expr, location) in [
            ("u.name + 1", "specs/v.yaml:4:13"),  // at the operator
            ("u.created_at - u.name", "specs/v.yaml:4:19"),
            ("sum(u.name)", "specs/v.yaml:4:6"),
            ("u.id = 'x' and u.name", "specs/v.yaml:4:21"),
        ] {
            let output = Fixtures.compile("view: v_mv\nfrom: users u\nselect:\n  c: \(expr)\n")
            let errors = Fixtures.errors(output)
            XCTAssertEqual(errors.map { "\($0.location) \($0.rule.rawValue)" }, ["\(location) type-mismatch"], "\(expr): \(errors.map(Fixtures.render))")
        }
    }

    // MARK: - The project's specs

    func testSeedSpecsColumnTypes() {
        let expected: [String: [String]] = [
            "dashboard_summary_mv": [
                "user_id bigint NOT NULL",
                "name text NOT NULL",
                "total_projects bigint NOT NULL",
                "total_tasks bigint NOT NULL",
                "completed_tasks bigint NOT NULL",
                "avg_completion_seconds numeric NULL",
                "last_activity timestamp with time zone NOT NULL",
            ],
            "system_analytics_mv": [
                "date date NOT NULL",
                "daily_active_users bigint NOT NULL",
                "daily_transactions bigint NOT NULL",
                "daily_volume numeric NOT NULL",
                "new_users bigint NOT NULL",
                "avg_session_duration numeric NULL",
            ],
            "user_stats_mv": [
                "user_id bigint NOT NULL",
                "role text NOT NULL",
                "active_days bigint NOT NULL",
                "total_transactions bigint NOT NULL",
                "total_amount numeric NULL",
                "avg_transaction numeric NULL",
                "max_transaction numeric NULL",
                "unique_categories bigint NOT NULL",
                "spending_patterns jsonb NOT NULL",
            ],
        ]
        let specs = Fixtures.seedSpecNames.map { ("specs/\($0)", Fixtures.seedSpec($0)) }
        let output = Fixtures.compile(specs, schema: [("specs/schema.sql", Fixtures.seedSchema)])
        XCTAssertEqual(output.diagnostics.map(Fixtures.render), [])
        XCTAssertEqual(output.project.views.map(\.name).sorted(), expected.keys.sorted())
        for view in output.project.views {
            XCTAssertEqual(Fixtures.describeColumns(view), expected[view.name], view.name)
        }
    }
}

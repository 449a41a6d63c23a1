import XCTest
@testable import MatviewSyntax

final class SpecReaderTests: XCTestCase {
    static let dashboard = """
    view: dashboard_summary_mv            # required; the materialized view's name (<= 63 bytes)
    schema: public                        # optional, default public
    description: One row per user with project and task counters.   # COMMENT ON + Swift doc comment
    from: users u                         # required; see "Sources"
    join:                                 # optional, in order
      - left: projects p                  # inner | left | right | full | cross
        on: p.user_id = u.id
      - left: tasks t
        on: t.project_id = p.id
    where: u.role <> 'bot'                # optional expression
    group_by: [u.id, u.name]              # optional; expressions or output column names
    having: count(t.id) > 0               # optional
    select:                               # required; ordered: the view's columns in this order
      user_id: u.id
      name: u.name
      total_projects: count(distinct p.id)
      completed_tasks: sum(case when t.status = 'completed' then 1 else 0 end)
      avg_completion_seconds: avg(extract(epoch from t.completed_at - t.created_at))
      last_activity:                      # the long form of a column
        expr: max(greatest(u.updated_at, p.updated_at, t.updated_at))
        description: Latest change to the user, a project or a task.
    indexes:
      - columns: [user_id]
        unique: true
      - columns: [last_activity desc]     # asc/desc per column; optional name, where, using
    refresh:
      schedule: "*/5 * * * *"             # pg_cron schedule of a full refresh; optional
      concurrently: true                  # REFRESH ... CONCURRENTLY; needs a unique index (checked)
      on_change: queue                    # none | queue: writes to any source table mark the view dirty
      max_staleness: 10m                  # freshness objective, shown by monitoring
    grants: [app_readonly]                # roles given SELECT on the view
    slow_query_ms: 50                     # reads slower than this are logged as slow by the Swift runtime
    ignore: [fanout]                      # optional: rule names silenced for this view (or per column, in the long form)

    """

    // MARK: - Helpers

    private func read(_ text: String, path: String = "specs/v.yaml") -> (spec: ViewSpec?, diagnostics: [Diagnostic]) {
        SpecReader.read(path: path, text: text)
    }

    /// Reads a spec that must have no diagnostics.
    private func readClean(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> ViewSpec? {
        let (spec, diagnostics) = read(text)
        XCTAssertEqual(diagnostics.map(render), [], file: file, line: line)
        XCTAssertNotNil(spec, file: file, line: line)
        return spec
    }

    private func render(_ d: Diagnostic) -> String {
        "\(d.location): \(d.severity.rawValue): \(d.message) [\(d.rule.rawValue)]"
    }

    /// The single diagnostic of `text`, checked against `file:line:column`, severity error and `rule`.
    @discardableResult
    private func onlyDiagnostic(_ text: String, at location: String, rule: Rule, contains fragment: String,
                                file: StaticString = #filePath, line: UInt = #line) -> Diagnostic? {
        let (_, diagnostics) = read(text)
        XCTAssertEqual(diagnostics.count, 1, "diagnostics: \(diagnostics.map(render))", file: file, line: line)
        guard let d = diagnostics.first else { return nil }
        XCTAssertEqual(d.location.description, location, render(d), file: file, line: line)
        XCTAssertEqual(d.rule, rule, render(d), file: file, line: line)
        XCTAssertEqual(d.severity, .error, file: file, line: line)
        XCTAssertTrue(d.message.contains(fragment), "message '\(d.message)' lacks '\(fragment)'", file: file, line: line)
        return d
    }

    /// `line:column` (1-based, in Unicode scalars) of the `occurrence`-th `needle` in `text`.
    private func position(of needle: String, in text: String, occurrence: Int = 1) -> String {
        let source = SourceText(path: "", text: text)
        let n = Array(needle.unicodeScalars)
        var seen = 0
        for start in 0...(source.scalars.count - n.count) where Array(source.scalars[start..<start + n.count]) == n {
            seen += 1
            if seen == occurrence {
                let l = source.location(ofOffset: start)
                return "\(l.line):\(l.column)"
            }
        }
        return "not found"
    }

    private func at(_ expr: Expr?) -> String {
        guard let expr else { return "nil" }
        return "\(expr.location.line):\(expr.location.column)"
    }

    // MARK: - The dashboard spec

    func testDashboardSpecReadsWithoutDiagnostics() {
        let (spec, diagnostics) = read(Self.dashboard, path: "specs/dashboard_summary.yaml")
        XCTAssertEqual(diagnostics.map(render), [])
        guard let spec else { return XCTFail("no spec") }
        XCTAssertEqual(spec.file, "specs/dashboard_summary.yaml")
        XCTAssertEqual(spec.name.value, "dashboard_summary_mv")
        XCTAssertEqual(spec.name.location, SourceLocation(file: "specs/dashboard_summary.yaml", line: 1, column: 7))
        XCTAssertEqual(spec.schema?.value, "public")
        XCTAssertEqual(spec.description?.value, "One row per user with project and task counters.")
        XCTAssertEqual(spec.location, SourceLocation(file: "specs/dashboard_summary.yaml", line: 1, column: 1))
        XCTAssertTrue(spec.ctes.isEmpty)
    }

    func testDashboardFromAndJoins() {
        guard let spec = readClean(Self.dashboard) else { return }
        let query = spec.query
        guard case .named(nil, let users) = query.from.kind else { return XCTFail("from is not a table") }
        XCTAssertEqual(users.name, "users")
        XCTAssertEqual(query.from.alias?.name, "u")
        XCTAssertEqual(query.from.location.description, "specs/v.yaml:4:7")
        XCTAssertEqual(query.from.alias?.location.description, "specs/v.yaml:4:13")

        XCTAssertEqual(query.joins.count, 2)
        XCTAssertEqual(query.joins.map(\.kind), [.left, .left])
        XCTAssertEqual(query.joins.map(\.source.referenceName), ["p", "t"])
        XCTAssertEqual(query.joins.map { $0.condition.map(sexpr) }, ["(= p.user_id u.id)", "(= t.project_id p.id)"])
        XCTAssertEqual(query.joins.map { "\($0.location.line):\($0.location.column)" }, ["6:5", "8:5"])
        XCTAssertEqual(at(query.joins[0].condition), "7:9")
        if case .named(_, let projects) = query.joins[0].source.kind {
            XCTAssertEqual(projects.name, "projects")
            XCTAssertEqual(projects.location.description, "specs/v.yaml:6:11")
        } else {
            XCTFail("join source is not a table")
        }
    }

    func testDashboardClauses() {
        guard let spec = readClean(Self.dashboard) else { return }
        let query = spec.query
        XCTAssertEqual(query.whereClause.map(sexpr), "(<> u.role 'bot')")
        XCTAssertEqual(at(query.whereClause), "10:8")
        XCTAssertEqual(query.groupBy.map(sexpr), ["u.id", "u.name"])
        XCTAssertEqual(query.groupBy.map { at($0) }, ["11:12", "11:18"])
        XCTAssertEqual(query.having.map(sexpr), "(> {count t.id} 0)")
        XCTAssertEqual(at(query.having), "12:9")
    }

    func testDashboardSelectIsOrdered() {
        guard let spec = readClean(Self.dashboard) else { return }
        let select = spec.query.select
        XCTAssertEqual(select.map(\.name.value), [
            "user_id", "name", "total_projects", "completed_tasks", "avg_completion_seconds", "last_activity",
        ])
        XCTAssertEqual(select.map { sexpr($0.expr) }, [
            "u.id",
            "u.name",
            "{count distinct p.id}",
            "{sum (case (when (= t.status 'completed') 1) (else 0))}",
            "{avg (extract epoch (- t.completed_at t.created_at))}",
            "{max {greatest u.updated_at p.updated_at t.updated_at}}",
        ])
        XCTAssertEqual(select.map { "\($0.name.location.line):\($0.name.location.column)" },
                       ["14:3", "15:3", "16:3", "17:3", "18:3", "19:3"])
        XCTAssertEqual(select.map(\.description), [nil, nil, nil, nil, nil, "Latest change to the user, a project or a task."])
        XCTAssertTrue(select.allSatisfy { $0.ignore.isEmpty })
    }

    func testDashboardExpressionLocationsPointIntoTheFile() {
        guard let spec = readClean(Self.dashboard) else { return }
        let select = spec.query.select
        XCTAssertEqual(at(select[2].expr), "16:19")
        guard case .function(let count) = select[2].expr.kind else { return XCTFail("not a call") }
        XCTAssertEqual(at(count.arguments.first), "16:34")
        XCTAssertEqual(at(count.arguments.first), position(of: "p.id)", in: Self.dashboard))
        // The long form: the expression is on its own line under `expr:`.
        XCTAssertEqual(at(select[5].expr), "20:11")
        var columns: [String] = []
        select[5].expr.walk { if case .column = $0.kind { columns.append(self.at($0)) } }
        XCTAssertEqual(columns, ["20:24", "20:38", "20:52"])
    }

    func testDashboardIndexes() {
        guard let spec = readClean(Self.dashboard) else { return }
        XCTAssertEqual(spec.indexes.count, 2)
        XCTAssertEqual(spec.indexes.map { $0.columns.map(\.name.name) }, [["user_id"], ["last_activity"]])
        XCTAssertEqual(spec.indexes.map { $0.columns.map(\.descending) }, [[false], [true]])
        XCTAssertEqual(spec.indexes.map(\.unique), [true, false])
        XCTAssertTrue(spec.indexes.allSatisfy { $0.name == nil && $0.whereClause == nil && $0.method == nil })
        XCTAssertEqual(spec.indexes[1].columns[0].name.location.description, "specs/v.yaml:25:15")
        XCTAssertEqual(spec.indexes.map { $0.location.line }, [23, 25])
    }

    func testDashboardRefreshGrantsAndIgnore() {
        guard let spec = readClean(Self.dashboard) else { return }
        XCTAssertEqual(spec.refresh.schedule?.value, "*/5 * * * *")
        XCTAssertEqual(spec.refresh.concurrently?.value, true)
        XCTAssertEqual(spec.refresh.onChange?.value, .queue)
        XCTAssertEqual(spec.refresh.maxStaleness?.value, 600)
        XCTAssertEqual(spec.refresh.maxStaleness?.location.description, "specs/v.yaml:30:18")
        XCTAssertEqual(spec.refresh.location?.line, 27)
        XCTAssertEqual(spec.grants.map(\.value), ["app_readonly"])
        XCTAssertEqual(spec.slowQueryMs?.value, 50)
        XCTAssertEqual(spec.ignore.map(\.value), ["fanout"])
        XCTAssertEqual(spec.ignore.first?.location.description, "specs/v.yaml:33:10")
    }

    func testMinimalSpecDefaults() {
        guard let spec = readClean("view: v\nfrom: users\nselect:\n  id: id\n") else { return }
        XCTAssertNil(spec.schema)
        XCTAssertNil(spec.description)
        XCTAssertTrue(spec.query.joins.isEmpty)
        XCTAssertNil(spec.query.whereClause)
        XCTAssertTrue(spec.query.groupBy.isEmpty)
        XCTAssertNil(spec.query.having)
        XCTAssertTrue(spec.indexes.isEmpty)
        XCTAssertNil(spec.refresh.schedule)
        XCTAssertNil(spec.refresh.concurrently)
        XCTAssertNil(spec.refresh.onChange)
        XCTAssertNil(spec.refresh.maxStaleness)
        XCTAssertNil(spec.refresh.location)
        XCTAssertTrue(spec.grants.isEmpty)
        XCTAssertNil(spec.slowQueryMs)
        XCTAssertTrue(spec.ignore.isEmpty)
        XCTAssertEqual(spec.query.from.referenceName, "users")
    }

    func testScalarFormsOfListsAndLongFormIgnore() {
        let text = """
        view: v
        from: users u
        group_by: u.id
        select:
          id:
            expr: u.id
            ignore: [fanout, time-dependent]
        grants: app_readonly
        ignore: fanout
        indexes:
          - columns: id desc nulls last
            name: v_id_idx
            using: BTREE
            where: id > 0
        refresh:
          on_change: none
          concurrently: no
          min_interval: 90
          max_staleness: 1h30m

        """
        guard let spec = readClean(text) else { return }
        XCTAssertEqual(spec.query.groupBy.map(sexpr), ["u.id"])
        XCTAssertEqual(spec.query.select.first?.ignore.map(\.value), ["fanout", "time-dependent"])
        XCTAssertEqual(spec.grants.map(\.value), ["app_readonly"])
        XCTAssertEqual(spec.ignore.map(\.value), ["fanout"])
        let index = spec.indexes.first
        XCTAssertEqual(index?.columns.first?.descending, true)
        XCTAssertEqual(index?.columns.first?.nullsFirst, false)
        XCTAssertEqual(index?.name?.value, "v_id_idx")
        XCTAssertEqual(index?.method?.value, "BTREE")
        XCTAssertEqual(index?.whereClause.map(sexpr), "(> id 0)")
        XCTAssertEqual(at(index?.whereClause), "14:12")
        XCTAssertEqual(spec.refresh.onChange?.value, OnChange.none)
        XCTAssertEqual(spec.refresh.concurrently?.value, false)
        XCTAssertEqual(spec.refresh.maxStaleness?.value, 5400)
        XCTAssertEqual(spec.refresh.minInterval?.value, 90)
        XCTAssertEqual(spec.refresh.minInterval?.location.description, "specs/v.yaml:18:17")
    }

    // MARK: - Nested queries and CTEs

    static let nested = """
    view: user_recent
    with:
      recent_tasks:
        from: tasks t
        where: t.created_at > now() - interval '30 days'
        group_by: [t.user_id]
        select:
          user_id: t.user_id
          n: count(*)
      Busy_Users:
        from: recent_tasks r
        where: r.n > 10
        select:
          user_id: r.user_id
    from: users u
    join:
      - left:
          as: rt
          lateral: true
          query:
            from: recent_tasks r
            where: r.user_id = u.id
            select:
              n: r.n
        on: true
      - cross: generate_series(current_date - interval '30 days', current_date, interval '1 day') as g(day)
      - inner: {as: b, query: {from: Busy_Users, select: {user_id: user_id}}}
        on: b.user_id = u.id
    select:
      id: u.id
      n: coalesce(rt.n, 0)
      day: g.day

    """

    func testCommonTableExpressions() {
        guard let spec = readClean(Self.nested) else { return }
        XCTAssertEqual(spec.ctes.map(\.name.name), ["recent_tasks", "Busy_Users"])
        XCTAssertEqual(spec.ctes.map(\.name.quoted), [false, true])
        XCTAssertEqual(spec.ctes[0].name.location.description, "specs/v.yaml:3:3")
        let recent = spec.ctes[0].query
        XCTAssertEqual(recent.from.referenceName, "t")
        XCTAssertEqual(recent.whereClause.map(sexpr), "(> t.created_at (- {now} (interval '30 days')))")
        XCTAssertEqual(at(recent.whereClause), "5:12")
        XCTAssertEqual(recent.groupBy.map(sexpr), ["t.user_id"])
        XCTAssertEqual(recent.select.map(\.name.value), ["user_id", "n"])
        XCTAssertEqual(recent.location.line, 4)
        XCTAssertEqual(spec.ctes[1].query.whereClause.map(sexpr), "(> r.n 10)")
    }

    func testLateralNestedQueryJoin() {
        guard let spec = readClean(Self.nested) else { return }
        let joins = spec.query.joins
        XCTAssertEqual(joins.map(\.kind), [.left, .cross, .inner])
        guard case .subquery(let inner, let lateral) = joins[0].source.kind else { return XCTFail("not a subquery") }
        XCTAssertTrue(lateral)
        XCTAssertEqual(joins[0].source.alias?.name, "rt")
        XCTAssertEqual(joins[0].source.alias?.location.description, "specs/v.yaml:18:11")
        XCTAssertEqual(joins[0].source.location.line, 18)
        XCTAssertEqual(inner.from.referenceName, "r")
        XCTAssertEqual(inner.whereClause.map(sexpr), "(= r.user_id u.id)")
        XCTAssertEqual(at(inner.whereClause), "22:16")
        XCTAssertEqual(inner.select.map { sexpr($0.expr) }, ["r.n"])
        XCTAssertEqual(joins[0].condition.map(sexpr), "true")
    }

    func testFunctionSourceInACrossJoin() {
        guard let spec = readClean(Self.nested) else { return }
        let cross = spec.query.joins[1]
        XCTAssertNil(cross.condition)
        guard case .function(let call) = cross.source.kind else { return XCTFail("not a function source") }
        XCTAssertEqual(call.name.name, "generate_series")
        XCTAssertEqual(call.arguments.map(sexpr), [
            "(- current_date (interval '30 days'))", "current_date", "(interval '1 day')",
        ])
        XCTAssertEqual(cross.source.alias?.name, "g")
        XCTAssertEqual(cross.source.columnAliases.map(\.name), ["day"])
        XCTAssertEqual(cross.source.columnAliases.first?.location.description,
                       "specs/v.yaml:" + position(of: "day)", in: Self.nested))
    }

    func testFlowStyleNestedQueryIsNotLateralByDefault() {
        guard let spec = readClean(Self.nested) else { return }
        let join = spec.query.joins[2]
        guard case .subquery(let inner, let lateral) = join.source.kind else { return XCTFail("not a subquery") }
        XCTAssertFalse(lateral)
        XCTAssertEqual(join.source.referenceName, "b")
        guard case .named(nil, let name) = inner.from.kind else { return XCTFail("not a table") }
        XCTAssertEqual(name.name, "busy_users", "an unquoted name in an expression string folds to lower case")
        XCTAssertEqual(at(inner.select.first?.expr), "27:64")
    }

    func testNestedQueryAsFrom() {
        let text = """
        view: v
        from:
          as: totals
          query:
            from: orders o
            group_by: o.user_id
            select:
              user_id: o.user_id
              total: sum(o.amount)
        select:
          user_id: totals.user_id

        """
        guard let spec = readClean(text) else { return }
        guard case .subquery(let inner, false) = spec.query.from.kind else { return XCTFail("not a subquery") }
        XCTAssertEqual(spec.query.from.alias?.name, "totals")
        XCTAssertEqual(inner.select.map { sexpr($0.expr) }, ["o.user_id", "{sum o.amount}"])
        XCTAssertEqual(at(inner.select[1].expr), "9:14")
    }

    func testNestedQueryErrors() {
        onlyDiagnostic("""
        view: v
        from:
          query:
            from: t
            select: {a: a}
        select: {a: a}
        """, at: "specs/v.yaml:3:3", rule: .missingKey, contains: "a nested query needs an alias in `as:`")

        let (_, misspelled) = read("""
        view: v
        from:
          as: x
          querry:
            from: t
        select: {a: a}
        """)
        XCTAssertEqual(misspelled.map(render), [
            "specs/v.yaml:4:3: error: unknown key 'querry' in a nested query source [unknown-key]",
            "specs/v.yaml:3:3: error: a nested query needs its `query:` [missing-key]",
        ])
        XCTAssertEqual(misspelled.first?.hint, "did you mean 'query'?")

        onlyDiagnostic("""
        view: v
        from:
          as: x
          lateral: sometimes
          query:
            from: t
            select: {a: a}
        select: {a: a}
        """, at: "specs/v.yaml:4:12", rule: .invalidValue, contains: "lateral must be true or false, found 'sometimes'")

        onlyDiagnostic("""
        view: v
        with:
          c:
            from: t
        from: c
        select: {a: a}
        """, at: "specs/v.yaml:4:5", rule: .missingKey, contains: "the CTE 'c' has no `select:` key")

        onlyDiagnostic("""
        view: v
        with:
          c:
            from: t
            order_by: x
            select: {a: a}
        from: c
        select: {a: a}
        """, at: "specs/v.yaml:5:5", rule: .unknownKey, contains: "unknown key 'order_by' in the CTE 'c'")
    }

    // MARK: - Diagnostics: keys and shapes

    func testUnknownKeyWithSuggestion() {
        let text = """
        view: v
        descripton: typo here
        from: users
        select:
          id: id
        """
        let d = onlyDiagnostic(text, at: "specs/v.yaml:2:1", rule: .unknownKey, contains: "unknown key 'descripton' in a view spec")
        XCTAssertEqual(d?.hint, "did you mean 'description'?")
    }

    func testUnknownKeyWithoutSuggestionListsKnownKeys() {
        let text = "view: v\nfrom: users\nselect: {id: id}\nzzzzzz: 1\n"
        let d = onlyDiagnostic(text, at: "specs/v.yaml:4:1", rule: .unknownKey, contains: "'zzzzzz'")
        XCTAssertTrue(d?.hint?.hasPrefix("known keys: view, schema, description") ?? false, d?.hint ?? "no hint")
    }

    func testUnknownKeyInsideRefreshAndColumn() {
        let text = """
        view: v
        from: users
        select:
          id:
            expr: id
            descripton: x
        refresh:
          max_stalenes: 10m
        """
        let (_, diagnostics) = read(text)
        XCTAssertEqual(diagnostics.map(render), [
            "specs/v.yaml:6:5: error: unknown key 'descripton' in the column 'id' [unknown-key]",
            "specs/v.yaml:8:3: error: unknown key 'max_stalenes' in refresh [unknown-key]",
        ])
        XCTAssertEqual(diagnostics.map(\.hint), ["did you mean 'description'?", "did you mean 'max_staleness'?"])
    }

    func testMissingFrom() {
        let text = "view: v\nselect:\n  id: id\n"
        let (spec, diagnostics) = read(text)
        XCTAssertNil(spec)
        XCTAssertEqual(diagnostics.map(render), ["specs/v.yaml:1:1: error: the view has no `from:` key [missing-key]"])
        XCTAssertEqual(diagnostics.first?.hint, "name the table the rows come from, e.g. `from: users u`")
    }

    func testMissingViewAndSelect() {
        let text = "\n\nfrom: users\n"
        let (spec, diagnostics) = read(text)
        XCTAssertNil(spec)
        XCTAssertEqual(diagnostics.map(render), [
            "specs/v.yaml:3:1: error: the spec has no `view:` key [missing-key]",
            "specs/v.yaml:3:1: error: the view has no `select:` key [missing-key]",
        ])
    }

    func testEmptySpec() {
        let (spec, diagnostics) = read("# nothing here\n")
        XCTAssertNil(spec)
        XCTAssertEqual(diagnostics.map(render), ["specs/v.yaml:1:1: error: the spec is empty [missing-key]"])
    }

    func testSpecThatIsNotAMapping() {
        onlyDiagnostic("- view: v\n", at: "specs/v.yaml:1:1", rule: .invalidValue,
                       contains: "a view spec must be a mapping of keys to values, found a list")
    }

    func testWrongShapes() {
        let text = """
        view: [a, b]
        from: users
        join: {left: x}
        select:
          id: [1]
        indexes: nope
        """
        let (_, diagnostics) = read(text)
        XCTAssertEqual(diagnostics.map(render), [
            "specs/v.yaml:1:7: error: view must be a string, found a list [invalid-value]",
            "specs/v.yaml:3:7: error: join must be a list, found a mapping [invalid-value]",
            "specs/v.yaml:5:7: error: the column 'id' must be an SQL expression string, found a list [invalid-value]",
            "specs/v.yaml:6:10: error: indexes must be a list, found a single value [invalid-value]",
        ])
    }

    func testEmptySelect() {
        onlyDiagnostic("view: v\nfrom: t\nselect: {}\n", at: "specs/v.yaml:3:9", rule: .missingKey,
                       contains: "`select:` lists no columns")
    }

    func testLongFormColumnWithoutExpr() {
        onlyDiagnostic("view: v\nfrom: t\nselect:\n  a: u\n  b:\n    description: no expression\n",
                       at: "specs/v.yaml:5:3", rule: .missingKey, contains: "the column 'b' has no `expr:`")
    }

    // MARK: - Diagnostics: YAML

    func testYAMLSyntaxError() {
        let text = """
        view: v
        from: users u
          bad: indent
        select:
          id: u.id
        """
        let (spec, diagnostics) = read(text)
        XCTAssertNil(spec)
        XCTAssertEqual(diagnostics.count, 1)
        XCTAssertEqual(diagnostics.first?.rule, .yamlSyntax)
        XCTAssertEqual(diagnostics.first?.location.description, "specs/v.yaml:3:6")
        XCTAssertTrue(diagnostics.first?.message.hasPrefix("invalid YAML: mapping values are not allowed") ?? false,
                      diagnostics.first?.message ?? "")
    }

    func testYAMLUnclosedFlowSequence() {
        let text = "view: v\nfrom: users\ngroup_by: [a, b\nselect:\n  id: id\n"
        let (spec, diagnostics) = read(text)
        XCTAssertNil(spec)
        XCTAssertEqual(diagnostics.map(\.rule), [.yamlSyntax])
        XCTAssertEqual(diagnostics.first?.location.file, "specs/v.yaml")
        XCTAssertGreaterThanOrEqual(diagnostics.first?.location.line ?? 0, 3)
    }

    func testDuplicateColumnUnderSelectPointsAtTheSecondOccurrence() {
        let text = """
        view: v
        from: users u
        select:
          id: u.id
          name: u.name
          id: u.email
        """
        let (spec, diagnostics) = read(text)
        XCTAssertNil(spec)
        XCTAssertEqual(diagnostics.map(render), [
            "specs/v.yaml:6:3: error: output column 'id' is defined twice (first at line 4) [duplicate-column]",
        ])
        XCTAssertEqual(diagnostics.first?.hint, "give each column of `select:` its own name")
    }

    func testDuplicateColumnInANestedSelect() {
        let text = """
        view: v
        from:
          as: x
          query:
            from: t
            select:
              a: t.a

              # a comment line in between
              a: t.b
        select: {a: x.a}
        """
        let (_, diagnostics) = read(text)
        XCTAssertEqual(diagnostics.map(render), [
            "specs/v.yaml:10:7: error: output column 'a' is defined twice (first at line 7) [duplicate-column]",
        ])
    }

    func testDuplicateTopLevelKey() {
        let text = "view: v\nfrom: users\nselect: {id: id}\nfrom: other\n"
        let (_, diagnostics) = read(text)
        XCTAssertEqual(diagnostics.map(render), [
            "specs/v.yaml:4:1: error: key 'from' appears twice in the same mapping (first at line 2) [duplicate-key]",
        ])
    }

    // MARK: - Diagnostics: values

    func testBadBoolean() {
        let text = """
        view: v
        from: users
        select: {id: id}
        refresh:
          concurrently: maybe
        """
        onlyDiagnostic(text, at: "specs/v.yaml:5:17", rule: .invalidValue, contains: "concurrently must be true or false, found 'maybe'")
    }

    func testQuotedBooleanIsNotABoolean() {
        let text = "view: v\nfrom: users\nselect: {id: id}\nindexes:\n  - columns: [id]\n    unique: \"true\"\n"
        onlyDiagnostic(text, at: "specs/v.yaml:6:13", rule: .invalidValue, contains: "unique must be true or false")
    }

    func testBadDuration() {
        let text = """
        view: v
        from: users
        select: {id: id}
        refresh:
          max_staleness: 10 minutes
        """
        onlyDiagnostic(text, at: "specs/v.yaml:5:18", rule: .invalidValue,
                       contains: "max_staleness must be a duration such as 30s, 10m, 1h or 1h30m, found '10 minutes'")
    }

    func testBadOnChange() {
        let text = "view: v\nfrom: users\nselect: {id: id}\nrefresh: {on_change: always}\n"
        onlyDiagnostic(text, at: "specs/v.yaml:4:22", rule: .invalidValue, contains: "on_change must be none, queue or immediate, found 'always'")
    }

    func testBadSlowQueryMs() {
        onlyDiagnostic("view: v\nfrom: users\nselect: {id: id}\nslow_query_ms: -5\n", at: "specs/v.yaml:4:16",
                       rule: .invalidValue, contains: "slow_query_ms must be a whole number of at least 0, found '-5'")
        onlyDiagnostic("view: v\nfrom: users\nselect: {id: id}\nslow_query_ms: fast\n", at: "specs/v.yaml:4:16",
                       rule: .invalidValue, contains: "found 'fast'")
    }

    func testBadIndexMethodAndMissingColumns() {
        let text = """
        view: v
        from: users
        select: {id: id}
        indexes:
          - columns: [id]
            using: btrie
          - unique: true
        """
        let (_, diagnostics) = read(text)
        XCTAssertEqual(diagnostics.map(render), [
            "specs/v.yaml:6:12: error: unknown index method 'btrie' [invalid-value]",
            "specs/v.yaml:7:5: error: an index needs `columns:` [missing-key]",
        ])
    }

    func testBadIndexColumnPointsIntoTheList() {
        let text = "view: v\nfrom: users\nselect: {id: id}\nindexes:\n  - columns: [id, name nulls]\n"
        onlyDiagnostic(text, at: "specs/v.yaml:5:29", rule: .expressionSyntax, contains: "expected FIRST or LAST after NULLS")
    }

    // MARK: - Diagnostics: joins

    func testJoinErrors() {
        let text = """
        view: v
        from: users u
        join:
          - left: projects p
          - cross: tags g
            on: g.id = u.id
          - on: a = b
          - left: a
            inner: b
            on: true
        select: {id: u.id}
        """
        let (spec, diagnostics) = read(text)
        XCTAssertNotNil(spec)
        XCTAssertEqual(diagnostics.map(render), [
            "specs/v.yaml:4:5: error: this left join has no `on:` condition [missing-key]",
            "specs/v.yaml:6:5: error: a cross join takes no `on:` condition [invalid-value]",
            "specs/v.yaml:7:5: error: a join needs one of inner, left, right, full, cross with its source [missing-key]",
            "specs/v.yaml:9:5: error: a join takes one kind; this one has both 'left' and 'inner' [invalid-value]",
        ])
        XCTAssertEqual(spec?.query.joins.map(\.kind), [.cross, .left])
    }

    func testAllJoinKinds() {
        let text = """
        view: v
        from: a
        join:
          - inner: b
            on: b.id = a.id
          - right: c
            on: c.id = a.id
          - full: d
            on: d.id = a.id
          - cross: e
        select: {id: a.id}
        """
        guard let spec = readClean(text) else { return }
        XCTAssertEqual(spec.query.joins.map(\.kind), [.inner, .right, .full, .cross])
        XCTAssertEqual(spec.query.joins.map(\.kind.sql), ["JOIN", "RIGHT JOIN", "FULL JOIN", "CROSS JOIN"])
    }

    // MARK: - Diagnostics: expressions inside YAML scalars

    func testExpressionErrorInPlainScalar() {
        let text = """
        view: v
        from: users u
        where: u.role <> 'bot' and )
        select: {id: u.id}
        """
        onlyDiagnostic(text, at: "specs/v.yaml:3:28", rule: .expressionSyntax, contains: "expected an expression, found ')'")
    }

    func testExpressionErrorInMultiLinePlainScalar() {
        let text = """
        view: v
        from: users u
        where: u.role <> 'bot'
          and u.id >
            )
        select: {id: u.id}
        """
        onlyDiagnostic(text, at: "specs/v.yaml:5:5", rule: .expressionSyntax, contains: "expected an expression, found ')'")
    }

    func testExpressionErrorInDoubleQuotedScalar() {
        // `\"` escapes shift the file columns against the value's; the error must still land on `)`.
        let text = """
        view: v
        from: users u
        select:
          total: "sum(u.\\"Amount\\") + \\"x\\" * )"
        """
        XCTAssertEqual(position(of: ")\"", in: text), "4:39")
        onlyDiagnostic(text, at: "specs/v.yaml:4:39", rule: .expressionSyntax, contains: "expected an expression, found ')'")
    }

    func testExpressionLocationsInDoubleQuotedScalar() {
        let text = """
        view: v
        from: users u
        select:
          total: "u.\\"Amount\\" + u.tax"
        """
        guard let spec = readClean(text), case .binary(_, let amount, let tax) = spec.query.select[0].expr.kind else {
            return XCTFail("unexpected shape")
        }
        XCTAssertEqual(at(amount), "4:11")
        XCTAssertEqual(at(tax), "4:26")
        guard case .column(_, let name) = amount.kind else { return XCTFail("not a column") }
        XCTAssertEqual(name.name, "Amount")
        XCTAssertEqual(name.location.description, "specs/v.yaml:4:13", "the quoted identifier starts at its escaped quote")
    }

    func testQuotedIdentifierAtTheStartOfADoubleQuotedScalar() {
        let text = "view: v\nfrom: users u\nselect:\n  n: \"\\\"Name\\\" || )\"\n"
        XCTAssertEqual(position(of: "\\\"Name", in: text), "4:7")
        onlyDiagnostic(text, at: "specs/v.yaml:4:19", rule: .expressionSyntax, contains: "expected an expression")
        let good = "view: v\nfrom: users u\nselect:\n  n: \"\\\"Name\\\" || 'x'\"\n"
        guard let spec = readClean(good) else { return }
        XCTAssertEqual(at(spec.query.select[0].expr), "4:7", "points at the escaped quote, not at the YAML quote")
    }

    func testExpressionErrorInSingleQuotedScalar() {
        // `''` in YAML is one quote in the value, so the value is `u.role <> 'bot' and )`.
        let text = """
        view: v
        from: users u
        where: 'u.role <> ''bot'' and )'
        select: {id: u.id}
        """
        onlyDiagnostic(text, at: "specs/v.yaml:3:31", rule: .expressionSyntax, contains: "expected an expression, found ')'")
    }

    func testStringAtTheStartOfASingleQuotedScalar() {
        let text = "view: v\nfrom: users u\nwhere: '''bot'' = u.role'\nselect: {id: u.id}\n"
        guard let spec = readClean(text), let condition = spec.query.whereClause,
              case .binary(_, let bot, let role) = condition.kind else { return XCTFail("unexpected shape") }
        XCTAssertEqual(at(bot), "3:9", "points at the doubled quote, not at the YAML quote")
        XCTAssertEqual(at(role), "3:19")
    }

    func testUnterminatedStringInSingleQuotedScalar() {
        let text = "view: v\nfrom: users u\nwhere: 'u.name = ''abc'\nselect: {id: u.id}\n"
        onlyDiagnostic(text, at: "specs/v.yaml:3:18", rule: .expressionSyntax, contains: "unterminated string literal")
    }

    func testExpressionErrorInLiteralBlockScalar() {
        let text = """
        view: v
        from: users u
        where: |
          u.role <> 'bot'
            and u.active
            and )
        select: {id: u.id}
        """
        onlyDiagnostic(text, at: "specs/v.yaml:6:9", rule: .expressionSyntax, contains: "expected an expression, found ')'")
    }

    func testExpressionErrorInFoldedBlockScalar() {
        let text = """
        view: v
        from: users u
        join:
          - left: tasks t
            on: t.user_id = u.id
        having: >
          count(t.id) > 0
          and sum(t.points) >
          )
        select: {id: u.id}
        """
        onlyDiagnostic(text, at: "specs/v.yaml:9:3", rule: .expressionSyntax, contains: "expected an expression, found ')'")
    }

    func testNodeLocationsInBlockScalars() {
        let text = """
        view: v
        from: users u
        select:
          score:
            expr: >-
              sum(u.points)
                * 2
              + max(u.bonus)
        where: |-
          -1 < u.points  -- comment
            and u.name is not null
        """
        guard let spec = readClean(text), case .binary(_, let product, let max) = spec.query.select[0].expr.kind else {
            return XCTFail("unexpected shape")
        }
        XCTAssertEqual(at(product), "6:7")
        XCTAssertEqual(at(max), "8:9")
        guard let condition = spec.query.whereClause, case .binary(.and, let less, let notNull) = condition.kind,
              case .binary(_, let minusOne, _) = less.kind else { return XCTFail("unexpected where") }
        XCTAssertEqual(at(minusOne), "10:3", "the block header `|-` must not be taken for the value's `-`")
        XCTAssertEqual(at(notNull), "11:9")
    }

    func testBlockScalarHeaderCommentIsSkipped() {
        let text = """
        view: v
        from: users u
        where: | # the filter
          t.x > )
        select: {id: u.id}
        """
        onlyDiagnostic(text, at: "specs/v.yaml:4:9", rule: .expressionSyntax, contains: "expected an expression")
        let good = text.replacingOccurrences(of: "t.x > )", with: "t.x > 1")
        guard let spec = readClean(good) else { return }
        XCTAssertEqual(at(spec.query.whereClause), "4:3", "not the `t` of `the` in the header comment")
    }

    func testExpressionErrorInFlowMapping() {
        let text = "view: v\nfrom: users u\nselect: {a: u.id, b: count(*) +, c: 1}\n"
        onlyDiagnostic(text, at: "specs/v.yaml:3:32", rule: .expressionSyntax, contains: "expected an expression, found the end")
    }

    func testExpressionErrorInSourceString() {
        let text = "view: v\nfrom: users u extra\nselect: {id: u.id}\n"
        onlyDiagnostic(text, at: "specs/v.yaml:2:15", rule: .expressionSyntax, contains: "unexpected 'extra'")
    }

    func testExpressionErrorsAfterNonASCIIText() {
        // Columns count Unicode scalars, as libyaml does.
        let text = "view: v\nfrom: users u\nwhere: u.name = 'Zoë Ærø' and )\nselect: {id: u.id}\n"
        onlyDiagnostic(text, at: "specs/v.yaml:3:31", rule: .expressionSyntax, contains: "expected an expression")
    }

    func testExpressionErrorWithCRLFLineEndings() {
        let text = "view: v\r\nfrom: users u\r\nwhere: u.id > 0\r\n  and )\r\nselect: {id: u.id}\r\n"
        onlyDiagnostic(text, at: "specs/v.yaml:4:7", rule: .expressionSyntax, contains: "expected an expression")
    }

    func testSeveralErrorsAreAllReported() {
        let text = """
        view: v
        from: users u
        where: u.a = = 1
        select:
          a: u.a +
          b: count(
          c: u.ok
        having: sum(u.x) over ()
        """
        let (spec, diagnostics) = read(text)
        XCTAssertNotNil(spec, "only expressions are broken; the spec still has its shape")
        // The reader reports in the order it reads (having before select); the driver sorts.
        XCTAssertEqual(diagnostics.map(\.location).sorted().map { "\($0.line):\($0.column)" }, ["3:14", "5:11", "6:12", "8:18"])
        XCTAssertTrue(diagnostics.allSatisfy { $0.rule == .expressionSyntax })
        XCTAssertEqual(spec?.query.select.map(\.name.value), ["c"])
    }

    func testUnsupportedConstructsInSpecsAreDiagnostics() {
        let text = """
        view: v
        from: users u
        where: u.id in (select id from admins)
        select:
          a: $1
          b: row_number() over (order by u.id)
        """
        let (_, diagnostics) = read(text)
        XCTAssertEqual(diagnostics.map { "\($0.location.line):\($0.location.column)" }, ["3:17", "5:6", "6:19"])
        XCTAssertTrue(diagnostics.allSatisfy { $0.rule == .expressionSyntax })
    }

    func testDiagnosticSorting() {
        var bag = DiagnosticBag()
        let late = Diagnostic.warning(.fanout, at: SourceLocation(file: "b.yaml", line: 1, column: 1), "w")
        let early = Diagnostic.error(.unknownColumn, at: SourceLocation(file: "a.yaml", line: 9, column: 2), "e")
        let sameSpotWarning = Diagnostic.warning(.timeDependent, at: SourceLocation(file: "a.yaml", line: 2, column: 5), "x")
        let sameSpotError = Diagnostic.error(.typeMismatch, at: SourceLocation(file: "a.yaml", line: 2, column: 5), "y")
        bag.append(contentsOf: [late, early, sameSpotWarning, sameSpotError])
        XCTAssertTrue(bag.hasErrors)
        XCTAssertEqual(bag.sorted.map(\.message), ["y", "x", "e", "w"])
        XCTAssertFalse(DiagnosticBag().hasErrors)
    }
}

final class DurationTextTests: XCTestCase {
    func testParsesPlainSecondsAndUnits() {
        XCTAssertEqual(DurationText.seconds("90"), 90)
        XCTAssertEqual(DurationText.seconds("0"), 0)
        XCTAssertEqual(DurationText.seconds("30s"), 30)
        XCTAssertEqual(DurationText.seconds("10m"), 600)
        XCTAssertEqual(DurationText.seconds("1h"), 3600)
        XCTAssertEqual(DurationText.seconds("1d"), 86_400)
        XCTAssertEqual(DurationText.seconds("1h30m"), 5400)
        XCTAssertEqual(DurationText.seconds("1d2h3m4s"), 93_784)
        XCTAssertEqual(DurationText.seconds("90m"), 5400)
        XCTAssertEqual(DurationText.seconds(" 10m "), 600)
    }

    func testRejectsMalformedDurations() {
        for bad in ["", " ", "m", "10x", "1h30", "-5", "-5m", "1.5h", "10 minutes", "1h 30m", "10M", "h1", "1hm"] {
            XCTAssertNil(DurationText.seconds(bad), "'\(bad)' should not be a duration")
        }
    }

    func testHugeDurationsAreRejectedNotTrapped() {
        XCTAssertNil(DurationText.seconds("999999999999999999999s"))
        XCTAssertNil(DurationText.seconds("999999999999999d"))
        XCTAssertNil(DurationText.seconds("106751991167300d1d"))
    }

    func testFormatsTheShortestForm() {
        XCTAssertEqual(DurationText.format(0), "0s")
        XCTAssertEqual(DurationText.format(59), "59s")
        XCTAssertEqual(DurationText.format(600), "10m")
        XCTAssertEqual(DurationText.format(3600), "1h")
        XCTAssertEqual(DurationText.format(5400), "1h30m")
        XCTAssertEqual(DurationText.format(86_400), "1d")
        XCTAssertEqual(DurationText.format(90_061), "1d1h1m1s")
        XCTAssertEqual(DurationText.format(3601), "1h1s")
    }

    func testFormatRoundTrips() {
        for seconds in [0, 1, 59, 60, 61, 599, 600, 3599, 3600, 3661, 86_399, 86_400, 90_061, 1_000_000] {
            XCTAssertEqual(DurationText.seconds(DurationText.format(seconds)), seconds, "\(seconds)")
        }
    }
}

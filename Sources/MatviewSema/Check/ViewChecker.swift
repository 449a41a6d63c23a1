import MatviewSyntax

/// Checks one view spec: its CTEs and query, then the view-level rules (names, indexes and the
/// grain, refresh policy, schedules, time dependence).
struct ViewChecker {
    var environment: Environment
    let sink: DiagnosticSink

    static let maxIdentifierBytes = 63

    mutating func check(_ spec: ViewSpec) -> CheckedView {
        let errorsBefore = sink.errorCount
        sink.viewIgnores = Set(spec.ignore.map(\.value))
        checkIgnoreList(spec.ignore + spec.query.select.flatMap(\.ignore))
        checkLength(spec.name.value, "view name", at: spec.name.location)
        NameCharacterRule.check(spec, sink: sink)
        let schema = spec.schema?.value ?? "public"

        var ctes: [(name: String, query: CheckedQuery)] = []
        for cte in spec.ctes {
            checkLength(cte.name.name, "CTE name", at: cte.name.location)
            if environment.ctes[cte.name.name] != nil {
                sink.error(.duplicateAlias, at: cte.name.location, "CTE '\(cte.name.name)' is defined twice")
            }
            let query = QueryChecker(environment: environment, sink: sink).check(cte.query)
            environment.ctes[cte.name.name] = query
            ctes.append((cte.name.name, query))
        }
        let query = QueryChecker(environment: environment, sink: sink).check(spec.query)
        for column in query.columns { checkLength(column.name, "column name", at: column.location) }

        let indexes = checkIndexes(spec, query: query)
        let refresh = checkRefresh(spec, query: query, indexes: indexes)

        var dependencies = Set<String>()
        collectViewReferences(query, into: &dependencies)
        for cte in ctes { collectViewReferences(cte.query, into: &dependencies) }

        for grant in spec.grants { checkLength(grant.value, "role name", at: grant.location) }
        var view = CheckedView(spec: spec, schema: schema, name: spec.name.value, description: spec.description?.value, ctes: ctes, query: query,
                               indexes: indexes, refresh: refresh, sourceTables: query.sourceTables.sorted(), dependencies: dependencies.sorted(),
                               timeDependent: query.timeDependent, grants: spec.grants.map(\.value), slowQueryMs: spec.slowQueryMs?.value)
        // Only a query that checked cleanly has key paths worth tracing.
        if refresh.strategy == .incremental, let strategy = spec.refresh.strategy, sink.errorCount == errorsBefore {
            view.incremental = KeyPathAnalysis(view: view, views: environment.views, sink: sink, strategyLocation: strategy.location).plan()
            // Which source table immediate writers may apply as a difference (read from `view`
            // first: it cannot be read while its plan is being written).
            let delta = DeltaAnalysis(view: view, catalog: environment.catalog).source()
            let touches = TouchAnalysis(view: view, catalog: environment.catalog).sources().filter { $0.table != delta?.table }
            view.incremental?.delta = delta
            view.incremental?.touches = touches
        }
        sink.viewIgnores = []
        return view
    }

    private func checkIgnoreList(_ names: [Located<String>]) {
        for rule in names {
            guard let known = Rule(rawValue: rule.value) else {
                sink.warning(.unknownRule, at: rule.location, "'\(rule.value)' is not a rule name",
                             hint: Spelling.nearest(to: rule.value, in: Rule.allCases.map(\.rawValue)).map { "did you mean '\($0)'?" })
                continue
            }
            if !known.isIgnorable {
                sink.warning(.unknownRule, at: rule.location, "rule '\(rule.value)' cannot be ignored: what it reports would fail in PostgreSQL",
                             hint: "ignorable rules: \(Rule.allCases.filter(\.isIgnorable).map(\.rawValue).joined(separator: ", "))")
            }
        }
    }

    private func checkLength(_ name: String, _ what: String, at location: SourceLocation) {
        let bytes = name.utf8.count
        if bytes > Self.maxIdentifierBytes {
            sink.error(.identifierTooLong, at: location, "\(what) '\(name)' is \(bytes) bytes; PostgreSQL truncates names to \(Self.maxIdentifierBytes)",
                       hint: "shorten it: two names that differ after byte 63 would collide")
        }
    }

    private func collectViewReferences(_ query: CheckedQuery, into names: inout Set<String>) {
        for relation in query.relations {
            switch relation.source {
            case .view(let name): names.insert(name)
            case .subquery(let nested, _): collectViewReferences(nested, into: &names)
            default: break
            }
        }
    }

    // MARK: - Indexes

    private func checkIndexes(_ spec: ViewSpec, query: CheckedQuery) -> [CheckedIndex] {
        let outputNames = query.columns.map(\.name)
        var result: [CheckedIndex] = []
        var usedNames = Set<String>()
        for index in spec.indexes {
            var valid = true
            for column in index.columns where !outputNames.contains(column.name.name) {
                valid = false
                sink.error(.unknownIndexColumn, at: column.name.location, "the view has no column '\(column.name.name)' to index",
                           hint: Spelling.nearest(to: column.name.name, in: outputNames).map { "did you mean '\($0)'?" } ?? "index columns name the view's output columns: \(outputNames.joined(separator: ", "))")
            }
            let name = index.name?.value ?? IndexNaming.defaultName(view: spec.name.value, columns: index.columns.map(\.name.name), unique: index.unique)
            if let given = index.name { checkLength(given.value, "index name", at: given.location) }
            if !usedNames.insert(name).inserted {
                sink.error(.duplicateKey, at: index.name?.location ?? index.location, "two indexes of this view are named '\(name)'", hint: "give one of them a `name:`")
            }
            if let whereClause = index.whereClause {
                let scope = Scope()
                scope.relations = [CheckedRelation(alias: spec.name.value, source: .view(spec.name.value), columns: query.relationColumns(source: spec.name.value), keys: [], primaryKey: nil, location: index.location)]
                var checker = ExpressionChecker(scope: scope, sink: sink, clause: .indexWhere, grouped: false)
                let typed = checker.check(whereClause)
                checker.requireCondition(typed, at: whereClause.location, "an index's where")
                if let clockRead = typed.clockRead {
                    sink.error(.timeDependent, at: clockRead, "an index predicate cannot use the time (functions in index predicates must be immutable)")
                }
            }
            if valid && index.unique {
                checkGrain(index, query: query, spec: spec)
            }
            result.append(CheckedIndex(name: name, columns: index.columns, unique: index.unique, whereClause: index.whereClause, method: index.method?.value.lowercased()))
        }
        return result
    }

    /// A unique index must be implied by the grain, or the refresh that builds it fails.
    private func checkGrain(_ index: IndexSpec, query: CheckedQuery, spec: ViewSpec) {
        let indexed = Set(index.columns.map(\.name.name))
        if query.keys.contains(where: { Set($0).isSubset(of: indexed) }) { return }
        let columns = index.columns.map(\.name.name).joined(separator: ", ")
        let grain: String
        if let key = query.keys.first {
            grain = key.isEmpty ? "it has one row" : "it has one row per (\(key.joined(separator: ", ")))"
        } else {
            grain = "matview cannot derive a key for its rows"
        }
        sink.error(.uniqueIndexGrain, at: index.location, "unique index on (\(columns)) is not implied by the view's grain: \(grain)",
                   hint: query.keys.first.map { key in key.isEmpty ? "" : "index (\(key.joined(separator: ", "))) instead, or make the query one row per (\(columns))" }
                       ?? "group by the indexed columns, or select the key columns of every joined table; if you know better, add unique-index-grain to `ignore:`")
    }

    // MARK: - Refresh

    private func checkRefresh(_ spec: ViewSpec, query: CheckedQuery, indexes: [CheckedIndex]) -> RefreshPolicy {
        let refresh = spec.refresh
        if let schedule = refresh.schedule, let problem = CronSchedule.problem(in: schedule.value) {
            sink.error(.cronSchedule, at: schedule.location, "invalid pg_cron schedule '\(schedule.value)': \(problem)",
                       hint: "e.g. \"*/5 * * * *\" (every 5 minutes), \"0 3 * * *\" (daily at 03:00) or \"30 seconds\"")
        }
        let strategy = refresh.strategy?.value ?? .full
        if strategy == .incremental, let concurrently = refresh.concurrently {
            sink.error(.invalidValue, at: concurrently.location, "concurrently does not apply to an incremental view: it is a table updated group by group, never refreshed whole",
                       hint: "remove `concurrently:`, or use `strategy: full`")
        } else if let concurrently = refresh.concurrently, concurrently.value {
            let usable = indexes.contains { $0.unique && $0.whereClause == nil }
            if !usable {
                let partial = indexes.contains { $0.unique }
                sink.error(.concurrentlyWithoutUniqueIndex, at: concurrently.location,
                           "REFRESH MATERIALIZED VIEW CONCURRENTLY needs a unique index on plain columns without a where clause, and \(spec.name.value) has \(partial ? "only partial ones" : "none")",
                           hint: query.keys.first.map { key in key.isEmpty ? "add `indexes: [{columns: [<any column>], unique: true}]`" : "add `- columns: [\(key.joined(separator: ", "))]` with `unique: true` under indexes" }
                               ?? "add a unique index on the columns that identify a row, or set concurrently: false")
            }
        }
        if let clockRead = query.clockRead, refresh.schedule == nil {
            // At the expression that reads the clock: that is what the user may change; the
            // `refresh:` key, where a schedule would go, gets a note.
            sink.warning(.timeDependent, at: clockRead,
                         "\(spec.name.value) reads the clock here, so its rows change with time alone, but it has no refresh schedule",
                         hint: "add `refresh: {schedule: \"0 * * * *\"}`: a change-driven refresh alone leaves it stale")
            if let refreshKey = refresh.keyLocation {
                sink.report(Diagnostic(.note, .timeDependent, at: refreshKey,
                                       "\(spec.name.value)'s refresh policy has no `schedule:`; add one here (e.g. schedule: \"0 * * * *\") to refresh it as time passes"))
            }
        }
        let onChange = refresh.onChange?.value ?? .none
        if onChange == .immediate && strategy != .incremental, let location = refresh.onChange?.location {
            sink.error(.invalidValue, at: location, "on_change: immediate needs `strategy: incremental`: a full refresh inside every writing statement would make writers wait",
                       hint: "add `strategy: incremental`, or use `on_change: queue`")
        }
        if let minInterval = refresh.minInterval, onChange != .queue {
            sink.warning(.invalidValue, at: minInterval.location,
                         "min_interval has no effect: \(spec.name.value) is not refreshed on change",
                         hint: "add `on_change: queue`, or remove min_interval")
        }
        return RefreshPolicy(strategy: strategy, schedule: refresh.schedule?.value, concurrently: strategy == .full && (refresh.concurrently?.value ?? false),
                             onChange: onChange, minIntervalSeconds: refresh.minInterval?.value ?? RefreshPolicy.defaultMinIntervalSeconds(strategy),
                             maxStalenessSeconds: refresh.maxStaleness?.value)
    }
}

/// Default index names, PostgreSQL style (`view_col_idx`), kept within 63 bytes by a stable
/// hash suffix so two long names never collide after truncation.
public enum IndexNaming {
    public static func defaultName(view: String, columns: [String], unique: Bool) -> String {
        let name = "\(view)_\(columns.joined(separator: "_"))_\(unique ? "key" : "idx")"
        guard name.utf8.count > ViewChecker.maxIdentifierBytes else { return name }
        var hash: UInt32 = 2_166_136_261
        for byte in name.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        let suffix = "_" + String(hash, radix: 16)
        var prefix = ""
        for character in name {
            if prefix.utf8.count + String(character).utf8.count + suffix.utf8.count > ViewChecker.maxIdentifierBytes { break }
            prefix.append(character)
        }
        return prefix + suffix
    }
}

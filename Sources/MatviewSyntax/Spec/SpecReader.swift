import Yams

/// Reads one view spec file (YAML) into a `ViewSpec`, parsing every expression string in place so
/// that its tokens point into the YAML file. Problems become diagnostics; the reader keeps going
/// to report as many as it can, and returns nil only when the spec has no usable shape.
public struct SpecReader {
    private var document: YAMLDocument

    public init(path: String, text: String) {
        document = YAMLDocument(path: path, text: text)
    }

    public static func read(path: String, text: String) -> (spec: ViewSpec?, diagnostics: [Diagnostic]) {
        var reader = SpecReader(path: path, text: text)
        let spec = reader.read()
        return (spec, reader.document.diagnostics.all)
    }

    public mutating func read() -> ViewSpec? {
        guard let root = document.root else {
            if document.diagnostics.all.isEmpty {
                document.diagnostics.append(.error(.missingKey, at: document.source.location(ofOffset: 0), "the spec is empty",
                                                   hint: "a view spec needs at least `view:`, `from:` and `select:`"))
            }
            return nil
        }
        guard let pairs = document.mapping(root, "a view spec") else { return nil }
        document.rejectUnknownKeys(pairs, allowed: SpecKeys.viewSpec.names, in: "a view spec")
        let rootLocation = document.location(of: root)
        let fields = Dictionary(pairs.map { ($0.key.value, $0.value) }, uniquingKeysWith: { first, _ in first })

        let name = fields["view"].flatMap { document.string($0, "view") }
        if fields["view"] == nil {
            document.diagnostics.append(.error(.missingKey, at: rootLocation, "the spec has no `view:` key", hint: "name the materialized view, e.g. `view: dashboard_summary_mv`"))
        }
        let schema = fields["schema"].flatMap { document.string($0, "schema") }
        let description = fields["description"].flatMap { document.string($0, "description") }

        var ctes: [CommonTableExpression] = []
        if let with = fields["with"], let entries = document.mapping(with, "with") {
            for (key, value) in entries {
                let identifier = Identifier(key.value, quoted: key.value != key.value.lowercased(), at: key.location)
                if let query = query(value, what: "the CTE '\(key.value)'") {
                    ctes.append(CommonTableExpression(name: identifier, query: query))
                }
            }
        }

        let query = querySpec(fields: fields, at: rootLocation, what: "the view")
        var indexes: [IndexSpec] = []
        if let node = fields["indexes"], let items = document.sequence(node, "indexes") {
            indexes = items.compactMap { index($0) }
        }
        var refresh = fields["refresh"].map { refreshSpec($0) } ?? RefreshSpec()
        refresh.keyLocation = pairs.first { $0.key.value == "refresh" }?.key.location
        let grants = fields["grants"].map { document.strings($0, "grants") } ?? []
        let slow = fields["slow_query_ms"].flatMap { document.integer($0, "slow_query_ms") }
        let ignore = fields["ignore"].map { document.strings($0, "ignore") } ?? []

        guard let name, let query else { return nil }
        return ViewSpec(file: document.source.path, name: name, schema: schema, description: description, ctes: ctes,
                        query: query, indexes: indexes, refresh: refresh, grants: grants, slowQueryMs: slow,
                        ignore: ignore, location: rootLocation)
    }

    // MARK: - Queries

    private mutating func query(_ node: Node, what: String) -> QuerySpec? {
        guard let pairs = document.mapping(node, what) else { return nil }
        document.rejectUnknownKeys(pairs, allowed: SpecKeys.query.names, in: what)
        let fields = Dictionary(pairs.map { ($0.key.value, $0.value) }, uniquingKeysWith: { first, _ in first })
        return querySpec(fields: fields, at: document.location(of: node), what: what)
    }

    private mutating func querySpec(fields: [String: Node], at location: SourceLocation, what: String) -> QuerySpec? {
        var from: SourceSpec?
        if let node = fields["from"] {
            from = source(node)
        } else {
            document.diagnostics.append(.error(.missingKey, at: location, "\(what) has no `from:` key", hint: "name the table the rows come from, e.g. `from: users u`"))
        }
        var joins: [JoinSpec] = []
        if let node = fields["join"], let items = document.sequence(node, "join") {
            joins = items.compactMap { join($0) }
        }
        let whereClause = fields["where"].flatMap { expression($0, "where") }
        var groupBy: [Expr] = []
        if let node = fields["group_by"] {
            let items: [Node]
            if case .sequence(let seq) = node { items = Array(seq) } else { items = [node] }
            groupBy = items.compactMap { expression($0, "group_by") }
        }
        let having = fields["having"].flatMap { expression($0, "having") }
        var select: [SelectItem] = []
        if let node = fields["select"] {
            select = selectItems(node)
        } else {
            document.diagnostics.append(.error(.missingKey, at: location, "\(what) has no `select:` key", hint: "list the output columns as `name: expression`"))
        }
        guard let from, fields["select"] != nil else { return nil }
        return QuerySpec(from: from, joins: joins, whereClause: whereClause, groupBy: groupBy, having: having, select: select, location: location)
    }

    private mutating func selectItems(_ node: Node) -> [SelectItem] {
        guard let pairs = document.mapping(node, "select") else { return [] }
        if pairs.isEmpty {
            document.diagnostics.append(.error(.missingKey, at: document.location(of: node), "`select:` lists no columns"))
        }
        var items: [SelectItem] = []
        for (key, value) in pairs {
            if case .mapping = value {
                guard let long = document.mapping(value, "the column '\(key.value)'") else { continue }
                document.rejectUnknownKeys(long, allowed: SpecKeys.column.names, in: "the column '\(key.value)'")
                let fields = Dictionary(long.map { ($0.key.value, $0.value) }, uniquingKeysWith: { a, _ in a })
                guard let exprNode = fields["expr"] else {
                    document.diagnostics.append(.error(.missingKey, at: key.location, "the column '\(key.value)' has no `expr:`"))
                    continue
                }
                guard let expr = expression(exprNode, "the column '\(key.value)'") else { continue }
                let description = fields["description"].flatMap { document.string($0, "description") }?.value
                let ignore = fields["ignore"].map { document.strings($0, "ignore") } ?? []
                items.append(SelectItem(name: key, expr: expr, description: description, ignore: ignore))
            } else if let expr = expression(value, "the column '\(key.value)'") {
                items.append(SelectItem(name: key, expr: expr))
            }
        }
        return items
    }

    // MARK: - Sources and joins

    private mutating func source(_ node: Node) -> SourceSpec? {
        switch node {
        case .scalar:
            let map = document.valueMap(of: node)
            guard let text = document.string(node, "a source")?.value else { return nil }
            return parsed(Parser.parseWhole(text, locator: map) { try $0.sourceReference() })
        case .mapping:
            guard let pairs = document.mapping(node, "a nested query") else { return nil }
            document.rejectUnknownKeys(pairs, allowed: SpecKeys.nestedQuery.names, in: "a nested query source")
            let fields = Dictionary(pairs.map { ($0.key.value, $0.value) }, uniquingKeysWith: { a, _ in a })
            let location = document.location(of: node)
            guard let aliasNode = fields["as"], let alias = document.string(aliasNode, "as") else {
                document.diagnostics.append(.error(.missingKey, at: location, "a nested query needs an alias in `as:`"))
                return nil
            }
            let lateral = fields["lateral"].flatMap { document.bool($0, "lateral") }?.value ?? false
            guard let queryNode = fields["query"] else {
                document.diagnostics.append(.error(.missingKey, at: location, "a nested query needs its `query:`"))
                return nil
            }
            guard let query = query(queryNode, what: "the nested query '\(alias.value)'") else { return nil }
            let identifier = Identifier(alias.value, quoted: alias.value != alias.value.lowercased(), at: alias.location)
            return SourceSpec(kind: .subquery(query, lateral: lateral), alias: identifier, location: location)
        default:
            document.diagnostics.append(.error(.invalidValue, at: document.location(of: node), "a source must be a table name or a nested query mapping"))
            return nil
        }
    }

    private mutating func join(_ node: Node) -> JoinSpec? {
        guard let pairs = document.mapping(node, "a join") else { return nil }
        let kinds = JoinKind.allCases.map(\.rawValue)
        document.rejectUnknownKeys(pairs, allowed: SpecKeys.join.names, in: "a join")
        let kindPairs = pairs.filter { kinds.contains($0.key.value) }
        let location = document.location(of: node)
        guard let (kindKey, sourceNode) = kindPairs.first else {
            document.diagnostics.append(.error(.missingKey, at: location, "a join needs one of \(kinds.joined(separator: ", ")) with its source",
                                               hint: "e.g. `- left: projects p` and `on: p.user_id = u.id`"))
            return nil
        }
        if kindPairs.count > 1 {
            document.diagnostics.append(.error(.invalidValue, at: kindPairs[1].key.location, "a join takes one kind; this one has both '\(kindKey.value)' and '\(kindPairs[1].key.value)'"))
        }
        let kind = JoinKind(rawValue: kindKey.value)!
        guard let source = source(sourceNode) else { return nil }
        let onNode = pairs.first { $0.key.value == "on" }
        var condition: Expr?
        if let onNode {
            if kind == .cross {
                document.diagnostics.append(.error(.invalidValue, at: onNode.key.location, "a cross join takes no `on:` condition", hint: "use `inner:` to join on a condition"))
            }
            condition = expression(onNode.value, "on")
            if condition == nil { return nil }
        } else if kind != .cross {
            document.diagnostics.append(.error(.missingKey, at: kindKey.location, "this \(kind.rawValue) join has no `on:` condition",
                                               hint: "add `on: <condition>` (use `on: true` for a lateral source), or make it `cross:`"))
            return nil
        }
        return JoinSpec(kind: kind, source: source, condition: condition, location: kindKey.location)
    }

    // MARK: - Indexes and refresh

    private mutating func index(_ node: Node) -> IndexSpec? {
        guard let pairs = document.mapping(node, "an index") else { return nil }
        document.rejectUnknownKeys(pairs, allowed: SpecKeys.index.names, in: "an index")
        let fields = Dictionary(pairs.map { ($0.key.value, $0.value) }, uniquingKeysWith: { a, _ in a })
        let location = document.location(of: node)
        guard let columnsNode = fields["columns"] else {
            document.diagnostics.append(.error(.missingKey, at: location, "an index needs `columns:`"))
            return nil
        }
        var columns: [IndexSpec.Column] = []
        let columnNodes: [Node]
        if case .sequence(let seq) = columnsNode { columnNodes = Array(seq) } else { columnNodes = [columnsNode] }
        for columnNode in columnNodes {
            guard let text = document.string(columnNode, "an index column") else { continue }
            if let column = parsed(IndexColumnText.parse(text.value, locator: document.valueMap(of: columnNode))) {
                columns.append(column)
            }
        }
        if columns.isEmpty && !columnNodes.isEmpty { return nil }
        if columns.isEmpty {
            document.diagnostics.append(.error(.invalidValue, at: location, "an index needs at least one column"))
            return nil
        }
        let unique = fields["unique"].flatMap { document.bool($0, "unique") }?.value ?? false
        let name = fields["name"].flatMap { document.string($0, "name") }
        let whereClause = fields["where"].flatMap { expression($0, "where") }
        let method = fields["using"].flatMap { document.string($0, "using") }
        if let method, IndexMethod(rawValue: method.value.lowercased()) == nil {
            document.diagnostics.append(.error(.invalidValue, at: method.location, "unknown index method '\(method.value)'",
                                               hint: "use \(Self.alternatives(IndexMethod.allCases.map(\.rawValue)))"))
        }
        return IndexSpec(name: name, columns: columns, unique: unique, whereClause: whereClause, method: method, location: location)
    }

    private mutating func refreshSpec(_ node: Node) -> RefreshSpec {
        guard let pairs = document.mapping(node, "refresh") else { return RefreshSpec() }
        document.rejectUnknownKeys(pairs, allowed: SpecKeys.refresh.names, in: "refresh")
        let fields = Dictionary(pairs.map { ($0.key.value, $0.value) }, uniquingKeysWith: { a, _ in a })
        var refresh = RefreshSpec(location: document.location(of: node))
        refresh.strategy = choice(fields["strategy"], "strategy", RefreshStrategy.self)
        refresh.schedule = fields["schedule"].flatMap { document.string($0, "schedule") }
        refresh.concurrently = fields["concurrently"].flatMap { document.bool($0, "concurrently") }
        refresh.onChange = choice(fields["on_change"], "on_change", OnChange.self)
        refresh.minInterval = duration(fields["min_interval"], "min_interval")
        refresh.maxStaleness = duration(fields["max_staleness"], "max_staleness")
        return refresh
    }

    /// One of a closed set of words (`on_change`, `strategy`).
    private mutating func choice<Value: RawRepresentable & CaseIterable>(_ node: Node?, _ key: String, _: Value.Type) -> Located<Value>?
        where Value.RawValue == String {
        guard let node, let text = document.string(node, key) else { return nil }
        guard let value = Value(rawValue: text.value) else {
            document.diagnostics.append(.error(.invalidValue, at: text.location, "\(key) must be \(Self.alternatives(Value.allCases.map(\.rawValue))), found '\(text.value)'"))
            return nil
        }
        return Located(value, at: text.location)
    }

    /// `a, b or c`.
    static func alternatives(_ words: [String]) -> String {
        words.count < 2 ? words.joined() : words.dropLast().joined(separator: ", ") + " or " + words.last!
    }

    private mutating func duration(_ node: Node?, _ key: String) -> Located<Int>? {
        guard let node, let text = document.string(node, key) else { return nil }
        guard let seconds = DurationText.seconds(text.value) else {
            document.diagnostics.append(.error(.invalidValue, at: text.location, "\(key) must be a duration such as 30s, 10m, 1h or 1h30m, found '\(text.value)'"))
            return nil
        }
        return Located(seconds, at: text.location)
    }

    // MARK: - Expressions

    private mutating func expression(_ node: Node, _ what: String) -> Expr? {
        guard case .scalar(let scalar) = node else {
            document.diagnostics.append(.error(.invalidValue, at: document.location(of: node), "\(what) must be an SQL expression string, found \(YAMLDocument.shape(of: node))"))
            return nil
        }
        return parsed(Parser.parseExpression(scalar.string, locator: document.valueMap(of: node)))
    }

    private mutating func parsed<T>(_ result: Result<T, Parser.SyntaxError>) -> T? {
        switch result {
        case .success(let value): return value
        case .failure(let error):
            document.diagnostics.append(.error(.expressionSyntax, at: error.location, error.message, hint: error.hint))
            return nil
        }
    }
}

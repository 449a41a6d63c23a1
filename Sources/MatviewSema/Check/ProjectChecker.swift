import MatviewSyntax

/// Checks every view spec of a project against the catalog. Views may read each other, so they
/// are checked in dependency order (a view after the views it reads); a cycle is reported and
/// the views in it are left out.
public struct ProjectChecker {
    public init() {}

    public func check(specs: [ViewSpec], catalog: Catalog) -> (project: CheckedProject, diagnostics: [Diagnostic]) {
        let sink = DiagnosticSink()
        var byName: [String: ViewSpec] = [:]
        var ordered: [ViewSpec] = []
        for spec in specs.sorted(by: { $0.file < $1.file }) {
            if let existing = byName[spec.name.value] {
                sink.error(.duplicateView, at: spec.name.location, "view \(spec.name.value) is also defined in \(existing.file)")
                continue
            }
            byName[spec.name.value] = spec
            ordered.append(spec)
        }

        // Edges: the view specs each spec names as a source (its own CTEs shadow them).
        var references: [String: [(name: String, location: SourceLocation)]] = [:]
        for spec in ordered {
            let cteNames = Set(spec.ctes.map(\.name.name))
            var found: [(String, SourceLocation)] = []
            func visit(_ query: QuerySpec) {
                for source in [query.from] + query.joins.map(\.source) {
                    switch source.kind {
                    case .named(let schema, let name) where !cteNames.contains(name.name) || schema != nil:
                        if byName[name.name] != nil { found.append((name.name, name.location)) }
                    case .subquery(let nested, _): visit(nested)
                    default: break
                    }
                }
            }
            for cte in spec.ctes { visit(cte.query) }
            visit(spec.query)
            references[spec.name.value] = found
        }

        let (order, cyclic) = Self.dependencyOrder(ordered.map(\.name.value), references: references, sink: sink)
        // A dump of a database the views were deployed to holds them too: the specs win.
        let catalog = catalog.shadowed(by: Set(ordered.map { TableName(schema: $0.schema?.value ?? "public", name: $0.name.value) }))
        var environment = Environment(catalog: catalog, views: [:], viewNames: Set(byName.keys))
        var views: [CheckedView] = []
        for name in order where !cyclic.contains(name) {
            guard let spec = byName[name] else { continue }
            let view = Self.checkView(spec, environment: environment, sink: sink)
            environment.views[name] = view
            views.append(view)
        }
        return (CheckedProject(catalog: catalog, views: views), sink.diagnostics)
    }

    /// Checks one view on a copy of the environment that ends with this call, so adding the
    /// result to `environment.views` afterwards does not copy the dictionary (that made checking
    /// quadratic in the number of views).
    private static func checkView(_ spec: ViewSpec, environment: Environment, sink: DiagnosticSink) -> CheckedView {
        var checker = ViewChecker(environment: environment, sink: sink)
        return checker.check(spec)
    }

    /// Depth-first topological order, stable by name; reports each cycle once, at the reference
    /// that closes it.
    static func dependencyOrder(_ names: [String], references: [String: [(name: String, location: SourceLocation)]], sink: DiagnosticSink) -> ([String], Set<String>) {
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        var order: [String] = []
        var cyclic = Set<String>()
        var stack: [String] = []

        func visit(_ name: String) {
            if marks[name] == .done { return }
            marks[name] = .visiting
            stack.append(name)
            for reference in references[name] ?? [] {
                switch marks[reference.name] {
                case .visiting:
                    let start = stack.firstIndex(of: reference.name) ?? 0
                    let cycle = Array(stack[start...]) + [reference.name]
                    cyclic.formUnion(cycle)
                    sink.error(.dependencyCycle, at: reference.location, "views read each other in a cycle: \(cycle.joined(separator: " -> "))",
                               hint: "a materialized view cannot be built from itself; break the cycle")
                case .done:
                    if cyclic.contains(reference.name) { cyclic.insert(name) }
                case nil:
                    visit(reference.name)
                    if cyclic.contains(reference.name) { cyclic.insert(name) }
                }
            }
            stack.removeLast()
            marks[name] = .done
            order.append(name)
        }
        for name in names.sorted() { visit(name) }
        return (order, cyclic)
    }
}

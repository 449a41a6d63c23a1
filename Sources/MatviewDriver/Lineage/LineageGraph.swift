import MatviewQuoting
import MatviewSema

/// The lineage of a checked project: which tables and views each view reads directly (a table
/// read through another view is that view's edge, not this one's), for `matview graph`.
/// Built from the checked IR, so it is what the compiler understood, not what a database holds.
public struct LineageGraph: Sendable, Equatable {
    public enum NodeKind: String, Sendable {
        case table, view
    }

    public struct Node: Sendable, Hashable {
        public var kind: NodeKind
        /// As SQL names it: `name`, or `schema.name` outside public, each part quoted where
        /// PostgreSQL needs it (`sales."returns #1"`), so `a.b` cannot be mistaken for a name
        /// with a dot.
        public var name: String
    }

    public struct Edge: Sendable, Hashable {
        public var from: Node
        public var to: Node
    }

    /// Tables sorted by schema and name, then views in dependency order (each after the views
    /// it reads), so the same specs give the same graph.
    public var nodes: [Node]
    /// Per view in that order: the tables it reads, sorted, then the views it reads, sorted.
    public var edges: [Edge]

    public init(_ project: CheckedProject) {
        var viewNodes: [String: Node] = [:]
        for view in project.views { viewNodes[view.name] = Node(kind: .view, name: Self.sqlName(view.qualifiedName)) }
        var tables = Set<TableName>()
        var edges: [Edge] = []
        for view in project.views {
            let target = Node(kind: .view, name: Self.sqlName(view.qualifiedName))
            var read = Set<TableName>()
            Self.collectTables(view.query, into: &read)
            for cte in view.ctes { Self.collectTables(cte.query, into: &read) }
            tables.formUnion(read)
            edges += read.sorted().map { Edge(from: Node(kind: .table, name: Self.sqlName($0)), to: target) }
            edges += view.dependencies.compactMap { viewNodes[$0] }.sorted { $0.name < $1.name }.map { Edge(from: $0, to: target) }
        }
        nodes = tables.sorted().map { Node(kind: .table, name: Self.sqlName($0)) } + project.views.map { Node(kind: .view, name: Self.sqlName($0.qualifiedName)) }
        self.edges = edges
    }

    static func sqlName(_ name: TableName) -> String {
        (name.schema == "public" ? "" : SQLQuoting.identifier(name.schema) + ".") + SQLQuoting.identifier(name.name)
    }

    /// The tables a query names itself or in its nested queries; CTEs are walked from the view,
    /// and other views stand for their own tables.
    private static func collectTables(_ query: CheckedQuery, into tables: inout Set<TableName>) {
        for relation in query.relations {
            switch relation.source {
            case .table(let name): tables.insert(name)
            case .subquery(let nested, _): collectTables(nested, into: &tables)
            default: break
            }
        }
    }
}

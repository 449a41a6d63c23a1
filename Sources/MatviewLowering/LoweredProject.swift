import MatviewSema

/// The lowering stage's output: every view lowered, in dependency order, and the names of the
/// support objects. The SQL and Swift back ends and the live commands start from here.
public struct LoweredProject: Sendable {
    public let checked: CheckedProject
    public let views: [LoweredView]
    public let support: SupportNames

    public init(_ checked: CheckedProject, supportSchema: String, monitoringRole: String? = nil) {
        self.checked = checked
        support = SupportNames(schema: supportSchema, monitoringRole: monitoringRole)
        let schemas = Dictionary(checked.views.map { ($0.name, $0.schema) }, uniquingKeysWith: { a, _ in a })
        let renderer = QueryRenderer(viewSchemas: schemas)
        let byName = Dictionary(checked.views.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        views = checked.views.map {
            LoweredView(view: $0, renderer: renderer, catalog: checked.catalog, views: byName, supportSchema: supportSchema)
        }
    }
}

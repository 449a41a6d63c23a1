import MatviewQuoting
import MatviewSema
import MatviewSyntax

/// The example spec `matview init --database-url` writes: a view over one of the introspected
/// tables, so that the first `matview check` and `generate` work on the user's own data.
///
/// Each candidate is compiled against the schema before it is chosen, and taken only when it
/// adds no error or warning: `init` promises that `check --strict` passes right afterwards,
/// whatever tables the database has. Tables and columns whose names would need quoting are
/// passed over, so the example reads like the specs users write.
public struct IntrospectedExampleSpec: Sendable {
    public var path: String
    public var text: String
    /// The table it reads, as the spec names it.
    public var table: String

    /// An example over the first table (by schema and name) with a single-column foreign key,
    /// else over the first table at all; nil when there is no table with plain names.
    public static func choose(schemaPath: String, schemaText: String) -> IntrospectedExampleSpec? {
        let compiler = Compiler()
        let schemaOnly = compiler.compile(specFiles: [], schemaFiles: [(schemaPath, schemaText)])
        let baseline = problemCount(schemaOnly.diagnostics)
        let catalog = schemaOnly.project.catalog
        let tables = catalog.tables.values.sorted(by: { $0.name < $1.name })
        // A view per referenced key over any table teaches more (a grain, a unique index, a
        // concurrent refresh) than a row count, so every table is tried for one first.
        for shape in [groupedByForeignKey, rowCount] {
            for table in tables {
                guard let candidate = shape(table, catalog) else { continue }
                let output = compiler.compile(specFiles: [(candidate.path, candidate.text)], schemaFiles: [(schemaPath, schemaText)])
                if problemCount(output.diagnostics) == baseline && output.project.views.count == 1 { return candidate }
            }
        }
        return nil
    }

    private static func problemCount(_ diagnostics: [Diagnostic]) -> Int {
        diagnostics.filter { $0.severity == .error || $0.severity == .warning }.count
    }

    /// How the spec names a table with plain names, or nil when they need quoting.
    private static func plainSource(_ table: CatalogTable) -> String? {
        guard SQLQuoting.isPlain(table.name.schema), SQLQuoting.isPlain(table.name.name) else { return nil }
        return table.name.schema == "public" ? table.name.name : "\(table.name.schema).\(table.name.name)"
    }

    /// One row per value of the table's first single-column foreign key (the shape of most
    /// dashboards), or nil when it has none.
    static func groupedByForeignKey(_ table: CatalogTable, catalog: Catalog) -> IntrospectedExampleSpec? {
        guard let source = plainSource(table),
              let column = table.foreignKeys.first(where: { $0.columns.count == 1 && SQLQuoting.isPlain($0.columns[0]) })?.columns[0],
              let view = viewName("\(table.name.name)_per_\(column)_mv", catalog: catalog) else { return nil }
        return IntrospectedExampleSpec(path: "specs/\(view.dropLast(3)).yaml", text: """
                # An example view spec, written by `matview init` against the table \(source) of the
                # database it read (specs/schema.sql): one row per \(column), with the number of rows.
                # Change it, or delete it once you have views of your own.
                view: \(view)
                description: One row per \(column) of \(source), with its number of rows.
                from: \(source) t                       # a table (or another view spec) and its alias
                group_by: [t.\(column)]
                select:                                 # the view's columns, in order
                  \(column): t.\(column)
                  row_count: count(*)
                indexes:
                  - columns: [\(column)]                # one row per \(column), so this index is unique
                    unique: true
                refresh:
                  concurrently: true                    # REFRESH ... CONCURRENTLY: readers never wait
                  on_change: queue                      # a write to \(source) queues a refresh
                  max_staleness: 10m                    # `matview status` reports the view stale after this

                """, table: source)
    }

    /// One row: the table's number of rows (any table has one).
    static func rowCount(_ table: CatalogTable, catalog: Catalog) -> IntrospectedExampleSpec? {
        guard let source = plainSource(table), let view = viewName("\(table.name.name)_summary_mv", catalog: catalog) else { return nil }
        return IntrospectedExampleSpec(path: "specs/\(view.dropLast(3)).yaml", text: """
                # An example view spec, written by `matview init` against the table \(source) of the
                # database it read (specs/schema.sql): one row, with the table's number of rows.
                # Change it, or delete it once you have views of your own.
                view: \(view)
                description: The number of rows in \(source).
                from: \(source) t                       # a table (or another view spec) and its alias
                select:                                 # the view's columns, in order
                  row_count: count(*)
                refresh:
                  on_change: queue                      # a write to \(source) queues a refresh
                  max_staleness: 10m                    # `matview status` reports the view stale after this

                """, table: source)
    }

    /// `name` if PostgreSQL keeps it whole and no table of the catalog has it.
    private static func viewName(_ name: String, catalog: Catalog) -> String? {
        guard name.utf8.count <= 63, SQLQuoting.isPlain(name), catalog.table(TableName(schema: "public", name: name)) == nil else { return nil }
        return name
    }
}

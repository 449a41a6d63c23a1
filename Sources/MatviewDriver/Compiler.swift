import MatviewSema
import MatviewSyntax

/// The front end as one pipeline: read schema files into a catalog, read view specs, check them.
/// Each stage only consumes the previous one's output; every finding is collected, none thrown.
public struct Compiler {
    public struct Output: Sendable {
        public var project: CheckedProject
        public var specs: [ViewSpec]
        public var diagnostics: [Diagnostic]

        public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    }

    public init() {}

    /// Compiles in-memory sources (tests and the benchmark use this directly). Schema-file
    /// objects in `supportSchema` are matview's own (a dump of a database it deployed to holds
    /// them) and are left out of the catalog.
    public func compile(specFiles: [(path: String, text: String)], schemaFiles: [(path: String, text: String)],
                        supportSchema: String = ProjectConfig().supportSchema) -> Output {
        var diagnostics = DiagnosticBag()
        var schemas: [(path: String, statements: [SchemaStatement])] = []
        for file in schemaFiles {
            let (statements, found) = DDLReader.read(path: file.path, text: file.text)
            diagnostics.append(contentsOf: found)
            schemas.append((file.path, statements))
        }
        let (catalog, catalogDiagnostics) = Catalog.build(from: schemas, ignoringSchemas: [supportSchema])
        diagnostics.append(contentsOf: catalogDiagnostics)

        var specs: [ViewSpec] = []
        for file in specFiles {
            let (spec, found) = SpecReader.read(path: file.path, text: file.text)
            diagnostics.append(contentsOf: found)
            if let spec { specs.append(spec) }
        }
        let (project, checkDiagnostics) = ProjectChecker().check(specs: specs, catalog: catalog)
        diagnostics.append(contentsOf: checkDiagnostics)
        diagnostics.append(contentsOf: OutputNameCollisions.diagnostics(project))
        return Output(project: project, specs: specs, diagnostics: diagnostics.sorted)
    }

    /// Compiles a project on disk.
    public func compile(_ project: Project) -> Output {
        var readDiagnostics = project.diagnostics
        func load(_ paths: [String]) -> [(path: String, text: String)] {
            paths.compactMap { path in
                switch project.read(path) {
                case .success(let text): return (path, text)
                case .failure(let error):
                    readDiagnostics.append(.error(.config, at: SourceLocation(file: path, line: 1, column: 1), error.description))
                    return nil
                }
            }
        }
        let specs = load(project.specFiles)
        let schemas = load(project.schemaFiles)
        var output = compile(specFiles: specs, schemaFiles: schemas, supportSchema: project.config.supportSchema)
        var bag = DiagnosticBag()
        bag.append(contentsOf: readDiagnostics + output.diagnostics)
        output.diagnostics = bag.sorted
        return output
    }
}

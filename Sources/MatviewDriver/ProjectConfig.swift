import MatviewQuoting
import MatviewSyntax
import Yams

/// `matview.yaml`: where a project's specs, schema and outputs live, and generator options.
/// Every key is optional; see SPEC.md for the defaults.
public struct ProjectConfig: Sendable {
    public var specs = "specs"
    /// Schema files or folders; nil means every *.sql under `specs`.
    public var schema: [String]?
    public var sqlOutput = "generated/sql"
    public var swiftOutput = "generated/swift"
    public var postgresVersion = 15
    public var supportSchema = "matview"
    public var swiftAccess = "public"
    public var swiftModuleImports: [String] = []

    public init() {}

    static let keys = ["specs", "schema", "output", "postgres", "swift"]

    /// Reads a config file; problems become diagnostics and leave the defaults in place.
    public static func read(path: String, text: String) -> (ProjectConfig, [Diagnostic]) {
        var config = ProjectConfig()
        var document = YAMLDocument(path: path, text: text)
        guard let root = document.root else { return (config, document.diagnostics.all) }
        guard let pairs = document.mapping(root, "matview.yaml") else { return (config, document.diagnostics.all) }
        document.rejectUnknownKeys(pairs, allowed: keys, in: "matview.yaml")
        for (key, value) in pairs {
            switch key.value {
            case "specs":
                if let s = document.string(value, "specs") { config.specs = s.value }
            case "schema":
                config.schema = document.strings(value, "schema").map(\.value)
            case "output":
                guard let output = document.mapping(value, "output") else { continue }
                document.rejectUnknownKeys(output, allowed: ["sql", "swift"], in: "output")
                for (k, v) in output {
                    if k.value == "sql", let s = document.string(v, "output.sql") { config.sqlOutput = s.value }
                    if k.value == "swift", let s = document.string(v, "output.swift") { config.swiftOutput = s.value }
                }
            case "postgres":
                guard let postgres = document.mapping(value, "postgres") else { continue }
                document.rejectUnknownKeys(postgres, allowed: ["version", "support_schema"], in: "postgres")
                for (k, v) in postgres {
                    if k.value == "version", let n = document.integer(v, "postgres.version", minimum: 15) { config.postgresVersion = n.value }
                    if k.value == "support_schema", let s = document.string(v, "postgres.support_schema") {
                        // No `$` either, though PostgreSQL allows it in names: the schema's name
                        // is written into dollar-quoted function bodies.
                        if SQLQuoting.isPlain(s.value) && !s.value.contains("$") && s.value.utf8.count <= 63 {
                            config.supportSchema = s.value
                        } else {
                            document.diagnostics.append(.error(.config, at: s.location, "support_schema must be a plain lower-case name (letters, digits and _) of at most 63 bytes, found '\(s.value)'"))
                        }
                    }
                }
            case "swift":
                guard let swift = document.mapping(value, "swift") else { continue }
                document.rejectUnknownKeys(swift, allowed: ["access", "module_imports"], in: "swift")
                for (k, v) in swift {
                    if k.value == "access", let s = document.string(v, "swift.access") {
                        if ["public", "internal"].contains(s.value) { config.swiftAccess = s.value } else {
                            document.diagnostics.append(.error(.config, at: s.location, "swift.access must be public or internal, found '\(s.value)'"))
                        }
                    }
                    if k.value == "module_imports" { config.swiftModuleImports = document.strings(v, "swift.module_imports").map(\.value) }
                }
            default: break
            }
        }
        return (config, document.diagnostics.all)
    }
}

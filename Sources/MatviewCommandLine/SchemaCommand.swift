import ArgumentParser
import MatviewDriver

/// `matview schema [--config]`: the JSON Schema of view spec files, or of `matview.yaml`, for
/// editors (`# yaml-language-server: $schema=...`). Needs no project: the schema is the same for
/// every project.
public struct SchemaCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema (draft 2020-12) of view spec files, or with --config of matview.yaml."
    )

    @Flag(name: .long, help: "Print the schema of matview.yaml instead of the view specs'.")
    var config = false

    public init() {}

    public func run() throws {
        let schema = config ? KeyTableJSONSchema.config : KeyTableJSONSchema.spec
        print(try KeyTableJSONSchema.text(schema), terminator: "")
    }
}

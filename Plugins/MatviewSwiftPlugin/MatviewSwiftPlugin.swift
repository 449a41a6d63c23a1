import Foundation
import PackagePlugin

/// Build-tool plugin: generates the row structs of a target's view specs at build time.
///
/// The target keeps its specs in a `specs/` folder inside its sources (the `*.yaml` view specs
/// and the `*.sql` schema); a `matview.yaml` beside that folder is honoured. The generated file
/// is one Swift source with every view, so a target can read its views with no generated code
/// in its repository.
@main
struct MatviewSwiftPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        guard let sourceTarget = target as? SourceModuleTarget else { return [] }
        let root = sourceTarget.directoryURL
        let inputs = sourceTarget.sourceFiles
            .map(\.url)
            .filter { ["yaml", "yml", "sql"].contains($0.pathExtension) && $0.path.contains("/specs/") || $0.lastPathComponent == "matview.yaml" }
        guard !inputs.isEmpty else {
            Diagnostics.warning("MatviewSwiftPlugin: target \(target.name) has no specs/ folder with view specs")
            return []
        }
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("MatviewViews.swift")
        return [
            .buildCommand(
                displayName: "matview: generating Swift rows for \(target.name)",
                executable: try context.tool(named: "matview-codegen").url,
                arguments: ["generate-swift", "--root", root.path, "--output", output.path],
                inputFiles: inputs,
                outputFiles: [output]
            ),
        ]
    }
}

import Foundation
import PackagePlugin

/// Command plugin: `swift package --allow-writing-to-package-directory matview-generate`
/// checks the package's specs and rewrites generated/ with `matview-codegen generate` (extra arguments go to it,
/// e.g. `--check`).
@main
struct MatviewGenerateCommand: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        let tool = try context.tool(named: "matview-codegen")
        let process = Process()
        process.executableURL = tool.url
        process.arguments = ["generate", "--root", context.package.directoryURL.path] + arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            Diagnostics.error("matview generate failed (exit \(process.terminationStatus))")
            throw ExitCode(process.terminationStatus)
        }
    }
}

struct ExitCode: Error {
    var code: Int32
    init(_ code: Int32) { self.code = code }
}

import ArgumentParser
import Foundation
import MatviewDriver

/// What the build-tool plugin runs: every view's row struct in one Swift file.
public struct GenerateSwiftCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "generate-swift",
        abstract: "Check the specs and write all views' Swift row types into one file (for the SwiftPM build-tool plugin)."
    )

    @OptionGroup var project: ProjectOptions

    @Option(help: "The Swift file to write.")
    var output: String

    public init() {}

    public func run() throws {
        let loaded = Project.load(root: project.rootURL, configPath: project.config)
        let compiled = Compiler().compile(loaded)
        if !compiled.diagnostics.isEmpty { printError(DiagnosticRenderer.text(compiled.diagnostics)) }
        guard !compiled.hasErrors else { throw ExitCode(1) }
        let text = Generation.singleSwiftFile(project: loaded, compiled: compiled)
        let url = URL(fileURLWithPath: output)
        if (try? String(contentsOf: url, encoding: .utf8)) == text { return }
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            printError("matview: cannot write \(output): \(error.localizedDescription)\n")
            throw ExitCode(1)
        }
    }
}

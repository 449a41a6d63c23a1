import ArgumentParser
import Foundation
import MatviewDriver

/// Options every command shares.
public struct ProjectOptions: ParsableArguments {
    @Option(name: .long, help: "The project's matview.yaml (default: ./matview.yaml when present).")
    public var config: String?

    @Option(name: .long, help: "The project root (default: the current directory).")
    public var root: String?

    public init() {}

    public var rootURL: URL {
        URL(fileURLWithPath: root ?? FileManager.default.currentDirectoryPath, isDirectory: true)
    }

    /// Loads and checks the project for a command that needs it checked cleanly: prints the
    /// diagnostics to standard error, and on errors a summary line, then exits 1.
    public func compiledWithoutErrors() throws -> (project: Project, output: Compiler.Output) {
        let project = Project.load(root: rootURL, configPath: config)
        let output = Compiler().compile(project)
        if !output.diagnostics.isEmpty { printError(DiagnosticRenderer.text(output.diagnostics)) }
        guard !output.hasErrors else {
            printError("matview: the specs have errors: \(DiagnosticRenderer.summary(output.diagnostics))\n")
            throw ExitCode(1)
        }
        return (project, output)
    }
}

public enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json
}

/// Writes to standard error without buffering surprises.
public func printError(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
}

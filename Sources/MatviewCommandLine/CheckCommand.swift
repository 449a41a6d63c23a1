import ArgumentParser
import MatviewDriver

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Parse and check every spec against the catalog; print diagnostics to standard error."
    )

    @OptionGroup var project: ProjectOptions

    @Flag(help: "Fail on warnings too.")
    var strict = false

    @Option(help: "How to print diagnostics: text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let loaded = Project.load(root: project.rootURL, configPath: project.config)
        let output = Compiler().compile(loaded)
        switch format {
        case .text:
            printError(DiagnosticRenderer.text(output.diagnostics))
            if !output.diagnostics.isEmpty { printError(DiagnosticRenderer.summary(output.diagnostics) + "\n") }
        case .json:
            printError(DiagnosticRenderer.json(output.diagnostics))
        }
        let failing = output.diagnostics.contains { $0.severity == .error || (strict && $0.severity == .warning) }
        if failing { throw ExitCode(1) }
    }
}

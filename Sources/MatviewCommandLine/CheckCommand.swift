import ArgumentParser
import MatviewDriver
import MatviewSyntax

public struct CheckCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Parse and check every spec against the catalog; print diagnostics and a one-line summary to standard error."
    )

    @OptionGroup var project: ProjectOptions

    @Flag(help: "Fail on warnings too.")
    var strict = false

    @Flag(name: .shortAndLong, help: "Print no summary line (diagnostics are still printed).")
    var quiet = false

    @Option(help: "How to print diagnostics: text or json (standard error), github (workflow commands that annotate a pull request) or sarif (SARIF 2.1.0 for code scanning; both on standard output).")
    var format: CheckOutputFormat = .text

    public init() {}

    public func run() throws {
        let loaded = Project.load(root: project.rootURL, configPath: project.config)
        let output = Compiler().compile(loaded)
        switch format {
        case .text:
            printError(DiagnosticRenderer.text(output.diagnostics))
            // As compilers do: one line that says the run happened and what it found, so a
            // clean check is distinguishable from one that read nothing.
            if !quiet { printError(Self.summary(views: loaded.specFiles.count, output.diagnostics) + "\n") }
        case .json:
            do {
                printError(try DiagnosticRenderer.json(output.diagnostics))
            } catch {
                printError("matview: cannot encode the diagnostics as JSON: \(error)\n")
                throw ExitCode(1)
            }
        case .github, .sarif:
            // The machine format alone on standard output, so CI can redirect it to a file or
            // let the runner read it; the log keeps the text and the summary on standard error.
            let machine: String
            do {
                machine = format == .github ? GitHubAnnotations.render(output.diagnostics) : try SARIFLog.render(output.diagnostics)
            } catch {
                printError("matview: cannot encode the diagnostics as SARIF: \(error)\n")
                throw ExitCode(1)
            }
            print(machine, terminator: "")
            printError(DiagnosticRenderer.text(output.diagnostics))
            if !quiet { printError(Self.summary(views: loaded.specFiles.count, output.diagnostics) + "\n") }
        }
        let failing = output.diagnostics.contains { $0.severity == .error || (strict && $0.severity == .warning) }
        if failing { throw ExitCode(1) }
    }

    /// `checked 3 views: no problems`, or `checked 3 views: 1 error, 2 warnings`.
    static func summary(views: Int, _ diagnostics: [Diagnostic]) -> String {
        let found = diagnostics.contains { $0.severity != .note } ? DiagnosticRenderer.summary(diagnostics) : "no problems"
        return "checked \(views) view\(views == 1 ? "" : "s"): \(found)"
    }
}

/// The forms `check` prints diagnostics in. Not the shared `OutputFormat`: only `check` has the
/// CI formats, and an unknown value is a usage error that lists exactly these.
public enum CheckOutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json, github, sarif
}

import ArgumentParser
import Foundation
import MatviewDriver

public struct GenerateCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Check the specs, then write generated/: SQL for PostgreSQL and Swift row types.",
        discussion: "With --check, write nothing: print a unified diff of what would change and exit 1 if generated/ is stale."
    )

    @OptionGroup var project: ProjectOptions

    @Flag(help: "Write nothing; print a diff and exit 1 when generated/ is stale.")
    var check = false

    public init() {}

    public func run() throws {
        let loaded = Project.load(root: project.rootURL, configPath: project.config)
        let compiled = Compiler().compile(loaded)
        if !compiled.diagnostics.isEmpty {
            printError(DiagnosticRenderer.text(compiled.diagnostics))
        }
        guard !compiled.hasErrors else {
            printError("matview: not generating: \(DiagnosticRenderer.summary(compiled.diagnostics))\n")
            throw ExitCode(1)
        }
        let generation = Generation(project: loaded, compiled: compiled)
        if check {
            let diff: String
            do {
                diff = try generation.diff()
            } catch {
                printError("matview: cannot compare generated files: \(error)\n")
                throw ExitCode(1)
            }
            if diff.isEmpty { return }
            print(diff, terminator: "")
            printError("matview: generated files are stale; run `matview generate`\n")
            throw ExitCode(1)
        }
        do {
            let changed = try generation.write()
            printError(changed.isEmpty ? "matview: generated files are up to date\n" : changed.map { "wrote \($0)\n" }.joined())
        } catch let error as FileError {
            printError("matview: cannot write generated files: \(error)\n")
            throw ExitCode(1)
        } catch {
            printError("matview: cannot write generated files: \(error.localizedDescription)\n")
            throw ExitCode(1)
        }
    }
}

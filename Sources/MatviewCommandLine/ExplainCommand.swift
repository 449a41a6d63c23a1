import ArgumentParser
import MatviewDriver
import MatviewLowering

public struct ExplainCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show what the checker inferred about a view: its grain, each column's type and nullability and why, the fan-out reasoning for each aggregate, its refresh plan and, for an incremental view, each source table's key path."
    )

    @OptionGroup var project: ProjectOptions

    @Argument(help: "The view's name.")
    var view: String

    @Option(help: "text (for a reader) or json (the same facts, for tools).")
    var format: OutputFormat = .text

    public init() {}

    public func run() throws {
        let (loaded, output) = try project.compiledWithoutErrors()
        let lowered = LoweredProject(output.project, supportSchema: loaded.config.supportSchema)
        guard let found = lowered.views.first(where: { $0.name == view }) else {
            let names = lowered.views.map(\.name)
            printError("matview: no view named '\(view)'; the views are: \(names.isEmpty ? "none" : names.joined(separator: ", "))\n")
            throw ExitCode(1)
        }
        switch format {
        case .text: print(ExplainReport(found).text, terminator: "")
        case .json: print(try ExplainJSON(found).text, terminator: "")
        }
    }
}

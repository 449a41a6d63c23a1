import ArgumentParser
import MatviewDriver

/// `matview graph`: the lineage of the project's specs, as the checker resolved them.
public struct GraphCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Print the lineage of the views (tables -> views -> views) as a Mermaid flowchart or Graphviz DOT.",
        discussion: "Mermaid (the default) renders on GitHub inside a ```mermaid block; DOT renders with Graphviz: matview graph --format dot | dot -Tsvg > lineage.svg")

    public enum Format: String, ExpressibleByArgument, CaseIterable, Sendable {
        case mermaid, dot
    }

    @OptionGroup var project: ProjectOptions

    @Option(help: "Mermaid (GitHub renders it) or Graphviz DOT.") var format: Format = .mermaid

    public init() {}

    public func run() throws {
        let (_, output) = try project.compiledWithoutErrors()
        let graph = LineageGraph(output.project)
        switch format {
        case .mermaid: print(MermaidLineage.render(graph), terminator: "")
        case .dot: print(DOTLineage.render(graph), terminator: "")
        }
    }
}

import ArgumentParser
import Foundation

/// Options every command shares.
struct ProjectOptions: ParsableArguments {
    @Option(name: .long, help: "The project's matview.yaml (default: ./matview.yaml when present).")
    var config: String?

    @Option(name: .long, help: "The project root (default: the current directory).")
    var root: String?

    var rootURL: URL {
        URL(fileURLWithPath: root ?? FileManager.default.currentDirectoryPath, isDirectory: true)
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Writes to standard error without buffering surprises.
func printError(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
}

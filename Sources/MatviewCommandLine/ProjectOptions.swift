import ArgumentParser
import Foundation

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
}

public enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json
}

/// Writes to standard error without buffering surprises.
public func printError(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
}

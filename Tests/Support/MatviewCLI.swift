import Foundation
import XCTest

/// Runs the built `matview` binary as a user would and collects what it prints.
public enum MatviewCLI {
    /// The `matview` executable next to the test bundle (both are products of the same build).
    public static func matviewBinary() throws -> URL {
        try builtBinary("matview")
    }

    /// An executable of this package's build, found beside the test bundle.
    public static func builtBinary(_ name: String) throws -> URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        throw XCTSkip("the \(name) binary was not found beside \(CommandLine.arguments[0]); run `swift build` first")
    }

    /// Runs `matview` (or, with `executable`, another of the package's binaries, e.g. `matview-codegen`).
    public static func run(_ arguments: [String], in directory: URL, environment: [String: String]? = nil,
                           executable: String = "matview") throws -> (status: Int32, stdout: String, stderr: String) {
        let output = try ChildProcess.run(try builtBinary(executable), arguments, in: directory, environment: environment)
        return (output.status, output.stdout, output.stderr)
    }
}

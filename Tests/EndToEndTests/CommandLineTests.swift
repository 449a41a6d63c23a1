import Foundation
import XCTest

/// Runs the built `matview` binary as a user would: exit codes, standard error, JSON output.
final class CommandLineTests: XCTestCase {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `matview` executable next to the test bundle (both are products of the same build).
    func matviewBinary() throws -> URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("matview")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        throw XCTSkip("the matview binary was not found beside \(CommandLine.arguments[0]); run `swift build` first")
    }

    func run(_ arguments: [String], in directory: URL) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = try matviewBinary()
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    func testProjectSpecsCheckCleanUnderStrict() throws {
        let result = try run(["check", "--strict"], in: Self.repositoryRoot)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
    }

    func testErrorsExitOneWithLocatedDiagnosticsOnStandardError() throws {
        let caseRoot = EndToEndTests.casesDirectory.appendingPathComponent("ddl-syntax")
        let result = try run(["check"], in: caseRoot)
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stdout, "")
        XCTAssertTrue(result.stderr.contains("specs/schema.sql:"), result.stderr)
        XCTAssertTrue(result.stderr.contains("error:"), result.stderr)
    }

    func testWarningsFailOnlyWithStrict() throws {
        let caseRoot = EndToEndTests.casesDirectory.appendingPathComponent("time-dependent")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("matview-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(at: caseRoot.appendingPathComponent("specs"), to: directory.appendingPathComponent("specs"))
        try FileManager.default.copyItem(at: EndToEndTests.casesDirectory.appendingPathComponent("seed-schema.sql"),
                                         to: directory.appendingPathComponent("specs/schema.sql"))
        let relaxed = try run(["check"], in: directory)
        XCTAssertEqual(relaxed.status, 0, relaxed.stderr)
        XCTAssertTrue(relaxed.stderr.contains("warning:"), relaxed.stderr)
        let strict = try run(["check", "--strict"], in: directory)
        XCTAssertEqual(strict.status, 1)
    }

    func testJSONFormat() throws {
        let caseRoot = EndToEndTests.casesDirectory.appendingPathComponent("ddl-syntax")
        let result = try run(["check", "--format", "json"], in: caseRoot)
        XCTAssertEqual(result.status, 1)
        let items = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stderr.utf8)) as? [[String: Any]])
        XCTAssertFalse(items.isEmpty)
        for item in items {
            XCTAssertNotNil(item["file"] as? String)
            XCTAssertGreaterThanOrEqual(item["line"] as? Int ?? 0, 1)
            XCTAssertGreaterThanOrEqual(item["column"] as? Int ?? 0, 1)
            XCTAssertNotNil(item["rule"] as? String)
        }
    }

    func testBadArgumentIsAUsageErrorNotACrash() throws {
        let result = try run(["check", "--format", "yaml"], in: Self.repositoryRoot)
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("yaml"), result.stderr)
    }

    func testMissingSpecsFolderIsADiagnostic() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("matview-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run(["check"], in: directory)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("matview.yaml:1:1: error: the specs folder 'specs' does not exist"), result.stderr)
    }
}

import Foundation
import MatviewTestSupport
import XCTest

/// Runs the built `matview` binary as a user would: exit codes, standard error, JSON output.
final class CommandLineTests: XCTestCase {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func run(_ arguments: [String], in directory: URL) throws -> (status: Int32, stdout: String, stderr: String) {
        try MatviewCLI.run(arguments, in: directory)
    }

    func testProjectSpecsCheckCleanUnderStrict() throws {
        let result = try run(["check", "--strict"], in: Self.repositoryRoot)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "checked 3 views: no problems\n")
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

/// `matview generate` and `generate --check` on a project of their own.
final class GenerateCommandTests: XCTestCase {
    func makeProject() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("matview-generate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: CommandLineTests.repositoryRoot.appendingPathComponent("specs"), to: directory.appendingPathComponent("specs"))
        return directory
    }

    func testGenerateWritesFilesAndCheckReportsStaleness() throws {
        let directory = try makeProject()
        defer { try? FileManager.default.removeItem(at: directory) }
        
        let stale = try MatviewCLI.run(["generate", "--check"], in: directory)
        XCTAssertEqual(stale.status, 1, "nothing generated yet")
        XCTAssertTrue(stale.stdout.contains("+++ b/generated/sql/up.sql"), stale.stdout)

        let written = try MatviewCLI.run(["generate"], in: directory)
        XCTAssertEqual(written.status, 0, written.stderr)
        XCTAssertTrue(written.stderr.contains("wrote generated/sql/up.sql"), written.stderr)
        let up = try String(contentsOf: directory.appendingPathComponent("generated/sql/up.sql"), encoding: .utf8)
        XCTAssertEqual(up, try String(contentsOf: CommandLineTests.repositoryRoot.appendingPathComponent("generated/sql/up.sql"), encoding: .utf8),
                       "same specs, same bytes")

        let current = try MatviewCLI.run(["generate", "--check"], in: directory)
        XCTAssertEqual(current.status, 0, current.stdout + current.stderr)
        XCTAssertEqual(current.stdout, "")

        // A hand edit and a stray file are both reported, as a unified diff, and not touched.
        let down = directory.appendingPathComponent("generated/sql/down.sql")
        try (try String(contentsOf: down, encoding: .utf8) + "-- edited by hand\n").write(to: down, atomically: true, encoding: .utf8)
        try "stray\n".write(to: directory.appendingPathComponent("generated/sql/views/old_mv.sql"), atomically: true, encoding: .utf8)
        let edited = try MatviewCLI.run(["generate", "--check"], in: directory)
        XCTAssertEqual(edited.status, 1)
        XCTAssertTrue(edited.stdout.contains("--- a/generated/sql/down.sql\n+++ b/generated/sql/down.sql\n"), edited.stdout)
        XCTAssertTrue(edited.stdout.contains("\n--- edited by hand\n"), edited.stdout)
        XCTAssertTrue(edited.stdout.contains("--- a/generated/sql/views/old_mv.sql\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-stray\n"), edited.stdout)
        XCTAssertTrue(edited.stderr.contains("stale"), edited.stderr)
        XCTAssertTrue(try String(contentsOf: down, encoding: .utf8).hasSuffix("-- edited by hand\n"), "--check writes nothing")

        // generate puts it right, removing the stray file.
        XCTAssertEqual(try MatviewCLI.run(["generate"], in: directory).status, 0)
        XCTAssertEqual(try MatviewCLI.run(["generate", "--check"], in: directory).status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("generated/sql/views/old_mv.sql").path))
    }

    func testGenerateRefusesSpecsWithErrors() throws {
        let directory = try makeProject()
        defer { try? FileManager.default.removeItem(at: directory) }
        try "view: broken_mv\nfrom: nowhere n\nselect:\n  a: n.a\n".write(to: directory.appendingPathComponent("specs/broken.yaml"), atomically: true, encoding: .utf8)
        let result = try MatviewCLI.run(["generate"], in: directory)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("specs/broken.yaml:2:7: error: no table, view spec or CTE named 'nowhere'"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("generated").path), "nothing written")
    }
}

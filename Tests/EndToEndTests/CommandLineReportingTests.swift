import Foundation
import MatviewTestSupport
import XCTest

/// What the commands say about the run itself: the summary line of `check`, and the files they
/// cannot read, which must be errors rather than silently treated as empty or absent.
final class CommandLineReportingTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("matview-reporting-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: CommandLineTests.repositoryRoot.appendingPathComponent("specs"), to: directory.appendingPathComponent("specs"))
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try MatviewCLI.run(arguments, in: directory)
    }

    func testCleanCheckPrintsOneSummaryLine() throws {
        let result = try run(["check"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "checked 3 views: no problems\n")
        XCTAssertEqual(result.stdout, "")
    }

    func testQuietCheckPrintsNothingOnSuccess() throws {
        for flag in ["--quiet", "-q"] {
            let result = try run(["check", flag])
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(result.stderr, "", flag)
        }
    }

    func testSummaryCountsFindings() throws {
        let spec = directory.appendingPathComponent("specs/dashboard_summary.yaml")
        let text = try String(contentsOf: spec, encoding: .utf8)
        try text.replacingOccurrences(of: "from: users u", with: "from: no_such_table u").write(to: spec, atomically: true, encoding: .utf8)
        let result = try run(["check"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("[unknown-table]"), result.stderr)
        // A missing table also leaves its index columns unresolved: count what was printed.
        let errors = result.stderr.components(separatedBy: "\n").filter { $0.contains(": error: ") }.count
        XCTAssertGreaterThan(errors, 1)
        XCTAssertTrue(result.stderr.hasSuffix("\nchecked 3 views: \(errors) errors, 0 warnings\n"), result.stderr)
        let quiet = try run(["check", "--quiet"])
        XCTAssertEqual(quiet.status, 1)
        XCTAssertTrue(quiet.stderr.contains("[unknown-table]"), "--quiet keeps the diagnostics: \(quiet.stderr)")
        XCTAssertFalse(quiet.stderr.contains("checked 3 views"), quiet.stderr)
    }

    func testJSONFormatHasNoSummaryLine() throws {
        let result = try run(["check", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let items = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stderr.utf8)) as? [Any], result.stderr)
        XCTAssertTrue(items.isEmpty)
    }

    /// A matview.yaml that exists but cannot be read (here: not UTF-8) used to be ignored, and
    /// the defaults applied in its place.
    func testUnreadableConfigIsAnError() throws {
        try Data([0x73, 0x70, 0x65, 0x63, 0x73, 0x3a, 0x20, 0xff, 0xfe, 0x0a]).write(to: directory.appendingPathComponent("matview.yaml"))
        let result = try run(["check"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("matview.yaml:1:1: error: matview.yaml is not UTF-8 text [config]"), result.stderr)
    }

    func testConfigThatIsAFolderIsAnError() throws {
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("matview.yaml"), withIntermediateDirectories: true)
        let result = try run(["check"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("matview.yaml:1:1: error: cannot read"), result.stderr)
    }

    /// A file in generated/ that is not UTF-8 used to read as empty: `generate --check` then
    /// showed the whole file as added, and `generate` replaced it without a word.
    func testNonUTF8FileInGeneratedFolderIsAnError() throws {
        let first = try run(["generate"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let stray = directory.appendingPathComponent("generated/sql/notes.bin")
        try Data([0xff, 0x00, 0xfe]).write(to: stray)

        let check = try run(["generate", "--check"])
        XCTAssertEqual(check.status, 1)
        XCTAssertEqual(check.stdout, "")
        XCTAssertTrue(check.stderr.contains("generated/sql/notes.bin is not UTF-8 text"), check.stderr)

        let write = try run(["generate"])
        XCTAssertEqual(write.status, 1)
        XCTAssertTrue(write.stderr.contains("generated/sql/notes.bin is not UTF-8 text"), write.stderr)
        XCTAssertEqual(try Data(contentsOf: stray), Data([0xff, 0x00, 0xfe]), "the file the generator did not write is kept")
    }
}

/// `matview-codegen`, the generator the plugins run, is the same check and generate as `matview`.
final class CodegenExecutableTests: XCTestCase {
    func testCodegenChecksAndGeneratesLikeMatview() throws {
        let root = CommandLineTests.repositoryRoot
        for arguments in [["check", "--strict"], ["generate", "--check"]] {
            let codegen = try MatviewCLI.run(arguments, in: root, executable: "matview-codegen")
            let matview = try MatviewCLI.run(arguments, in: root)
            XCTAssertEqual(codegen.status, matview.status, arguments.joined(separator: " "))
            XCTAssertEqual(codegen.stdout, matview.stdout, arguments.joined(separator: " "))
            XCTAssertEqual(codegen.stderr, matview.stderr, arguments.joined(separator: " "))
        }
    }

    func testCodegenHasNoLiveCommands() throws {
        let result = try MatviewCLI.run(["apply"], in: CommandLineTests.repositoryRoot, executable: "matview-codegen")
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("Unexpected argument 'apply'") || result.stderr.contains("apply"), result.stderr)
    }
}

import Foundation
import MatviewTestSupport
import XCTest

/// `matview init` followed by what a user runs next: the new project checks clean with
/// `--strict`, generates, is up to date afterwards and has a lineage. Also `--root` into a
/// folder that does not exist yet, and a second init that refuses and changes nothing.
/// (CommandCases/init-* pin the files and messages byte for byte.)
final class InitCommandTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("matview-init-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    /// Without DATABASE_URL, as a user's shell in a fresh checkout would have it.
    func matview(_ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = nil
        return try MatviewCLI.run(arguments, in: directory ?? folder, environment: environment)
    }

    func testCheckGenerateAndGraphWorkRightAfterInit() throws {
        let created = try matview(["init"])
        XCTAssertEqual(created.status, 0, created.stderr)

        let check = try matview(["check", "--strict"])
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertEqual(check.stderr, "checked 1 view: no problems\n")

        let generate = try matview(["generate"])
        XCTAssertEqual(generate.status, 0, generate.stderr)
        for path in ["generated/sql/up.sql", "generated/sql/down.sql", "generated/sql/views/customer_order_totals_mv.sql",
                     "generated/swift/CustomerOrderTotalsMv.swift"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path), path)
        }
        // What the CI workflow runs: clean once generated/ is committed.
        let upToDate = try matview(["generate", "--check"])
        XCTAssertEqual(upToDate.status, 0, upToDate.stdout + upToDate.stderr)

        let graph = try matview(["graph"])
        XCTAssertEqual(graph.status, 0, graph.stderr)
        XCTAssertTrue(graph.stdout.contains("    table_orders --> view_customer_order_totals_mv\n"), graph.stdout)
    }

    func testTheWorkflowRunsTheChecksItPromises() throws {
        XCTAssertEqual(try matview(["init"]).status, 0)
        let workflow = try String(contentsOf: folder.appendingPathComponent(".github/workflows/matview.yml"), encoding: .utf8)
        XCTAssertTrue(workflow.contains("run: matview-codegen check --strict\n"), workflow)
        XCTAssertTrue(workflow.contains("run: matview-codegen generate --check\n"), workflow)
        // The built binary has the same commands the workflow calls.
        let codegen = try MatviewCLI.run(["check", "--strict"], in: folder, executable: "matview-codegen")
        XCTAssertEqual(codegen.status, 0, codegen.stderr)
    }

    func testRootNamesAFolderThatIsCreated() throws {
        let nested = folder.appendingPathComponent("new/project")
        let created = try matview(["init", "--root", nested.path])
        XCTAssertEqual(created.status, 0, created.stderr)
        let check = try matview(["check", "--strict", "--root", nested.path])
        XCTAssertEqual(check.status, 0, check.stderr)
    }

    func testASecondInitRefusesAndChangesNothing() throws {
        XCTAssertEqual(try matview(["init"]).status, 0)
        let spec = folder.appendingPathComponent("specs/customer_order_totals.yaml")
        try "view: mine\n".write(to: spec, atomically: true, encoding: .utf8)
        let before = try CommandCase.tree(folder)

        let again = try matview(["init"])
        XCTAssertEqual(again.status, 1)
        XCTAssertEqual(again.stdout, "")
        XCTAssertTrue(again.stderr.contains("these exist: matview.yaml, specs/schema.sql, specs/customer_order_totals.yaml, .github/workflows/matview.yml"),
                      again.stderr)
        XCTAssertEqual(try CommandCase.tree(folder), before, "not a byte changed, .gitignore included")
    }

    func testASpecsFolderWithFilesOfItsOwnIsRefused() throws {
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("specs"), withIntermediateDirectories: true)
        try "view: mine\n".write(to: folder.appendingPathComponent("specs/mine.yaml"), atomically: true, encoding: .utf8)
        let result = try matview(["init"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("these exist: specs/ (it already holds mine.yaml)"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("matview.yaml").path))
    }
}

import Foundation
import MatviewDriver
import XCTest

/// What holds across the end-to-end cases. The cases themselves are `CaseTests`, one test per
/// folder under `Cases/` (see `EndToEndCase`).
final class EndToEndTests: XCTestCase {
    static var casesDirectory: URL { EndToEndCase.casesDirectory }

    /// CaseTests is generated from the folder list; a folder added, renamed or removed since
    /// would otherwise silently go untested.
    func testEveryCaseFolderHasATest() {
        let folders = EndToEndCase.folderNames
        XCTAssertGreaterThan(folders.count, 20, "the end-to-end cases were not found at \(Self.casesDirectory.path)")
        let tested = Set(CaseTests.caseNames)
        let untested = folders.filter { !tested.contains($0) }
        let missing = CaseTests.caseNames.filter { !folders.contains($0) }
        XCTAssertEqual(untested, [], "case folders without a test: run scripts/generate-end-to-end-tests.sh")
        XCTAssertEqual(missing, [], "tests for case folders that do not exist: run scripts/generate-end-to-end-tests.sh")
    }

    /// The same for the command cases (CommandCases/, CommandCaseTests).
    func testEveryCommandCaseFolderHasATest() {
        let folders = CommandCase.folderNames
        XCTAssertFalse(folders.isEmpty, "the command cases were not found at \(CommandCase.casesDirectory.path)")
        XCTAssertEqual(folders.filter { !CommandCaseTests.caseNames.contains($0) }, [],
                       "command case folders without a test: run scripts/generate-end-to-end-tests.sh")
        XCTAssertEqual(CommandCaseTests.caseNames.filter { !folders.contains($0) }, [],
                       "tests for command case folders that do not exist: run scripts/generate-end-to-end-tests.sh")
    }

    /// Every rule has at least one case whose expected output names it.
    func testEveryRuleHasACase() throws {
        var seen = Set<String>()
        for name in EndToEndCase.folderNames {
            let url = Self.casesDirectory.appendingPathComponent(name).appendingPathComponent("expected-diagnostics.txt")
            let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n") where line.hasSuffix("]") {
                if let open = line.lastIndex(of: "[") { seen.insert(String(line[line.index(after: open)..<line.index(before: line.endIndex)])) }
            }
        }
        let missing = RuleNames.all.filter { !seen.contains($0) }
        XCTAssertEqual(missing, [], "rules without an end-to-end case")
    }
}

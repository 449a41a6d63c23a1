import MatviewDriver
import XCTest

/// What `matview init` appends to a `.gitignore`: only the lines it lacks, after a newline when
/// the file does not end with one, and nothing at all when it has them.
final class GitignoreUpdateTests: XCTestCase {
    func testNoFileGetsEveryLineUnderTheHeader() {
        let update = GitignoreUpdate(existing: nil, lines: [".env", ".build/"], header: "# matview")
        XCTAssertEqual(update.addedLines, [".env", ".build/"])
        XCTAssertEqual(update.appendedText, "# matview\n.env\n.build/\n")
    }

    func testOnlyMissingLinesAreAppendedAfterABlankLine() {
        let update = GitignoreUpdate(existing: "node_modules/\n.build/\n", lines: [".env", ".build/"], header: "# matview")
        XCTAssertEqual(update.addedLines, [".env"])
        XCTAssertEqual(update.appendedText, "\n# matview\n.env\n")
    }

    func testAFileWithoutAFinalNewlineGetsOneFirst() {
        let update = GitignoreUpdate(existing: "node_modules/", lines: [".env"], header: "# matview")
        XCTAssertEqual(update.appendedText, "\n\n# matview\n.env\n")
    }

    func testLinesAreComparedWithoutSurroundingBlanksOrCarriageReturns() {
        let update = GitignoreUpdate(existing: "  .env \r\n.build/\t\r\n", lines: [".env", ".build/"], header: "# matview")
        XCTAssertEqual(update.addedLines, [])
        XCTAssertEqual(update.appendedText, "")
    }
}

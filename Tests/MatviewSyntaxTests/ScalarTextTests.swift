import MatviewQuoting
import MatviewSyntax
import XCTest

/// Escaping goes by Unicode scalars, as PostgreSQL and Swift read the text: a quote followed by a
/// combining mark is still a quote (Foundation's composed-character search missed it, and the
/// literal ended early).
final class ScalarTextTests: XCTestCase {
    func testQuoteBeforeCombiningMarkIsDoubled() {
        XCTAssertEqual(SQLPrinter.literal("it'\u{301}s"), "'it''\u{301}s'")
        XCTAssertEqual(SQLPrinter.identifier("a\"\u{301}b"), "\"a\"\"\u{301}b\"")
    }

    func testReplacing() {
        XCTAssertEqual(ScalarText.replacing("'", with: "''", in: "it's 'x'"), "it''s ''x''")
        XCTAssertEqual(ScalarText.replacing("%", with: "%%", in: "no percent"), "no percent")
        XCTAssertEqual(ScalarText.replacing("_", with: "", in: "1_000_000"), "1000000")
        XCTAssertEqual(ScalarText.replacing("'", with: "''", in: "é'ü"), "é''ü")
    }

    func testContains() {
        XCTAssertTrue(ScalarText.contains("$matview$", in: "x$matview$\u{301}y"))
        XCTAssertTrue(ScalarText.contains("ab", in: "aab"))
        XCTAssertFalse(ScalarText.contains("abc", in: "ab"))
        XCTAssertTrue(ScalarText.contains("", in: "ab"))
        XCTAssertFalse(ScalarText.contains("`", in: "plain"))
    }
}

import MatviewRuntime
import XCTest

/// The runtime quotes view names with the compiler's own quoting (MatviewQuoting), so the name it
/// reads is the name up.sql created.
final class ViewDescriptorQuotingTests: XCTestCase {
    func testPlainNamesStayPlainAndOthersAreQuoted() {
        XCTAssertEqual(ViewDescriptor.quote("dashboard_summary_mv"), "dashboard_summary_mv")
        XCTAssertEqual(ViewDescriptor.quote("user"), "\"user\"", "a reserved word")
        XCTAssertEqual(ViewDescriptor.quote("Report"), "\"Report\"")
        XCTAssertEqual(ViewDescriptor.quote("a$b"), "a$b", "PostgreSQL allows $ after the first character")
    }

    func testAQuoteBeforeACombiningMarkIsStillDoubled() {
        // By character, `"` followed by U+0301 is one grapheme and a search for `"` misses it.
        XCTAssertEqual(ViewDescriptor.quote("it\"\u{301}s"), "\"it\"\"\u{301}s\"")
    }
}

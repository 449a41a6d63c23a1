import MatviewLowering
@testable import MatviewSQL
import MatviewSyntax
import XCTest

/// Text from specs in SQL comments and file names: `SQLComment` and `OutputFileName` are the
/// only ways in, and no text can end the comment or leave the output folder.
final class CommentAndFileNameTests: XCTestCase {
    func testEveryLineBreakStartsANewCommentLine() {
        let text = "a\nDROP TABLE users; --\r\nb\rc\u{0B}d\u{0C}e\u{85}f\u{2028}g\u{2029}h"
        XCTAssertEqual(SQLComment.lines(text), """
        -- a
        -- DROP TABLE users; --
        -- b
        -- c
        -- d
        -- e
        -- f
        -- g
        -- h
        """)
    }

    func testOtherControlCharactersAreWrittenEscapedAndBlockCommentMarkersStayInert() {
        XCTAssertEqual(SQLComment.lines("tab\there, nul\u{0}, esc\u{1B}[2J */ /* $$"), "-- tab\\u{9}here, nul\\u{0}, esc\\u{1B}[2J */ /* $$")
        XCTAssertEqual(SQLComment.lines("two lines\n\nafter a blank one\n"), "-- two lines\n--\n-- after a blank one")
    }

    func testFileNamesAreOneSafePathComponent() {
        XCTAssertEqual(OutputFileName.component("dashboard_summary_mv"), "dashboard_summary_mv")
        XCTAssertEqual(OutputFileName.component("Project Report; DROP TABLE users"), "Project Report; DROP TABLE users")
        XCTAssertEqual(OutputFileName.component("../../etc/passwd"), "_._.._etc_passwd")
        XCTAssertEqual(OutputFileName.component(".."), "__")
        XCTAssertEqual(OutputFileName.component(".hidden"), "_hidden")
        XCTAssertEqual(OutputFileName.component(""), "_")
        XCTAssertEqual(OutputFileName.component("a\u{0}b\nc\\d:e*f?g\"h<i>j|k"), "a_b_c_d_e_f_g_h_i_j_k")
        XCTAssertEqual(OutputFileName.component("trailing. "), "trailing._")
        XCTAssertEqual(OutputFileName.component("rtl\u{202E}txt.sql"), "rtl_txt.sql")
        XCTAssertEqual(OutputFileName.component("été 日本"), "été 日本")
        for hostile in ["/", "a/../../b", "..", ".", "\u{0}", "x\u{2028}y"] {
            let name = OutputFileName.component(hostile)
            XCTAssertFalse(name.contains("/") || name.hasPrefix(".") || name.unicodeScalars.contains(where: ControlCharacters.isControl), name)
        }
    }

    func testCollisionKeysIgnoreCaseAndUnicodeNormalization() {
        XCTAssertEqual(OutputFileName.collisionKey("Report.sql"), OutputFileName.collisionKey("report.sql"))
        XCTAssertEqual(OutputFileName.collisionKey("caf\u{E9}.sql"), OutputFileName.collisionKey("cafe\u{301}.sql"))
        XCTAssertNotEqual(OutputFileName.collisionKey("a.sql"), OutputFileName.collisionKey("b.sql"))
    }

    func testDoBlocksPickATagTheBodyDoesNotContain() {
        let block = SQLText.doBlock("BEGIN PERFORM 'x$matview$y'; END")
        XCTAssertTrue(block.hasPrefix("DO $matview1$\n"), block)
        XCTAssertTrue(block.hasSuffix("\n$matview1$;"), block)
        XCTAssertEqual(SQLText.doBlock("BEGIN END"), "DO $matview$\nBEGIN END\n$matview$;")
    }
}

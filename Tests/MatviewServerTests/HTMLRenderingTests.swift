import Foundation
import MatviewServer
import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A rendered fragment parsed as XML, as a small tree to query. Parsing is also the
/// well-formedness check: every SVG (and the page frame) must be well-formed whatever names it
/// shows.
final class RenderedXML: NSObject, XMLParserDelegate {
    final class Element {
        let name: String
        let attributes: [String: String]
        var children: [Element] = []
        var text = ""
        weak var parent: Element?

        init(name: String, attributes: [String: String], parent: Element?) {
            self.name = name
            self.attributes = attributes
            self.parent = parent
        }

        var classes: [String] { (attributes["class"] ?? "").split(separator: " ").map(String.init) }

        /// This element and all below it, in document order.
        var all: [Element] { [self] + children.flatMap(\.all) }

        func descendants(_ name: String, class className: String? = nil) -> [Element] {
            all.dropFirst().filter { $0.name == name && (className.map($0.classes.contains) ?? true) }
        }

        /// The text of this element and everything below it.
        var allText: String { text + children.map(\.allText).joined() }

        func child(_ name: String) -> Element? { children.first { $0.name == name } }
    }

    private(set) var root: Element?
    private var current: Element?
    private(set) var error: Error?

    /// The root element of `text`, or a test failure naming the parser's complaint.
    static func parse(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Element? {
        let document = RenderedXML()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = document
        let ok = parser.parse()
        if !ok || document.root == nil {
            XCTFail("not well-formed XML: \(String(describing: parser.parserError ?? document.error))", file: file, line: line)
            return nil
        }
        return document.root
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        let element = Element(name: name, attributes: attributes, parent: current)
        if let current { current.children.append(element) } else { root = element }
        current = element
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        current = current?.parent
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        current?.text += string
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        error = parseError
    }
}

/// Names a hostile user could give a view or a table, and error texts from the database.
let hostileRenderingNames = [
    "<script>alert('x')</script>",
    "a & b \"quoted\" 'single'",
    "</svg><svg onload=alert(1)>",
    "naïve café 名前 🚀 e\u{301}",
    "quote\u{301}'\u{301} and control \u{1}\u{7}\u{1B}[31m",
    "]]><!-- --> &amp; &#60;",
]

final class HTMLRenderingTests: XCTestCase {
    func testEscapeTurnsMarkupCharactersIntoReferences() {
        XCTAssertEqual(
            HTML.escape("<script>alert(\"x\" & 'y')</script>"),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        )
        XCTAssertEqual(HTML.escape("&amp;"), "&amp;amp;")
    }

    func testEscapeKeepsUnicodeAndFindsQuotesUnderCombiningMarks() {
        XCTAssertEqual(HTML.escape("naïve 名前 🚀"), "naïve 名前 🚀")
        // A quote followed by a combining accent is one Character; it must still be escaped.
        XCTAssertEqual(HTML.escape("'\u{301}\"\u{301}"), "&#39;\u{301}&quot;\u{301}")
    }

    func testEscapeReplacesControlCharactersXMLCannotHold() {
        XCTAssertEqual(HTML.escape("a\u{0}b\u{1B}c\td\ne\r"), "a\u{FFFD}b\u{FFFD}c\td\ne\r")
        for name in hostileRenderingNames {
            XCTAssertNotNil(RenderedXML.parse("<p title=\"\(HTML.escape(name))\">\(HTML.escape(name))</p>"), name)
        }
    }

    func testEscapedTextReadsBackAsTheOriginal() throws {
        for name in hostileRenderingNames where !name.unicodeScalars.contains(where: { $0.value < 0x20 }) {
            let root = try XCTUnwrap(RenderedXML.parse("<p title=\"\(HTML.escape(name))\">\(HTML.escape(name))</p>"))
            XCTAssertEqual(root.attributes["title"], name)
            XCTAssertEqual(root.text, name)
        }
    }

    func testQueryEscapeKeepsOnlyUnreservedCharacters() {
        XCTAssertEqual(HTML.queryEscape("a b/c?d&e=f#g+h%ü~._-Z9"), "a%20b%2Fc%3Fd%26e%3Df%23g%2Bh%25%C3%BC~._-Z9")
        XCTAssertEqual(HTML.queryEscape("<script>"), "%3Cscript%3E")
        XCTAssertEqual(HTML.queryEscape("名"), "%E5%90%8D")
        XCTAssertEqual(HTML.queryEscape(""), "")
    }

    func testElementEscapesAttributeValuesButNotContent() {
        XCTAssertEqual(
            HTML.element("a", attributes: [("href", "/v?x=\"1\"&y"), ("class", "c")], "<b>bold</b>"),
            "<a href=\"/v?x=&quot;1&quot;&amp;y\" class=\"c\"><b>bold</b></a>"
        )
        XCTAssertEqual(HTML.text("td", "<x>"), "<td>&lt;x&gt;</td>")
        XCTAssertEqual(HTML.void("meta", attributes: [("charset", "utf-8")]), "<meta charset=\"utf-8\" />")
    }

    func testHealthBadgeCarriesTheWordAndItsClass() {
        XCTAssertEqual(HealthBadge.html("ok"), "<span class=\"badge health-ok\">ok</span>")
        XCTAssertEqual(HealthBadge.cssClass("never refreshed"), "health-never")
        XCTAssertEqual(HealthBadge.cssClass("failing"), "health-failing")
        XCTAssertEqual(HealthBadge.cssClass("stale"), "health-stale")
        XCTAssertEqual(HealthBadge.cssClass("uncaptured"), "health-uncaptured")
        XCTAssertEqual(HealthBadge.html("<b>"), "<span class=\"badge health-unknown\">&lt;b&gt;</span>")
    }

    func testDecimalIsFixedAndLocaleFree() {
        XCTAssertEqual(ValueText.decimal(3), "3")
        XCTAssertEqual(ValueText.decimal(0.5), "0.5")
        XCTAssertEqual(ValueText.decimal(12.346), "12.35")
        XCTAssertEqual(ValueText.decimal(12.3, maxFractionDigits: 0), "12")
        XCTAssertEqual(ValueText.decimal(0.05, maxFractionDigits: 2), "0.05")
        XCTAssertEqual(ValueText.decimal(-1.5), "-1.5")
        XCTAssertEqual(ValueText.decimal(-0.001), "0")
        XCTAssertEqual(ValueText.decimal(1_234_567.891, maxFractionDigits: 1), "1234567.9")
        XCTAssertEqual(ValueText.decimal(.nan), "0")
        XCTAssertEqual(ValueText.decimal(.infinity), "0")
        XCTAssertEqual(ValueText.decimal(1e17), "100000000000000000")
    }

    func testCompactShortensLargeValuesAndRespectsTheResolution() {
        XCTAssertEqual(ValueText.compact(0), "0")
        XCTAssertEqual(ValueText.compact(0.5), "0.5")
        XCTAssertEqual(ValueText.compact(12), "12")
        XCTAssertEqual(ValueText.compact(950), "950")
        XCTAssertEqual(ValueText.compact(1200), "1.2k")
        XCTAssertEqual(ValueText.compact(15_000), "15k")
        XCTAssertEqual(ValueText.compact(3_400_000), "3.4M")
        XCTAssertEqual(ValueText.compact(1500, resolution: 500), "1.5k")
        XCTAssertEqual(ValueText.compact(0.015, resolution: 0.005), "0.015")
        XCTAssertEqual(ValueText.compact(0.3, resolution: 0.1), "0.3")
        XCTAssertEqual(ValueText.compact(40, resolution: 20), "40")
    }

    func testUTCTimeMatchesAPOSIXDateFormatter() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        var seconds: [Double] = [0, -1, 86_399, 86_400, 951_782_400 /* 2000-02-29 */, 4_107_542_400 /* 2100-03-01 */, -2_208_988_800, 1_764_086_399.9]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 { seconds.append(Double(Int64.random(in: -3_000_000_000...5_000_000_000, using: &generator))) }
        for second in seconds {
            let date = Date(timeIntervalSince1970: second)
            XCTAssertEqual(UTCTime.timestamp(date), formatter.string(from: date), "\(second)")
        }
        let date = Date(timeIntervalSince1970: 1_764_000_000)  // 2025-11-24 16:00:00 UTC
        XCTAssertEqual(UTCTime.hourMinute(date), "16:00")
        XCTAssertEqual(UTCTime.monthDay(date), "11-24")
        XCTAssertEqual(UTCTime.date(date), "2025-11-24")
    }
}

import XCTest
import Yams
@testable import MatviewSyntax

final class SourceTextTests: XCTestCase {
    func testLocationOfOffsets() {
        let source = SourceText(path: "f.sql", text: "ab\ncd\n\nx")
        XCTAssertEqual(source.location(ofOffset: 0), SourceLocation(file: "f.sql", line: 1, column: 1))
        XCTAssertEqual(source.location(ofOffset: 1).description, "f.sql:1:2")
        XCTAssertEqual(source.location(ofOffset: 2).description, "f.sql:1:3", "the newline belongs to its line")
        XCTAssertEqual(source.location(ofOffset: 3).description, "f.sql:2:1")
        XCTAssertEqual(source.location(ofOffset: 6).description, "f.sql:3:1")
        XCTAssertEqual(source.location(ofOffset: 7).description, "f.sql:4:1")
        XCTAssertEqual(source.location(ofOffset: 8).description, "f.sql:4:2", "the end of the text")
    }

    func testLocationsAreClamped() {
        let source = SourceText(path: "f", text: "ab\ncd")
        XCTAssertEqual(source.location(ofOffset: -3).description, "f:1:1")
        XCTAssertEqual(source.location(ofOffset: 99).description, "f:2:3")
        XCTAssertEqual(SourceText(path: "e", text: "").location(ofOffset: 5).description, "e:1:1")
    }

    func testOffsetOfLineAndColumnIsTheInverse() {
        let text = "first\n  second\nthird"
        let source = SourceText(path: "f", text: text)
        for offset in 0...source.scalars.count {
            let location = source.location(ofOffset: offset)
            XCTAssertEqual(source.offset(line: location.line, column: location.column), offset)
        }
        XCTAssertEqual(source.offset(line: 0, column: 5), 0)
        XCTAssertEqual(source.offset(line: 9, column: 1), text.unicodeScalars.count)
        XCTAssertEqual(source.offset(line: 3, column: 99), text.unicodeScalars.count)
    }

    func testColumnsCountUnicodeScalars() {
        let source = SourceText(path: "f", text: "é\u{301}😀x\nÿ")
        XCTAssertEqual(source.scalars.count, 6)
        XCTAssertEqual(source.location(ofOffset: 3).description, "f:1:4")
        XCTAssertEqual(source.location(ofOffset: 5).description, "f:2:1")
    }

    func testLinesAndLineCount() {
        let source = SourceText(path: "f", text: "one\ntwo\n")
        XCTAssertEqual(source.lineCount, 3)
        XCTAssertEqual(source.line(1), "one")
        XCTAssertEqual(source.line(2), "two")
        XCTAssertEqual(source.line(3), "")
        XCTAssertEqual(source.line(0), "")
        XCTAssertEqual(source.line(4), "")
        XCTAssertEqual(source.text, "one\ntwo\n")
        XCTAssertEqual(SourceText(path: "f", text: "solo").line(1), "solo")
    }

    func testSourceTextIsALocator() {
        let locator: any Locator = SourceText(path: "f", text: "a\nb")
        XCTAssertEqual(locator.location(at: 2).description, "f:2:1")
    }

    func testSourceLocationOrdering() {
        let a = SourceLocation(file: "a", line: 2, column: 9)
        let b = SourceLocation(file: "a", line: 10, column: 1)
        let c = SourceLocation(file: "b", line: 1, column: 1)
        XCTAssertLessThan(a, b)
        XCTAssertLessThan(b, c)
        XCTAssertEqual([c, b, a].sorted(), [a, b, c])
    }
}

final class ScalarSourceMapTests: XCTestCase {
    /// A map of `value` starting at the first occurrence of `marker` in `text`.
    private func map(_ text: String, value: String, startingAt marker: String, doubleQuoted: Bool = false) -> ScalarSourceMap {
        let source = SourceText(path: "f.yaml", text: text)
        let scalars = Array(text.unicodeScalars), m = Array(marker.unicodeScalars)
        let start = (0...(scalars.count - m.count)).first { Array(scalars[$0..<$0 + m.count]) == m } ?? 0
        return ScalarSourceMap(value: value, startOffset: start, in: source, doubleQuoted: doubleQuoted)
    }

    private func columns(_ map: ScalarSourceMap, _ count: Int) -> [String] {
        (0..<count).map { let l = map.location(at: $0); return "\(l.line):\(l.column)" }
    }

    func testPlainScalarMapsOneToOne() {
        let m = map("where: a + b\n", value: "a + b", startingAt: "a +")
        XCTAssertEqual(columns(m, 5), ["1:8", "1:9", "1:10", "1:11", "1:12"])
        XCTAssertEqual(m.location(at: 5).description, "f.yaml:1:13", "one past the end is just after the value")
        XCTAssertEqual(m.location(at: 50).description, "f.yaml:1:13")
        XCTAssertEqual(m.location(at: -1).description, "f.yaml:1:8")
        XCTAssertEqual(m.file, "f.yaml")
    }

    func testFoldedPlainScalarMapsSpacesToLineBreaks() {
        let text = "where: a\n  and\n    b\n"
        let m = map(text, value: "a and b", startingAt: "a\n")
        XCTAssertEqual(columns(m, 7), ["1:8", "1:9", "2:3", "2:4", "2:5", "2:6", "3:5"])
    }

    func testDoubleQuotedEscapesPointAtTheirBackslash() {
        // Raw: x: "a\tb\"c"   value: a<TAB>b"c
        let text = #"x: "a\tb\"c""#
        let m = map(text, value: "a\tb\"c", startingAt: "\"", doubleQuoted: true)
        XCTAssertEqual(columns(m, 5), ["1:5", "1:6", "1:8", "1:9", "1:11"])
    }

    func testDoubleQuotedUnicodeEscapes() {
        let text = #"x: "\u00e9z\x41!""#
        let m = map(text, value: "\u{e9}zA!", startingAt: "\"", doubleQuoted: true)
        XCTAssertEqual(columns(m, 4), ["1:5", "1:11", "1:12", "1:16"])
    }

    func testDoubleQuotedEscapedBackslashIsNotAnEscapeOfTheNextLetter() {
        // Raw: x: "a\\nb"   value: a\nb (a backslash and an n, not a newline)
        let text = #"x: "a\\nb""#
        let m = map(text, value: #"a\nb"#, startingAt: "\"", doubleQuoted: true)
        XCTAssertEqual(columns(m, 4), ["1:5", "1:6", "1:8", "1:9"])
    }

    func testSingleQuotedDoubledQuotes() {
        let text = "x: 'it''s'"
        let m = map(text, value: "it's", startingAt: "it")
        XCTAssertEqual(columns(m, 4), ["1:5", "1:6", "1:7", "1:9"])
    }

    func testLiteralBlockScalar() {
        let text = "x: |\n  ab\n  cd\n"
        let m = map(text, value: "ab\ncd\n", startingAt: "ab")
        XCTAssertEqual(columns(m, 6), ["2:3", "2:4", "2:5", "3:3", "3:4", "3:5"])
    }

    func testFoldedBlockScalar() {
        let text = "x: >\n  ab\n  cd\n"
        let m = map(text, value: "ab cd\n", startingAt: "ab")
        XCTAssertEqual(columns(m, 5), ["2:3", "2:4", "2:5", "3:3", "3:4"])
    }

    func testFixedMapPutsEveryOffsetAtOnePlace() {
        let location = SourceLocation(file: "g.yaml", line: 7, column: 3)
        let m = ScalarSourceMap(fixed: location)
        XCTAssertEqual(m.file, "g.yaml")
        XCTAssertEqual(m.location(at: 0), location)
        XCTAssertEqual(m.location(at: 1000), location)
    }

    func testEmptyValueMapsToItsStart() {
        let m = map("x: ''\n", value: "", startingAt: "'")
        XCTAssertEqual(m.location(at: 0).description, "f.yaml:1:4")
        XCTAssertEqual(m.location(at: 3).description, "f.yaml:1:4")
    }

    func testMapDrivesParserLocations() {
        let text = "x: \"a +\n  \\\"B\\\" * )\"\n"
        let source = SourceText(path: "f.yaml", text: text)
        let value = "a + \"B\" * )"
        let m = ScalarSourceMap(value: value, startOffset: 4, in: source, doubleQuoted: true)
        guard case .failure(let error) = Parser.parseExpression(value, locator: m) else { return XCTFail("should fail") }
        XCTAssertEqual(error.location.description, "f.yaml:2:11")
    }
}

/// `YAMLDocument.valueMap` picks the right starting point for each scalar style.
final class YAMLValueMapTests: XCTestCase {
    private func valueLocations(_ yaml: String, key: String, count: Int) -> [String] {
        let document = YAMLDocument(path: "d.yaml", text: yaml)
        guard let root = document.root, case .mapping(let mapping) = root,
              let node = mapping.first(where: { $0.key.string == key })?.value else {
            XCTFail("no key \(key)")
            return []
        }
        let m = document.valueMap(of: node)
        return (0..<count).map { let l = m.location(at: $0); return "\(l.line):\(l.column)" }
    }

    func testPlainScalar() {
        XCTAssertEqual(valueLocations("k: -1 + x\n", key: "k", count: 2), ["1:4", "1:5"])
    }

    func testDoubleQuotedScalarStartingWithAnEscapedQuote() {
        // Value `"a"`: the first scalar comes from the escape at column 5, not the YAML quote at column 4.
        XCTAssertEqual(valueLocations(#"k: "\"a\"""# + "\n", key: "k", count: 3), ["1:5", "1:7", "1:8"])
    }

    func testSingleQuotedScalarStartingWithADoubledQuote() {
        // Value `'a'`: the first quote is the doubled one at columns 5-6, not the YAML quote at column 4.
        XCTAssertEqual(valueLocations("k: '''a'''\n", key: "k", count: 3), ["1:5", "1:7", "1:8"])
    }

    func testBlockScalarHeadersAreNotPartOfTheValue() {
        XCTAssertEqual(valueLocations("k: |-\n  -1\n", key: "k", count: 2), ["2:3", "2:4"])
        XCTAssertEqual(valueLocations("k: >2\n  2x\n", key: "k", count: 3), ["2:3", "2:4", "2:5"])
        XCTAssertEqual(valueLocations("k: |+ # keep trailing lines\n  kt\n", key: "k", count: 2), ["2:3", "2:4"])
        XCTAssertEqual(valueLocations("k: >\r\n  a\r\n", key: "k", count: 1), ["2:3"])
    }

    func testNonScalarNodesUseTheirOwnLocation() {
        let document = YAMLDocument(path: "d.yaml", text: "k:\n  - a\n")
        guard case .mapping(let mapping)? = document.root, let node = mapping.first?.value else { return XCTFail("no root") }
        XCTAssertEqual(document.valueMap(of: node).location(at: 3).description, "d.yaml:2:3")
    }
}

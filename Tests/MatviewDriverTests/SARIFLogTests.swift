import Foundation
import MatviewDriver
import MatviewSyntax
import XCTest

/// `check --format sarif`: the shape of the log, read back as JSON. That it conforms to the SARIF
/// 2.1.0 schema is EndToEndTests.SARIFSchemaTests' job.
final class SARIFLogTests: XCTestCase {
    func at(_ file: String, _ line: Int, _ column: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column)
    }

    func decoded(_ diagnostics: [Diagnostic]) throws -> [String: Any] {
        let text = try SARIFLog.render(diagnostics)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func run(_ log: [String: Any]) throws -> [String: Any] {
        let runs = try XCTUnwrap(log["runs"] as? [[String: Any]])
        XCTAssertEqual(runs.count, 1)
        return try XCTUnwrap(runs.first)
    }

    func results(_ log: [String: Any]) throws -> [[String: Any]] {
        try XCTUnwrap(try run(log)["results"] as? [[String: Any]])
    }

    func testLogNamesTheVersionTheSchemaAndTheTool() throws {
        let log = try decoded([])
        XCTAssertEqual(log["version"] as? String, "2.1.0")
        XCTAssertEqual(log["$schema"] as? String, SARIFLog.schemaURI)
        let driver = try XCTUnwrap((try run(log)["tool"] as? [String: Any])?["driver"] as? [String: Any])
        XCTAssertEqual(driver["name"] as? String, "matview")
        XCTAssertEqual(driver["version"] as? String, MatviewVersion.current)
        XCTAssertEqual(try results(log).count, 0, "a clean check is an empty results array, not a missing one")
    }

    func testEveryRuleIsListedInOrderWithItsTexts() throws {
        let driver = try XCTUnwrap((try run(try decoded([]))["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try XCTUnwrap(driver["rules"] as? [[String: Any]])
        XCTAssertEqual(rules.map { $0["id"] as? String }, Rule.allCases.map(\.rawValue))
        for (rule, descriptor) in zip(Rule.allCases, rules) {
            XCTAssertEqual((descriptor["shortDescription"] as? [String: Any])?["text"] as? String, rule.summary)
            XCTAssertEqual((descriptor["fullDescription"] as? [String: Any])?["text"] as? String, rule.help)
            XCTAssertEqual((descriptor["help"] as? [String: Any])?["text"] as? String, rule.help)
        }
    }

    func testRuleTextsAreWrittenOut() {
        for rule in Rule.allCases {
            XCTAssertFalse(rule.summary.isEmpty, "\(rule.rawValue) has no summary")
            XCTAssertFalse(rule.summary.hasSuffix("."), "\(rule.rawValue)'s summary is a phrase, not a sentence")
            XCTAssertTrue(rule.help.hasSuffix("."), "\(rule.rawValue)'s help is a sentence")
            XCTAssertNotEqual(rule.help, rule.summary)
        }
        XCTAssertEqual(Set(Rule.allCases.map(\.help)).count, Rule.allCases.count, "each rule has help of its own")
    }

    func testResultCarriesRuleLevelMessageAndLocation() throws {
        let diagnostic = Diagnostic.error(.fanout, at: at("specs/view.yaml", 11, 13), "count(p.id) is multiplied", hint: "aggregate first")
        let result = try XCTUnwrap(try results(try decoded([diagnostic])).first)
        XCTAssertEqual(result["ruleId"] as? String, "fanout")
        XCTAssertEqual(result["ruleIndex"] as? Int, Rule.allCases.firstIndex(of: .fanout))
        XCTAssertEqual(result["level"] as? String, "error")
        XCTAssertEqual((result["message"] as? [String: Any])?["text"] as? String, "count(p.id) is multiplied\nhint: aggregate first")
        let physical = try XCTUnwrap(((result["locations"] as? [[String: Any]])?.first)?["physicalLocation"] as? [String: Any])
        XCTAssertEqual((physical["artifactLocation"] as? [String: Any])?["uri"] as? String, "specs/view.yaml")
        XCTAssertEqual((physical["region"] as? [String: Any])?["startLine"] as? Int, 11)
        XCTAssertEqual((physical["region"] as? [String: Any])?["startColumn"] as? Int, 13)
    }

    func testSeverityMapsToSARIFLevels() throws {
        let location = at("specs/v.yaml", 1, 1)
        let levels = try results(try decoded([
            Diagnostic(.error, .typeMismatch, at: location, "e"),
            Diagnostic(.warning, .timeDependent, at: location, "w"),
            Diagnostic(.note, .notIncremental, at: location, "n"),
        ])).map { $0["level"] as? String }
        XCTAssertEqual(levels, ["error", "warning", "note"])
    }

    func testDiagnosticWithoutAFileHasNoLocations() throws {
        let result = try XCTUnwrap(try results(try decoded([.error(.config, at: at("", 0, 0), "no project")])).first)
        XCTAssertNil(result["locations"])
        XCTAssertEqual(result["ruleId"] as? String, "config")
    }

    func testUnknownLineHasNoRegion() throws {
        let result = try XCTUnwrap(try results(try decoded([.error(.config, at: at("matview.yaml", 0, 0), "m")])).first)
        let physical = try XCTUnwrap(((result["locations"] as? [[String: Any]])?.first)?["physicalLocation"] as? [String: Any])
        XCTAssertNil(physical["region"])
    }

    func testPathsArePercentEncodedURIReferences() {
        XCTAssertEqual(SARIFLog.uriReference(path: "specs/view.yaml"), "specs/view.yaml")
        XCTAssertEqual(SARIFLog.uriReference(path: "specs/my view%.yaml"), "specs/my%20view%25.yaml")
        XCTAssertEqual(SARIFLog.uriReference(path: "c:/a#b?c.yaml"), "c%3A/a%23b%3Fc.yaml", "never a scheme, fragment or query")
        XCTAssertEqual(SARIFLog.uriReference(path: "specs/été.yaml"), "specs/%C3%A9t%C3%A9.yaml")
        XCTAssertEqual(SARIFLog.uriReference(path: "specs/a\\b.yaml"), "specs/a%5Cb.yaml", "a backslash is part of a name on POSIX")
        XCTAssertEqual(SARIFLog.uriReference(path: "/srv/project/matview.yaml"), "file:///srv/project/matview.yaml")
    }

    func testSameDiagnosticsGiveTheSameBytes() throws {
        let diagnostics = [
            Diagnostic(.warning, .timeDependent, at: at("specs/b.yaml", 3, 24), "reads the clock", hint: "add a schedule"),
            Diagnostic(.note, .notIncremental, at: at("specs/a.yaml", 14, 13), "one row per (role)"),
        ]
        XCTAssertEqual(try SARIFLog.render(diagnostics), try SARIFLog.render(diagnostics))
        XCTAssertTrue(try SARIFLog.render(diagnostics).hasPrefix("{\n  \"$schema\" : "), "keys are sorted, $schema first")
    }
}

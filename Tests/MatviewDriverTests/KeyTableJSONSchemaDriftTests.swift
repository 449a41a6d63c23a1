import Foundation
@testable import MatviewDriver
import MatviewSyntax
import XCTest

/// `matview schema` against the readers it describes. The readers are asked, not the key tables:
/// an unknown key in each mapping makes the reader list every key it knows ("known keys: ..."),
/// and a wrong word makes it list the closed set it accepts ("must be full or incremental"). The
/// printed schema must have exactly those keys, each with a description, and exactly those enums.
final class KeyTableJSONSchemaDriftTests: XCTestCase {
    /// A key no suggestion is near, so the hint lists every known key.
    static let unknownKey = "zzzzzzzzzzzzzzzzzzzz"

    /// For each mapping of a spec (by its place in the schema: "" is the root, else its
    /// `$defs` name), a spec whose only problem is the unknown key in that mapping.
    static let specProbes: [String: String] = [
        "": "view: v\nfrom: users u\nselect:\n  a: u.id\n\(unknownKey): 1\n",
        "query": "view: v\nwith:\n  c:\n    from: users u\n    select:\n      a: u.id\n    \(unknownKey): 1\nfrom: c\nselect:\n  a: c.a\n",
        "column": "view: v\nfrom: users u\nselect:\n  a:\n    expr: u.id\n    \(unknownKey): 1\n",
        "nested_query": "view: v\nfrom:\n  as: s\n  query:\n    from: users u\n    select:\n      a: u.id\n  \(unknownKey): 1\nselect:\n  a: s.a\n",
        "join": "view: v\nfrom: users u\njoin:\n  - left: projects p\n    on: true\n    \(unknownKey): 1\nselect:\n  a: u.id\n",
        "index": "view: v\nfrom: users u\nselect:\n  a: u.id\nindexes:\n  - columns: [a]\n    \(unknownKey): 1\n",
        "refresh": "view: v\nfrom: users u\nselect:\n  a: u.id\nrefresh:\n  \(unknownKey): 1\n",
    ]

    static let configProbes: [String: String] = [
        "": "\(unknownKey): 1\n",
        "output": "output:\n  \(unknownKey): 1\n",
        "postgres": "postgres:\n  \(unknownKey): 1\n",
        "swift": "swift:\n  \(unknownKey): 1\n",
    ]

    func parsed(_ schema: JSONValue) throws -> [String: Any] {
        let text = try KeyTableJSONSchema.text(schema)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// The schema's mappings by place: the root as "", the rest by `$defs` name.
    func mappings(_ schema: [String: Any]) -> [String: [String: Any]] {
        var all = ["": schema]
        for (name, value) in schema["$defs"] as? [String: Any] ?? [:] {
            all[name] = value as? [String: Any]
        }
        return all
    }

    /// The key names the reader lists in its hint for the unknown key.
    func knownKeys(_ diagnostics: [Diagnostic], file: StaticString = #filePath, line: UInt = #line) -> [String]? {
        let unknown = diagnostics.filter { $0.rule == .unknownKey }
        XCTAssertEqual(unknown.count, 1, "one unknown key, got \(diagnostics.map(\.message))", file: file, line: line)
        guard let hint = unknown.first?.hint, hint.hasPrefix("known keys: ") else {
            XCTFail("the hint lists the known keys: \(unknown.first?.hint ?? "no hint")", file: file, line: line)
            return nil
        }
        return hint.dropFirst("known keys: ".count).components(separatedBy: ", ")
    }

    func assertSameKeys(schema: [String: Any], probes: [String: String], read: (String) -> [Diagnostic]) {
        let mappings = mappings(schema)
        XCTAssertEqual(Set(mappings.keys), Set(probes.keys), "every mapping in the schema is one the test asks the reader about")
        for (place, text) in probes.sorted(by: { $0.key < $1.key }) {
            let name = place.isEmpty ? "the root" : place
            guard let mapping = mappings[place] else { XCTFail("the schema has no mapping \(name)"); continue }
            guard let readerKeys = knownKeys(read(text)) else { continue }
            let properties = mapping["properties"] as? [String: Any] ?? [:]
            XCTAssertEqual(Set(properties.keys), Set(readerKeys), "\(name): the schema's keys are the reader's")
            XCTAssertEqual(mapping["additionalProperties"] as? Bool, false, "\(name): no other keys")
            for (key, value) in properties {
                let description = (value as? [String: Any])?["description"] as? String ?? ""
                XCTAssertFalse(description.isEmpty, "\(name).\(key) has a description")
            }
            XCTAssertFalse((mapping["description"] as? String ?? "").isEmpty, "\(name) has a description")
        }
    }

    func testSpecSchemaHasExactlyTheReadersKeys() throws {
        assertSameKeys(schema: try parsed(KeyTableJSONSchema.spec), probes: Self.specProbes) { text in
            SpecReader.read(path: "probe.yaml", text: text).diagnostics
        }
    }

    func testConfigSchemaHasExactlyTheReadersKeys() throws {
        assertSameKeys(schema: try parsed(KeyTableJSONSchema.config), probes: Self.configProbes) { text in
            ProjectConfig.read(path: "matview.yaml", text: text).1
        }
    }

    // MARK: - Closed sets

    /// `a, b or c` as the reader prints it.
    func words(_ list: Substring) -> [String] {
        list.replacingOccurrences(of: " or ", with: ", ").components(separatedBy: ", ")
    }

    /// The one diagnostic `text` gets, which must mention the wrong word.
    func readerMessage(spec text: String, file: StaticString = #filePath, line: UInt = #line) -> Diagnostic? {
        let diagnostics = SpecReader.read(path: "probe.yaml", text: text).diagnostics
        XCTAssertEqual(diagnostics.count, 1, "\(diagnostics.map(\.message))", file: file, line: line)
        return diagnostics.first
    }

    /// Every `enum` under `value`, by its path.
    func enums(in value: Any, at path: String = "#") -> [String: [String]] {
        var found: [String: [String]] = [:]
        if let object = value as? [String: Any] {
            for (key, child) in object {
                if key == "enum", let words = child as? [String] { found[path] = words; continue }
                found.merge(enums(in: child, at: "\(path)/\(key)")) { first, _ in first }
            }
        } else if let array = value as? [Any] {
            for (index, child) in array.enumerated() {
                found.merge(enums(in: child, at: "\(path)/\(index)")) { first, _ in first }
            }
        }
        return found
    }

    func testSpecSchemaEnumsAreTheReadersClosedSets() throws {
        let schema = try parsed(KeyTableJSONSchema.spec)
        func listed(_ text: String, between prefix: String, and suffix: String) -> [String] {
            guard let start = text.range(of: prefix), let end = text.range(of: suffix, range: start.upperBound..<text.endIndex) else {
                XCTFail("'\(text)' has the list between '\(prefix)' and '\(suffix)'")
                return []
            }
            return words(text[start.upperBound..<end.lowerBound])
        }
        let base = "view: v\nfrom: users u\nselect:\n  a: u.id\n"
        let strategies = readerMessage(spec: base + "refresh:\n  strategy: wrong\n").map { listed($0.message, between: "must be ", and: ", found") } ?? []
        let onChange = readerMessage(spec: base + "refresh:\n  on_change: wrong\n").map { listed($0.message, between: "must be ", and: ", found") } ?? []
        let methods = readerMessage(spec: base + "indexes:\n  - columns: [a]\n    using: wrong\n").map { words(($0.hint ?? "").dropFirst("use ".count)) } ?? []
        let kinds = readerMessage(spec: "view: v\nfrom: users u\njoin:\n  - on: true\nselect:\n  a: u.id\n").map { listed($0.message, between: "needs one of ", and: " with its source") } ?? []

        let expected: [String: [String]] = [
            "#/$defs/refresh/properties/strategy": strategies,
            "#/$defs/refresh/properties/on_change": onChange,
            "#/$defs/index/properties/using/anyOf/0": methods,
        ]
        let found = enums(in: schema)
        // The refresh rules' conditions name single values of those sets; every other enum is one
        // of the sets.
        let sets = found.filter { !$0.key.contains("/allOf/") }
        XCTAssertEqual(sets, expected)
        let strategyRule = found.filter { $0.key.hasPrefix("#/$defs/refresh/allOf/") && $0.key.hasSuffix("/strategy") }
        let onChangeRule = found.filter { $0.key.hasPrefix("#/$defs/refresh/allOf/") && $0.key.hasSuffix("/on_change") }
        XCTAssertEqual(strategyRule.count + onChangeRule.count, found.count - sets.count, "every rule enum is about strategy or on_change: \(found.keys.sorted())")
        for words in strategyRule.values { XCTAssertTrue(Set(words).isSubset(of: strategies), "\(words)") }
        for words in onChangeRule.values { XCTAssertTrue(Set(words).isSubset(of: onChange), "\(words)") }

        // A join's kind is its key: exactly one of the kinds the reader names.
        let join = try XCTUnwrap((schema["$defs"] as? [String: Any])?["join"] as? [String: Any])
        let rules = join["allOf"] as? [[String: Any]] ?? []
        let exactlyOne = rules.compactMap { $0["oneOf"] as? [[String: Any]] }.first ?? []
        XCTAssertEqual(exactlyOne.compactMap { ($0["required"] as? [String])?.first }, kinds)
        XCTAssertEqual(kinds, JoinKind.allCases.map(\.rawValue))
    }

    func testConfigSchemaEnumsAreTheReadersClosedSets() throws {
        let schema = try parsed(KeyTableJSONSchema.config)
        let (_, diagnostics) = ProjectConfig.read(path: "matview.yaml", text: "swift:\n  access: wrong\n")
        let message = try XCTUnwrap(diagnostics.first?.message)
        XCTAssertEqual(diagnostics.count, 1)
        let access = words(message.dropFirst("swift.access must be ".count).prefix { $0 != "," })
        let found = enums(in: schema)
        XCTAssertEqual(found["#/$defs/swift/properties/access"], access)

        // The names the schema excludes are the names the reader refuses, and no others are
        // excluded: a reserved word as the support schema, public and none as the role.
        let supportSchema = try XCTUnwrap(found["#/$defs/postgres/properties/support_schema/not"])
        for word in supportSchema {
            let (config, problems) = ProjectConfig.read(path: "matview.yaml", text: "postgres:\n  support_schema: \"\(word)\"\n")
            XCTAssertEqual(problems.map(\.rule), [.config], "support_schema: \(word) is refused")
            XCTAssertEqual(config.supportSchema, "matview")
        }
        let roles = try XCTUnwrap(found["#/$defs/postgres/properties/monitoring_role/not"])
        for role in roles {
            let (_, problems) = ProjectConfig.read(path: "matview.yaml", text: "postgres:\n  monitoring_role: \"\(role)\"\n")
            XCTAssertEqual(problems.map(\.rule), [.config], "monitoring_role: \(role) is refused")
        }
        XCTAssertEqual(Set(found.keys), ["#/$defs/swift/properties/access", "#/$defs/postgres/properties/support_schema/not",
                                         "#/$defs/postgres/properties/monitoring_role/not"])
    }

    /// The printed schema is the same every time, pretty and sorted, with a final newline.
    func testSchemaTextIsDeterministic() throws {
        let first = try KeyTableJSONSchema.text(KeyTableJSONSchema.spec)
        XCTAssertEqual(first, try KeyTableJSONSchema.text(KeyTableJSONSchema.spec))
        XCTAssertTrue(first.hasPrefix("{\n  \"$defs\" : {\n"))
        XCTAssertTrue(first.hasSuffix("}\n"))
        XCTAssertTrue(first.contains("\"$schema\" : \"https://json-schema.org/draft/2020-12/schema\""))
    }
}

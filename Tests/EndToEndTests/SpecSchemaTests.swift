import Foundation
import MatviewTestSupport
import XCTest

/// The JSON Schemas `matview schema` and `matview schema --config` print, read by a validator
/// that is not ours (check-jsonschema, which reads YAML files directly): they are valid draft
/// 2020-12 schemas; every spec and matview.yaml of an end-to-end case the checker accepts
/// conforms; every one it rejects for a key or a value does not. The committed copies under
/// schemas/ are what the command prints.
final class SpecSchemaTests: XCTestCase {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let committedSpecSchema = repositoryRoot.appendingPathComponent("schemas/matview-spec.schema.json")
    static let committedConfigSchema = repositoryRoot.appendingPathComponent("schemas/matview-config.schema.json")

    /// The rules of the findings a schema can stand for: a key that does not belong, a key that
    /// is missing, a value of the wrong shape or outside its set, a bad matview.yaml value.
    static let keyAndValueRules = ["[unknown-key]", "[missing-key]", "[invalid-value]", "[config]"]

    /// Error-case files the schema cannot reject, each with the reason (a value valid in shape
    /// but wrong in context). None today: the refresh policy's rules across keys (concurrently
    /// with strategy: incremental, on_change: immediate without it) are in the schema as if/then.
    static let beyondTheSchema: [String: String] = [:]

    var work: URL!

    override func setUpWithError() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("matview-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: work)
    }

    /// `matview schema` (with `arguments`), written to a file in the temporary folder.
    func printedSchema(_ arguments: [String], file name: String) throws -> URL {
        let result = try MatviewCLI.run(["schema"] + arguments, in: work)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
        let url = work.appendingPathComponent(name)
        try Data(result.stdout.utf8).write(to: url)
        return url
    }

    func specSchema() throws -> URL { try printedSchema([], file: "matview-spec.schema.json") }
    func configSchema() throws -> URL { try printedSchema(["--config"], file: "matview-config.schema.json") }

    /// Each case's expected diagnostics (the error lines only), by case name.
    func errorLines() throws -> [(name: String, lines: [String])] {
        try EndToEndCase.folderNames.map { name in
            let text = try String(contentsOf: EndToEndCase(name).root.appendingPathComponent("expected-diagnostics.txt"), encoding: .utf8)
            return (name, text.split(separator: "\n").map(String.init).filter { $0.contains(": error: ") })
        }
    }

    func specFiles(ofCase name: String) throws -> [URL] {
        let specs = EndToEndCase(name).root.appendingPathComponent("specs")
        return try FileManager.default.contentsOfDirectory(at: specs, includingPropertiesForKeys: nil)
            .filter { ["yaml", "yml"].contains($0.pathExtension) }
            .sorted { $0.path < $1.path }
    }

    // MARK: - The schemas themselves

    func testSchemasAreValidDraft202012Schemas() throws {
        let checker = try JSONSchemaValidator.checkJSONSchema()
        for schema in [try specSchema(), try configSchema()] {
            let text = try String(contentsOf: schema, encoding: .utf8)
            XCTAssertTrue(text.contains("\"$schema\" : \"https://json-schema.org/draft/2020-12/schema\""), schema.lastPathComponent)
            XCTAssertTrue(text.hasSuffix("}\n"), "\(schema.lastPathComponent) ends with a newline")
            let result = try ChildProcess.run(checker, ["--check-metaschema", schema.path])
            XCTAssertEqual(result.status, 0, "\(schema.lastPathComponent) against the draft 2020-12 metaschema:\n\(result.stdout)\(result.stderr)")
        }
    }

    /// schemas/*.json are what users point their editors at: the command's output, byte for byte.
    /// MATVIEW_UPDATE_EXPECTED=1 rewrites them.
    func testCommittedSchemasAreUpToDate() throws {
        for (printed, committed) in [(try specSchema(), Self.committedSpecSchema), (try configSchema(), Self.committedConfigSchema)] {
            let text = try String(contentsOf: printed, encoding: .utf8)
            if EndToEndCase.updating {
                try FileManager.default.createDirectory(at: committed.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: committed)
                continue
            }
            let old = try? String(contentsOf: committed, encoding: .utf8)
            XCTAssertEqual(old, text, "\(committed.path) is stale: run `matview schema\(committed == Self.committedConfigSchema ? " --config" : "") > schemas/\(committed.lastPathComponent)`")
        }
    }

    // MARK: - Spec files

    func testEveryGoodSpecConforms() throws {
        _ = try JSONSchemaValidator.checkJSONSchema()
        var files: [URL] = []
        for (name, lines) in try errorLines() where lines.isEmpty {
            files += try specFiles(ofCase: name)
        }
        // The repository's own seed specs too.
        files += try FileManager.default.contentsOfDirectory(at: Self.repositoryRoot.appendingPathComponent("specs"), includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" }
        XCTAssertGreaterThan(files.count, 20, "the good cases have specs")
        let validation = try JSONSchemaValidator.validate(instances: files, schema: try specSchema())
        XCTAssertTrue(validation.ok, validation.output)
    }

    /// Each spec file named in an unknown-key, missing-key or invalid-value error fails on its own.
    func testEverySpecWithAKeyOrValueErrorFails() throws {
        _ = try JSONSchemaValidator.checkJSONSchema()
        let schema = try specSchema()
        var checked = 0
        for (name, lines) in try errorLines() {
            let paths = Set(lines.filter { line in Self.keyAndValueRules.contains { line.hasSuffix($0) } }
                .compactMap { $0.split(separator: ":").first.map(String.init) }
                .filter { $0 != "matview.yaml" })
            for path in paths.sorted() where Self.beyondTheSchema["\(name)/\(path)"] == nil {
                let validation = try JSONSchemaValidator.validate(instance: EndToEndCase(name).root.appendingPathComponent(path), schema: schema)
                XCTAssertFalse(validation.ok, "case \(name): \(path) has key or value errors, yet conforms to the schema")
                checked += 1
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 8, "the unknown-key, missing-key and invalid-value cases")
    }

    // MARK: - matview.yaml

    func testEveryGoodConfigConforms() throws {
        _ = try JSONSchemaValidator.checkJSONSchema()
        let files = try errorLines().filter { name, lines in
            !lines.contains { $0.hasPrefix("matview.yaml:") }
                && FileManager.default.fileExists(atPath: EndToEndCase(name).root.appendingPathComponent("matview.yaml").path)
        }.map { EndToEndCase($0.name).root.appendingPathComponent("matview.yaml") }
        XCTAssertFalse(files.isEmpty, "some good case has a matview.yaml")
        let validation = try JSONSchemaValidator.validate(instances: files, schema: try configSchema())
        XCTAssertTrue(validation.ok, validation.output)
    }

    func testEveryConfigWithAKeyOrValueErrorFails() throws {
        _ = try JSONSchemaValidator.checkJSONSchema()
        let schema = try configSchema()
        var checked = 0
        for (name, lines) in try errorLines() where lines.contains(where: { line in
            line.hasPrefix("matview.yaml:") && Self.keyAndValueRules.contains { line.hasSuffix($0) }
        }) && Self.beyondTheSchema["\(name)/matview.yaml"] == nil {
            let validation = try JSONSchemaValidator.validate(instance: EndToEndCase(name).root.appendingPathComponent("matview.yaml"), schema: schema)
            XCTAssertFalse(validation.ok, "case \(name): matview.yaml has key or value errors, yet conforms to the schema")
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 4, "the config cases")
    }

    /// The config schema is not a rubber stamp for the values a good config has: each of these
    /// alone is refused (the readers refuse them too, see ProjectConfig).
    func testConfigSchemaRefusesEachBadValue() throws {
        _ = try JSONSchemaValidator.checkJSONSchema()
        let schema = try configSchema()
        let bad = [
            "postgres:\n  version: 14\n", "postgres:\n  support_schema: select\n", "postgres:\n  monitoring_role: none\n",
            "postgres:\n  monitoring_role: \"\"\n", "swift:\n  access: open\n", "output:\n  sql: [a, b]\n",
        ]
        for (index, text) in bad.enumerated() {
            let file = work.appendingPathComponent("bad-\(index).yaml")
            try Data(text.utf8).write(to: file)
            XCTAssertFalse(try JSONSchemaValidator.validate(instance: file, schema: schema).ok, text)
        }
    }
}

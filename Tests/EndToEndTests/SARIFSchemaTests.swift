import Foundation
import MatviewDriver
import MatviewTestSupport
import XCTest

/// `matview check --format sarif` conforms to SARIF 2.1.0, as the OASIS JSON schema states it and
/// a validator that is not ours (check-jsonschema) reads it, for every end-to-end case: errors,
/// warnings and notes, hints, config errors, hostile names, and clean projects.
///
/// Schemas/sarif-schema-2.1.0.json is the OASIS SARIF TC's schema, unchanged, from
/// https://github.com/oasis-tcs/sarif-spec, file sarif-2.1/schema/sarif-schema-2.1.0.json
/// (published as https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json).
final class SARIFSchemaTests: XCTestCase {
    static let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Schemas/sarif-schema-2.1.0.json")

    /// Every case's SARIF, one file each in a temporary folder, validated in one run.
    func testEveryCaseGivesValidSARIF() throws {
        _ = try JSONSchemaValidator.checkJSONSchema()
        let outputs = FileManager.default.temporaryDirectory.appendingPathComponent("matview-sarif-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outputs, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: outputs) }
        var files: [URL] = []
        var levels: Set<String> = []
        for name in EndToEndCase.folderNames {
            let sarif = try sarifOutput(ofCase: name)
            let log = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any], "case \(name): standard output is not JSON")
            let results = try XCTUnwrap(((log["runs"] as? [[String: Any]])?.first)?["results"] as? [[String: Any]], "case \(name)")
            XCTAssertEqual(results.count, try expectedDiagnosticCount(ofCase: name), "case \(name): one result per diagnostic in expected-diagnostics.txt")
            levels.formUnion(results.compactMap { $0["level"] as? String })
            let file = outputs.appendingPathComponent("\(name).json")
            try Data(sarif.utf8).write(to: file)
            files.append(file)
        }
        XCTAssertEqual(levels, ["error", "warning", "note"], "the cases exercise every level")
        let validation = try JSONSchemaValidator.validate(instances: files, schema: Self.schema)
        XCTAssertTrue(validation.ok, validation.output)
    }

    /// The validator is not a rubber stamp: a level SARIF does not have is rejected.
    func testValidatorRejectsALevelSARIFDoesNotHave() throws {
        let sarif = try sarifOutput(ofCase: "fanout")
        XCTAssertTrue(try JSONSchemaValidator.validate(json: sarif, schema: Self.schema).ok)
        let broken = sarif.replacingOccurrences(of: "\"level\" : \"error\"", with: "\"level\" : \"fatal\"")
        XCTAssertNotEqual(broken, sarif)
        let validation = try JSONSchemaValidator.validate(json: broken, schema: Self.schema)
        XCTAssertFalse(validation.ok)
        XCTAssertTrue(validation.output.contains("fatal"), validation.output)
    }

    /// `matview check --format sarif` in a copy of the case. A case without schema files is
    /// checked against the seed schema, as EndToEndCase does, so its diagnostics are the same.
    func sarifOutput(ofCase name: String) throws -> String {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("matview-sarif-case-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: EndToEndCase.casesDirectory.appendingPathComponent(name), to: work)
        defer { try? FileManager.default.removeItem(at: work) }
        let hasConfig = FileManager.default.fileExists(atPath: work.appendingPathComponent("matview.yaml").path)
        let project = Project.load(root: work, configPath: hasConfig ? "matview.yaml" : nil)
        if project.schemaFiles.isEmpty {
            try FileManager.default.copyItem(at: EndToEndCase.casesDirectory.appendingPathComponent("seed-schema.sql"),
                                             to: work.appendingPathComponent(project.config.specs).appendingPathComponent("schema.sql"))
        }
        let result = try MatviewCLI.run(["check", "--format", "sarif"], in: work)
        XCTAssertTrue(result.status == 0 || result.status == 1, "case \(name): exit status \(result.status): \(result.stderr)")
        return result.stdout
    }

    /// The case's diagnostics in the text format: one line each, plus an indented hint line.
    func expectedDiagnosticCount(ofCase name: String) throws -> Int {
        let text = try String(contentsOf: EndToEndCase.casesDirectory.appendingPathComponent(name).appendingPathComponent("expected-diagnostics.txt"), encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("  hint: ") }.count
    }
}

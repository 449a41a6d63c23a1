import Foundation
import XCTest

/// Validates JSON (and YAML) documents against a JSON Schema with a validator that is not ours:
/// PyPI's `check-jsonschema` (python-jsonschema underneath; drafts 4 to 2020-12, chosen by the
/// schema's `$schema`), installed by scripts/install-test-tools.sh into .build/test-tools/python.
/// What it rejects, the tests reject. Tests skip when it is missing, except under CI, where that
/// is a failure.
public enum JSONSchemaValidator {

    /// Validates one document file (`.json`, `.yaml` or `.yml`: the extension picks the parser).
    /// `ok` is whether it conforms; `output` is what check-jsonschema printed, which names each
    /// violation and where it is.
    public static func validate(instance: URL, schema: URL) throws -> (ok: Bool, output: String) {
        try validate(instances: [instance], schema: schema)
    }

    /// Validates several documents in one run of the validator (it starts in about half a
    /// second); `ok` only when every one conforms, and `output` names the files that do not.
    public static func validate(instances: [URL], schema: URL) throws -> (ok: Bool, output: String) {
        precondition(!instances.isEmpty, "no documents to validate")
        let result = try ChildProcess.run(try checkJSONSchema(), ["--schemafile", schema.path] + instances.map(\.path))
        // Exit status 1 is "a document does not conform"; anything else (a schema that does not
        // parse, a missing file, a crash) is not an answer about the documents.
        guard result.status == 0 || result.status == 1 else {
            throw Failure(description: "check-jsonschema exited with status \(result.status): \(result.stdout)\(result.stderr)")
        }
        return (result.status == 0, result.stdout + result.stderr)
    }

    /// Validates a document given as text, written to a temporary `.json` file for the validator.
    public static func validate(json: String, schema: URL) throws -> (ok: Bool, output: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("matview-instance-\(UUID().uuidString).json")
        try Data(json.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try validate(instance: file, schema: schema)
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The test tools' check-jsonschema, else one on PATH (where someone installed it otherwise).
    public static func checkJSONSchema() throws -> URL {
        guard let located = TestTools.locate("check-jsonschema") else {
            throw TestTools.missing("check-jsonschema was not found (looked in \(TestTools.virtualEnvironment.path)/bin and on PATH)")
        }
        return located
    }
}

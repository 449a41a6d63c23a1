import Foundation
import MatviewDriver
import MatviewSQL
import XCTest

/// End-to-end cases, one folder per behaviour under `Cases/`:
///
///     Cases/<name>/specs/*.yaml            the view specs (and optionally *.sql schema files)
///     Cases/<name>/matview.yaml            optional project config
///     Cases/<name>/expected-diagnostics.txt  what `matview check` prints, exactly
///     Cases/<name>/expected-sql/          optional: what `matview generate` writes to generated/sql
///     Cases/<name>/expected-swift/        optional: what it writes to generated/swift
///
/// A case without schema files is checked against `Cases/seed-schema.sql` (the seed's tables).
/// Run with MATVIEW_UPDATE_EXPECTED=1 to rewrite the expected files, then review the diff.
final class EndToEndTests: XCTestCase {
    static let casesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Cases")
    static let updating = ProcessInfo.processInfo.environment["MATVIEW_UPDATE_EXPECTED"] == "1"

    static var caseNames: [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: casesDirectory.path)) ?? []
        return entries.filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: casesDirectory.appendingPathComponent(name).path, isDirectory: &isDirectory) && isDirectory.boolValue
        }.sorted()
    }

    /// Compiles a case folder as `matview check` would, with the seed schema when it has none.
    static func diagnostics(forCase name: String) -> String {
        DiagnosticRenderer.text(compile(name).output.diagnostics)
    }

    static func compile(_ name: String) -> (project: Project, output: Compiler.Output) {
        let root = casesDirectory.appendingPathComponent(name)
        let hasConfig = FileManager.default.fileExists(atPath: root.appendingPathComponent("matview.yaml").path)
        let project = Project.load(root: root, configPath: hasConfig ? "matview.yaml" : nil)
        var output = Compiler().compile(project)
        if project.schemaFiles.isEmpty {
            let seed = (try? String(contentsOf: casesDirectory.appendingPathComponent("seed-schema.sql"), encoding: .utf8)) ?? ""
            let specs = project.specFiles.compactMap { path in (try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)).map { (path, $0) } }
            output = Compiler().compile(specFiles: specs, schemaFiles: [("schema.sql", seed)])
            output.diagnostics = (project.diagnostics + output.diagnostics)
        }
        return (project, output)
    }

    /// Cases with an `expected-sql/` or `expected-swift/` folder: the generated files, byte for byte.
    func testGeneratedFiles() throws {
        var compared = 0
        for name in Self.caseNames {
            let (project, output) = Self.compile(name)
            let generation = Generation(project: project, compiled: output)
            for (folderName, generated) in [("expected-sql", generation.outputs[0].files), ("expected-swift", generation.outputs[1].files)] {
                let expectedRoot = Self.casesDirectory.appendingPathComponent(name).appendingPathComponent(folderName)
                guard FileManager.default.fileExists(atPath: expectedRoot.path) else { continue }
                XCTAssertFalse(output.hasErrors, "case \(name) has errors: \(DiagnosticRenderer.text(output.diagnostics))")
                try compare(generated, with: expectedRoot, case: name, folder: folderName)
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 1)
    }

    private func compare(_ files: [GeneratedFileContents], with expectedRoot: URL, case name: String, folder folderName: String) throws {
        do {
            let folder = OutputFolder(root: expectedRoot, displayPath: folderName)
            if Self.updating {
                try folder.write(files)
            } else {
                let diff = folder.diff(against: files)
                XCTAssertEqual(diff, "", "case \(name): \(folderName) differs\n\(diff)")
            }
        }
    }

    func testCases() throws {
        let names = Self.caseNames
        XCTAssertGreaterThan(names.count, 20, "the end-to-end cases were not found at \(Self.casesDirectory.path)")
        for name in names {
            let actual = Self.diagnostics(forCase: name)
            let expectedURL = Self.casesDirectory.appendingPathComponent(name).appendingPathComponent("expected-diagnostics.txt")
            if Self.updating {
                try actual.write(to: expectedURL, atomically: true, encoding: .utf8)
                continue
            }
            guard let expected = try? String(contentsOf: expectedURL, encoding: .utf8) else {
                XCTFail("case \(name) has no expected-diagnostics.txt (run with MATVIEW_UPDATE_EXPECTED=1)")
                continue
            }
            if actual != expected {
                XCTFail("case \(name): diagnostics differ\n--- expected\n\(expected)--- actual\n\(actual)")
            }
        }
    }

    /// Every rule has at least one case whose expected output names it.
    func testEveryRuleHasACase() throws {
        var seen = Set<String>()
        for name in Self.caseNames {
            let url = Self.casesDirectory.appendingPathComponent(name).appendingPathComponent("expected-diagnostics.txt")
            let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n") where line.hasSuffix("]") {
                if let open = line.lastIndex(of: "[") { seen.insert(String(line[line.index(after: open)..<line.index(before: line.endIndex)])) }
            }
        }
        let missing = RuleNames.all.filter { !seen.contains($0) }
        XCTAssertEqual(missing, [], "rules without an end-to-end case")
    }
}

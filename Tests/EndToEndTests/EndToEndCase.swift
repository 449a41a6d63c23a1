import MatviewLowering
import Foundation
import MatviewDriver
import XCTest

/// One end-to-end case folder under `Cases/`:
///
///     Cases/<name>/specs/*.yaml              the view specs (and optionally *.sql schema files)
///     Cases/<name>/matview.yaml              optional project config
///     Cases/<name>/expected-diagnostics.txt  what `matview check` prints, exactly
///     Cases/<name>/expected-sql/             what `matview generate` writes to generated/sql
///     Cases/<name>/expected-swift/           what it writes to generated/swift
///
/// Every case that checks without errors is a generator case and has both expected folders;
/// a case with errors has neither. A case without schema files is checked against
/// `Cases/seed-schema.sql` (the seed's tables). With MATVIEW_UPDATE_EXPECTED=1 the expected files
/// are written instead of compared (review the diff before committing).
struct EndToEndCase {
    static let casesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Cases")
    static let updating = ProcessInfo.processInfo.environment["MATVIEW_UPDATE_EXPECTED"] == "1"
    static let goldenFolders = ["expected-sql", "expected-swift"]

    let name: String
    var root: URL { Self.casesDirectory.appendingPathComponent(name) }

    init(_ name: String) {
        self.name = name
    }

    /// The case folders on disk, sorted.
    static var folderNames: [String] { subfolderNames(of: casesDirectory) }

    /// Compiles the case as `matview check` would, with the seed schema when it has none.
    func compile() -> (project: Project, output: Compiler.Output) {
        let hasConfig = FileManager.default.fileExists(atPath: root.appendingPathComponent("matview.yaml").path)
        let project = Project.load(root: root, configPath: hasConfig ? "matview.yaml" : nil)
        var output = Compiler().compile(project)
        if project.schemaFiles.isEmpty {
            let seed = (try? String(contentsOf: Self.casesDirectory.appendingPathComponent("seed-schema.sql"), encoding: .utf8)) ?? ""
            let specs = project.specFiles.compactMap { path in (try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)).map { (path, $0) } }
            output = Compiler().compile(specFiles: specs, schemaFiles: [("schema.sql", seed)])
            output.diagnostics = (project.diagnostics + output.diagnostics)
        }
        return (project, output)
    }

    /// Compares (or, when updating, writes) the diagnostics and, for a generator case, the
    /// generated files. Failures name the case and the file.
    func verify(file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertTrue(FileManager.default.fileExists(atPath: root.path), "case \(name): no folder at \(root.path)", file: file, line: line)
        let (project, output) = compile()
        try verifyDiagnostics(DiagnosticRenderer.text(output.diagnostics), file: file, line: line)
        if output.hasErrors {
            for folder in Self.goldenFolders where FileManager.default.fileExists(atPath: root.appendingPathComponent(folder).path) {
                XCTFail("case \(name) has errors, so it generates nothing, but has \(folder)/: remove it", file: file, line: line)
            }
            return
        }
        let generation = Generation(project: project, compiled: output)
        for (folder, files) in zip(Self.goldenFolders, generation.outputs.map(\.files)) {
            try verifyGenerated(files, folder: folder, file: file, line: line)
        }
    }

    private func verifyDiagnostics(_ actual: String, file: StaticString, line: UInt) throws {
        let url = root.appendingPathComponent("expected-diagnostics.txt")
        if Self.updating {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            XCTFail("case \(name) has no expected-diagnostics.txt (run with MATVIEW_UPDATE_EXPECTED=1)", file: file, line: line)
            return
        }
        if actual != expected {
            XCTFail("case \(name): diagnostics differ\n--- expected\n\(expected)--- actual\n\(actual)", file: file, line: line)
        }
    }

    private func verifyGenerated(_ files: [GeneratedFileContents], folder: String, file: StaticString, line: UInt) throws {
        let expected = OutputFolder(root: root.appendingPathComponent(folder), displayPath: "\(name)/\(folder)")
        if Self.updating {
            try expected.write(files)
            return
        }
        guard FileManager.default.fileExists(atPath: expected.root.path) else {
            XCTFail("case \(name) checks without errors but has no \(folder)/ (run with MATVIEW_UPDATE_EXPECTED=1 and review it)", file: file, line: line)
            return
        }
        let diff = try expected.diff(against: files)
        XCTAssertEqual(diff, "", "case \(name): \(folder) differs from what generate writes\n\(diff)", file: file, line: line)
    }
}

/// The names of the folders directly inside `folder`, sorted: the cases of a case directory.
func subfolderNames(of folder: URL) -> [String] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return entries.filter { name in
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path, isDirectory: &isDirectory) && isDirectory.boolValue
    }.sorted()
}

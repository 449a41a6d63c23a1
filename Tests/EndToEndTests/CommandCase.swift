import Foundation
import MatviewTestSupport
import XCTest

/// One command case folder under `CommandCases/`: the built `matview` run as a user runs it, and
/// everything it prints, its exit status and the files it leaves, compared exactly.
///
///     CommandCases/<name>/arguments        the words after `matview`, one per line
///     CommandCases/<name>/project/         optional: copied into a new temporary folder, the
///                                          command's working directory (else an empty folder)
///     CommandCases/<name>/expected-status  the exit status
///     CommandCases/<name>/expected-stdout  standard output, exactly
///     CommandCases/<name>/expected-stderr  standard error, exactly
///     CommandCases/<name>/expected-files/  optional: the whole working directory afterwards
///
/// In the expected output `$PROJECT` stands for the working directory's path. The command runs
/// without DATABASE_URL, so nothing reaches a database. With MATVIEW_UPDATE_EXPECTED=1 the
/// expected files are written instead of compared (review the diff before committing).
struct CommandCase {
    static let casesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("CommandCases")

    let name: String
    var root: URL { Self.casesDirectory.appendingPathComponent(name) }

    init(_ name: String) {
        self.name = name
    }

    static var folderNames: [String] { subfolderNames(of: casesDirectory) }

    func verify(file: StaticString = #filePath, line: UInt = #line) throws {
        let arguments = try String(contentsOf: root.appendingPathComponent("arguments"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            .dropLast(while: \.isEmpty)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("matview-command-case-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let project = root.appendingPathComponent("project")
        if FileManager.default.fileExists(atPath: project.path) {
            try FileManager.default.copyItem(at: project, to: work)
        } else {
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        }
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = nil
        let result = try MatviewCLI.run(Array(arguments), in: work, environment: environment)
        func normalised(_ text: String) -> String {
            text.replacingOccurrences(of: work.path, with: "$PROJECT")
        }
        try compare("expected-status", "\(result.status)\n", file: file, line: line)
        try compare("expected-stdout", normalised(result.stdout), file: file, line: line)
        try compare("expected-stderr", normalised(result.stderr), file: file, line: line)
        let expectedFiles = root.appendingPathComponent("expected-files")
        if FileManager.default.fileExists(atPath: expectedFiles.path) {
            if EndToEndCase.updating {
                try? FileManager.default.removeItem(at: expectedFiles)
                try FileManager.default.copyItem(at: work, to: expectedFiles)
            } else {
                let actual = try Self.tree(work), expected = try Self.tree(expectedFiles)
                XCTAssertEqual(actual.keys.sorted(), expected.keys.sorted(), "command case \(name): the files left in the working directory", file: file, line: line)
                for (path, contents) in expected where actual[path] != nil {
                    XCTAssertEqual(actual[path], contents, "command case \(name): \(path)", file: file, line: line)
                }
            }
        }
    }

    private func compare(_ fileName: String, _ actual: String, file: StaticString, line: UInt) throws {
        let url = root.appendingPathComponent(fileName)
        if EndToEndCase.updating {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        XCTAssertEqual(actual, expected, "command case \(name): \(fileName)", file: file, line: line)
    }

    /// Every regular file under `folder`, by relative path.
    static func tree(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else { return files }
        let base = folder.standardizedFileURL.path
        for case let url as URL in walker where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            let path = url.standardizedFileURL.path
            files[String(path.dropFirst(base.count + 1))] = try Data(contentsOf: url)
        }
        return files
    }
}

private extension Array {
    func dropLast(while predicate: (Element) -> Bool) -> ArraySlice<Element> {
        var end = endIndex
        while end > startIndex, predicate(self[end - 1]) { end -= 1 }
        return self[startIndex..<end]
    }
}

import Foundation

/// The files `matview init` writes into a folder, and the writing: all or nothing, never over a
/// file that exists (the one exception, `.gitignore`, is appended to; see GitignoreUpdate).
public struct ProjectScaffold: Sendable {
    public struct File: Sendable, Equatable {
        public var path: String
        public var contents: String
    }

    /// In the order they are written and reported.
    public var files: [File]
    /// The folder init refuses to write into when it already holds files: the specs it would
    /// check there are not the ones it wrote, so `check` might fail right afterwards.
    public var specsFolder = "specs"
    /// How the example spec came about, for the report; nil when it is the built-in example.
    public var exampleNote: String?

    /// The project without a database: the example table and a spec that reads it.
    public static var example: ProjectScaffold {
        ProjectScaffold(files: [
            File(path: "matview.yaml", contents: ScaffoldTexts.config),
            File(path: "specs/schema.sql", contents: ScaffoldTexts.exampleSchema),
            File(path: ScaffoldTexts.exampleSpecPath, contents: ScaffoldTexts.exampleSpec),
            File(path: ScaffoldTexts.workflowPath, contents: ScaffoldTexts.workflow),
        ])
    }

    /// The project over a database's tables (`introspect`'s DDL): an example spec over one of
    /// them when one makes a clean example, else the example commented out under a name
    /// `check` does not read.
    public static func introspected(schema: String) -> ProjectScaffold {
        let schemaPath = "specs/schema.sql"
        let spec = IntrospectedExampleSpec.choose(schemaPath: schemaPath, schemaText: schema)
        return ProjectScaffold(files: [
            File(path: "matview.yaml", contents: ScaffoldTexts.config),
            File(path: schemaPath, contents: schema),
            spec.map { File(path: $0.path, contents: $0.text) }
                ?? File(path: ScaffoldTexts.disabledExampleSpecPath, contents: ScaffoldTexts.disabledExampleSpec),
            File(path: ScaffoldTexts.workflowPath, contents: ScaffoldTexts.workflow),
        ], exampleNote: spec.map { "an example over \($0.table)" }
            ?? "no table with plain names to write an example over: edit it and rename it to .yaml")
    }

    /// Why init cannot write into `root`: the files that exist, and a specs folder with files in
    /// it. Empty when it can.
    public func conflicts(in root: URL) -> [String] {
        let fileManager = FileManager.default
        var found = files.map(\.path).filter { fileManager.fileExists(atPath: root.appendingPathComponent($0).path) }
        let specs = root.appendingPathComponent(specsFolder).path
        if let entries = try? fileManager.contentsOfDirectory(atPath: specs), !entries.isEmpty,
           !found.contains(where: { $0.hasPrefix(specsFolder + "/") }) {
            found.append("\(specsFolder)/ (it already holds \(entries.sorted().joined(separator: ", ")))")
        }
        return found
    }

    /// Writes every file and updates `.gitignore`; returns one line per file for the report.
    /// Call `conflicts(in:)` first: a file that appears meanwhile is still not overwritten (the
    /// write fails instead).
    public func write(to root: URL) throws -> [String] {
        let fileManager = FileManager.default
        var report: [String] = []
        for file in files {
            let url = root.appendingPathComponent(file.path)
            try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            // withoutOverwriting: O_EXCL, so a file created since the check is left alone.
            do {
                try Data(file.contents.utf8).write(to: url, options: .withoutOverwriting)
            } catch {
                throw FileError("cannot create \(file.path): it exists or the folder is not writable")
            }
            let note = file.path.hasPrefix("specs/") && file.path != "specs/schema.sql" ? exampleNote.map { " (\($0))" } ?? "" : ""
            report.append("created \(file.path)\(note)")
        }
        report.append(try updateGitignore(in: root))
        return report
    }

    private func updateGitignore(in root: URL) throws -> String {
        let url = root.appendingPathComponent(".gitignore")
        let exists = FileManager.default.fileExists(atPath: url.path)
        var existing: String?
        if exists {
            guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
                return "left .gitignore alone (not readable as UTF-8 text): add \(ScaffoldTexts.gitignoreLines.joined(separator: ", ")) yourself"
            }
            existing = text
        }
        let update = GitignoreUpdate(existing: existing)
        if update.addedLines.isEmpty { return ".gitignore already has \(ScaffoldTexts.gitignoreLines.joined(separator: ", "))" }
        if !exists {
            try Data(update.appendedText.utf8).write(to: url, options: .withoutOverwriting)
            return "created .gitignore"
        }
        guard let handle = FileHandle(forWritingAtPath: url.path) else { throw FileError("cannot append to .gitignore") }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(update.appendedText.utf8))
        return "appended \(update.addedLines.joined(separator: ", ")) to .gitignore"
    }
}

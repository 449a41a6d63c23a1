import MatviewLowering
import Foundation

/// A folder that the generator owns (e.g. generated/sql): writing makes its contents exactly the
/// generated files (stale ones are removed), and checking reports how it differs without writing.
public struct OutputFolder {
    public let root: URL
    /// The folder as the user names it, for messages and diff headers (e.g. `generated/sql`).
    public let displayPath: String

    public init(root: URL, displayPath: String) {
        self.root = root
        self.displayPath = displayPath
    }

    /// The folder's files and their text. A file that cannot be read, or is not UTF-8, is an
    /// error rather than "empty": the generator would otherwise overwrite or delete something it
    /// never wrote (a stray binary, a file the user put there) without a word.
    private func existingFiles() throws -> [String: String] {
        var result: [String: String] = [:]
        let base = root.standardizedFileURL.path
        let paths: [String]
        do {
            paths = try RegularFiles.relativePaths(under: base)
        } catch {
            throw FileError("cannot list \(displayPath)")
        }
        for path in paths {
            guard let data = FileManager.default.contents(atPath: base + "/" + path) else {
                throw FileError("cannot read \(displayPath)/\(path)")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw FileError("\(displayPath)/\(path) is not UTF-8 text, so matview did not write it; move or delete it")
            }
            result[path] = text
        }
        return result
    }

    /// A unified diff from what is on disk to what would be written; empty when up to date.
    public func diff(against files: [GeneratedFileContents]) throws -> String {
        let existing = try existingFiles()
        var out = ""
        let wanted = Dictionary(files.map { ($0.path, $0.contents) }, uniquingKeysWith: { a, _ in a })
        for path in Set(existing.keys).union(wanted.keys).sorted() {
            let old = existing[path], new = wanted[path]
            if old == new { continue }
            out += UnifiedDiff.diff(old: old ?? "", new: new ?? "",
                                    oldPath: old == nil ? "/dev/null" : "a/\(displayPath)/\(path)",
                                    newPath: new == nil ? "/dev/null" : "b/\(displayPath)/\(path)")
        }
        return out
    }

    /// Writes the files (only those that changed) and removes files the generator no longer makes.
    /// Returns the paths written or removed.
    @discardableResult
    public func write(_ files: [GeneratedFileContents]) throws -> [String] {
        let existing = try existingFiles()
        var changed: [String] = []
        let wanted = Set(files.map(\.path))
        for file in files where existing[file.path] != file.contents {
            let url = root.appendingPathComponent(file.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(file.contents.utf8).write(to: url, options: .atomic)
            changed.append(file.path)
        }
        for path in existing.keys.sorted() where !wanted.contains(path) {
            try FileManager.default.removeItem(at: root.appendingPathComponent(path))
            changed.append(path)
        }
        return changed
    }
}

/// A path relative to an output folder, and the text it should hold.
public struct GeneratedFileContents: Sendable, Equatable {
    public var path: String
    public var contents: String

    public init(path: String, contents: String) {
        self.path = path
        self.contents = contents
    }
}

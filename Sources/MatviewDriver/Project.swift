import Foundation
import MatviewSyntax

/// The files of a project on disk: its root, config, spec files and schema files, with paths
/// relative to the root so diagnostics read `specs/dashboard.yaml:3:7`.
public struct Project: Sendable {
    public var root: URL
    public var config: ProjectConfig
    public var specFiles: [String]
    public var schemaFiles: [String]
    public var diagnostics: [Diagnostic]

    /// Finds the project: `configPath` if given, else `matview.yaml` in `root` if present.
    public static func load(root: URL, configPath: String? = nil) -> Project {
        var diagnostics: [Diagnostic] = []
        var config = ProjectConfig()
        var rootURL = root
        let fileManager = FileManager.default
        if let configPath {
            let url = URL(fileURLWithPath: configPath, relativeTo: root).standardizedFileURL
            rootURL = url.deletingLastPathComponent()
            let display = configPath
            switch readText(url) {
            case .success(let text):
                let (read, found) = ProjectConfig.read(path: display, text: text)
                config = read
                diagnostics += found
            case .failure(let error):
                diagnostics.append(.error(.config, at: SourceLocation(file: display, line: 1, column: 1), error.description))
            }
        } else {
            // A matview.yaml that exists but cannot be read is an error, not "no config": the
            // defaults would silently point every command at other folders.
            let url = root.appendingPathComponent("matview.yaml")
            if fileManager.fileExists(atPath: url.path) {
                switch readText(url) {
                case .success(let text):
                    let (read, found) = ProjectConfig.read(path: "matview.yaml", text: text)
                    config = read
                    diagnostics += found
                case .failure(let error):
                    diagnostics.append(.error(.config, at: SourceLocation(file: "matview.yaml", line: 1, column: 1), error.description))
                }
            }
        }

        let specsDirectory = rootURL.appendingPathComponent(config.specs)
        var isDirectory: ObjCBool = false
        var specFiles: [String] = []
        if fileManager.fileExists(atPath: specsDirectory.path, isDirectory: &isDirectory), isDirectory.boolValue {
            specFiles = files(under: config.specs, root: rootURL, extensions: ["yaml", "yml"])
        } else {
            diagnostics.append(.error(.config, at: SourceLocation(file: configPath ?? "matview.yaml", line: 1, column: 1),
                                      "the specs folder '\(config.specs)' does not exist",
                                      hint: "run matview from the project root, or set `specs:` in matview.yaml"))
        }
        var schemaFiles: [String] = []
        for entry in config.schema ?? [config.specs] {
            let url = rootURL.appendingPathComponent(entry)
            var dir: ObjCBool = false
            if fileManager.fileExists(atPath: url.path, isDirectory: &dir) {
                schemaFiles += dir.boolValue ? files(under: entry, root: rootURL, extensions: ["sql"]) : [entry]
            } else {
                diagnostics.append(.error(.config, at: SourceLocation(file: configPath ?? "matview.yaml", line: 1, column: 1), "schema path '\(entry)' does not exist"))
            }
        }
        return Project(root: rootURL, config: config, specFiles: specFiles, schemaFiles: Array(Set(schemaFiles)).sorted(), diagnostics: diagnostics)
    }

    /// Files below `folder` with one of `extensions`, as root-relative paths, sorted.
    static func files(under folder: String, root: URL, extensions: Set<String>) -> [String] {
        let base = root.appendingPathComponent(folder)
        guard let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        var result: [String] = []
        let basePath = base.standardizedFileURL.path
        for case let url as URL in enumerator where extensions.contains(url.pathExtension.lowercased()) {
            let path = url.standardizedFileURL.path
            let relative = path.hasPrefix(basePath) ? String(path.dropFirst(basePath.count)).trimmingCharacters(in: CharacterSet(charactersIn: "/")) : url.lastPathComponent
            result.append(folder == "." ? relative : "\(folder)/\(relative)")
        }
        return result.sorted()
    }

    static func readText(_ url: URL) -> Result<String, FileError> {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            return .failure(FileError("cannot read \(url.path)"))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(FileError("\(url.lastPathComponent) is not UTF-8 text"))
        }
        return .success(text)
    }

    public func read(_ relativePath: String) -> Result<String, FileError> {
        Self.readText(root.appendingPathComponent(relativePath))
    }
}

public struct FileError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

import Foundation
import MatviewLowering
import MatviewSQL
import MatviewSwift

/// `matview generate`: the back ends' files for a compiled project, per output folder.
public struct Generation {
    public struct Output {
        public var folder: OutputFolder
        public var files: [GeneratedFileContents]
    }

    public let outputs: [Output]

    public init(project: Project, compiled: Compiler.Output) {
        let lowered = LoweredProject(compiled.project, supportSchema: project.config.supportSchema,
                                     monitoringRole: project.config.monitoringRole)
        let sql = SQLGenerator(lowered, specPaths: project.specFiles)
        let sqlFolder = OutputFolder(root: project.root.appendingPathComponent(project.config.sqlOutput), displayPath: project.config.sqlOutput)
        let swift = Generation.swiftGenerator(project: project, lowered: lowered)
        let swiftFolder = OutputFolder(root: project.root.appendingPathComponent(project.config.swiftOutput), displayPath: project.config.swiftOutput)
        outputs = [
            Output(folder: sqlFolder, files: sql.files().map { GeneratedFileContents(path: $0.path, contents: $0.contents) }),
            Output(folder: swiftFolder, files: swift.files().map { GeneratedFileContents(path: $0.path, contents: $0.contents) }),
        ]
    }

    static func swiftGenerator(project: Project, lowered: LoweredProject) -> SwiftGenerator {
        SwiftGenerator(lowered, access: project.config.swiftAccess, imports: project.config.swiftModuleImports)
    }

    /// Every view's Swift in one file, for the build-tool plugin.
    public static func singleSwiftFile(project: Project, compiled: Compiler.Output) -> String {
        let lowered = LoweredProject(compiled.project, supportSchema: project.config.supportSchema)
        return swiftGenerator(project: project, lowered: lowered).singleFile()
    }

    /// The diff of every output folder against what would be generated; empty when current.
    public func diff() throws -> String {
        try outputs.map { try $0.folder.diff(against: $0.files) }.joined()
    }

    /// Writes every output folder; returns the changed paths, relative to the project root.
    public func write() throws -> [String] {
        var changed: [String] = []
        for output in outputs {
            changed += try output.folder.write(output.files).map { "\(output.folder.displayPath)/\($0)" }
        }
        return changed
    }
}

import ArgumentParser
import MatviewCommandLine
import MatviewDriver
import MatviewLive
import MatviewLowering
import MatviewSQL

/// The checked project and its generated SQL, for the commands that talk to a database.
/// Diagnostics are printed; errors stop the command.
struct CompiledProject {
    let project: Project
    let output: Compiler.Output
    let sql: SQLGenerator

    init(_ options: ProjectOptions) throws {
        (project, output) = try options.compiledWithoutErrors()
        sql = SQLGenerator(LoweredProject(output.project, supportSchema: project.config.supportSchema,
                                          monitoringRole: project.config.monitoringRole),
                           specPaths: project.specFiles)
    }

    var deployment: Deployment {
        let files = Dictionary(sql.files().map { ($0.path, $0.contents) }, uniquingKeysWith: { a, _ in a })
        return Deployment(definitions: sql.definitions, supportSchema: project.config.supportSchema,
                          upSQL: files["up.sql"] ?? "", downSQL: files["down.sql"] ?? "")
    }
}

import ArgumentParser
import MatviewCommandLine
import MatviewDriver

@main
struct Matview: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matview",
        abstract: "A schema-as-code compiler for PostgreSQL materialized views.",
        version: MatviewVersion.current,
        subcommands: [CheckCommand.self, GenerateCommand.self, GenerateSwiftCommand.self, ExplainCommand.self, SchemaCommand.self, ApplyCommand.self, RollbackCommand.self,
                      VerifyCommand.self, BenchCommand.self, StatusCommand.self, IntrospectCommand.self, WorkerCommand.self, ServeCommand.self, InitCommand.self, GraphCommand.self, DevCommand.self]
    )
}

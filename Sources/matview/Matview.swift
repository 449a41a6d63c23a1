import ArgumentParser
import MatviewCommandLine

@main
struct Matview: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matview",
        abstract: "A schema-as-code compiler for PostgreSQL materialized views.",
        subcommands: [CheckCommand.self, GenerateCommand.self, GenerateSwiftCommand.self, ExplainCommand.self, ApplyCommand.self, RollbackCommand.self,
                      VerifyCommand.self, BenchCommand.self, StatusCommand.self, IntrospectCommand.self, WorkerCommand.self]
    )
}

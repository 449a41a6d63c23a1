import ArgumentParser

@main
struct Matview: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matview",
        abstract: "A schema-as-code compiler for PostgreSQL materialized views.",
        subcommands: [CheckCommand.self, GenerateCommand.self, GenerateSwiftCommand.self]
    )
}

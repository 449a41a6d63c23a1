import ArgumentParser
import MatviewCommandLine
import MatviewDriver

/// The generator alone: `check`, `generate`, `generate-swift` and `schema`, without the live database
/// commands. The SwiftPM plugins run this executable, so a package that adds them compiles the
/// compiler's front and back ends for its build tool, not postgres-nio, SwiftNIO and BoringSSL.
@main
struct MatviewCodegen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matview-codegen",
        abstract: "matview's code generator (the commands the SwiftPM plugins run); `matview` has these and the live commands.",
        version: MatviewVersion.current,
        subcommands: [CheckCommand.self, GenerateCommand.self, GenerateSwiftCommand.self, SchemaCommand.self]
    )
}

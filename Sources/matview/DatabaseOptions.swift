import ArgumentParser
import Foundation
import MatviewCommandLine
import MatviewLive

/// `--database-url`, falling back to DATABASE_URL.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "postgres://user:password@host:port/database (default: $DATABASE_URL).")
    var databaseURL: String?

    func url() throws -> String {
        if let databaseURL, !databaseURL.isEmpty { return databaseURL }
        if let fromEnvironment = ProcessInfo.processInfo.environment["DATABASE_URL"], !fromEnvironment.isEmpty { return fromEnvironment }
        printError("matview: no database: pass --database-url or set DATABASE_URL\n")
        throw ExitCode(2)
    }

    /// Opens the connection, runs `body`, closes; a failure prints one line and exits 1.
    func withConnection<T>(_ body: (LiveConnection) async throws -> T) async throws -> T {
        let connection: LiveConnection
        do {
            connection = try await LiveConnection.open(try url())
        } catch let failure as LiveConnection.Failure {
            printError("matview: \(failure.description)\n")
            throw ExitCode(1)
        }
        do {
            let result = try await body(connection)
            await connection.close()
            return result
        } catch let failure as LiveConnection.Failure {
            await connection.close()
            printError("matview: \(failure.description)\n")
            throw ExitCode(1)
        } catch {
            await connection.close()
            throw error
        }
    }
}

import Foundation
import XCTest

/// The throwaway PostgreSQL 15 server that scripts/test.sh starts (DATABASE_URL), driven through
/// psql as a user would apply the generated files. Tests skip when there is no server, except
/// under CI, where a missing server is a failure.
public struct PostgresServer {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String

        public init(description: String) {
            self.description = description
        }
    }

    public let url: String

    public init(url: String) {
        self.url = url
    }

    public static func fromEnvironment() throws -> PostgresServer {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["DATABASE_URL"], !url.isEmpty else {
            if environment["CI"] == "true" {
                XCTFail("DATABASE_URL is not set: run the tests through scripts/test.sh")
            }
            throw XCTSkip("DATABASE_URL is not set; scripts/test.sh starts a server and sets it")
        }
        return PostgresServer(url: url)
    }

    /// The same server, another database.
    public func database(_ name: String) -> PostgresServer {
        guard let slash = url.lastIndex(of: "/") else { return self }
        return PostgresServer(url: String(url[..<slash]) + "/" + name)
    }

    public struct Result {
        public var stdout: String
        public var stderr: String
    }

    /// Runs psql with ON_ERROR_STOP; throws with psql's own message when a statement fails.
    @discardableResult
    public func run(_ arguments: [String]) throws -> Result {
        let output = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"),
                                          ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", url] + arguments)
        let stdout = output.stdout, stderr = output.stderr
        guard output.status == 0 else {
            throw Failure(description: "psql \(arguments.prefix(2).joined(separator: " ")) failed (\(output.status)):\n\(stderr)")
        }
        return Result(stdout: stdout, stderr: stderr)
    }

    @discardableResult
    public func execute(_ sql: String) throws -> Result { try run(["-c", sql]) }

    /// The rows of a query, one string per row (columns joined by '|').
    public func rows(_ sql: String) throws -> [String] {
        try execute(sql).stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    public func value(_ sql: String) throws -> String { try rows(sql).first ?? "" }

    /// The whole output of a one-value query, newlines included.
    public func text(_ sql: String) throws -> String {
        var out = try execute(sql).stdout
        if out.hasSuffix("\n") { out.removeLast() }
        return out
    }

    @discardableResult
    public func apply(file: URL) throws -> Result { try run(["-f", file.path]) }
}

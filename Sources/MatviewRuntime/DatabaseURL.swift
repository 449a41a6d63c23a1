import Foundation
import PostgresNIO

/// A libpq-style connection URL, `postgres://user:password@host:port/database`, turned into a
/// postgres-nio configuration. `?host=/path/to/socket/dir` selects a Unix socket, and
/// `?sslmode=disable|prefer|require` TLS (default: prefer on TCP).
public struct DatabaseURL: Sendable, CustomStringConvertible {
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String?
    public var socketDirectory: String?
    public var sslMode: String

    public init(_ text: String) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme else {
            throw Invalid(description: "not a database URL: expected postgres://user:password@host:port/database")
        }
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw Invalid(description: "unsupported URL scheme '\(scheme)': use postgres://user:password@host:port/database")
        }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, b in b })
        socketDirectory = query["host"].flatMap { $0.hasPrefix("/") ? $0 : nil }
        host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? query["host"] ?? "localhost"
        if let port = components.port {
            guard (1...65_535).contains(port) else { throw Invalid(description: "port \(port) is out of range") }
            self.port = port
        } else {
            self.port = query["port"].flatMap(Int.init) ?? 5432
        }
        // The percent-encoded parts, decoded exactly once: URLComponents' `user`, `password` and
        // `path` are already decoded, and decoding them again turned a password containing `%`
        // into no password at all (and `%2541` into `A`).
        func decoded(_ text: String?, _ part: String) throws -> String? {
            guard let text else { return nil }
            guard let value = text.removingPercentEncoding else {
                throw Invalid(description: "the \(part) in the database URL has a malformed %-escape")
            }
            return value
        }
        guard let user = try decoded(components.percentEncodedUser, "user name") ?? query["user"] ?? ProcessInfo.processInfo.environment["USER"] else {
            throw Invalid(description: "no user name in the database URL")
        }
        username = user
        password = try decoded(components.percentEncodedPassword, "password") ?? query["password"]
        let path = components.percentEncodedPath.hasPrefix("/") ? String(components.percentEncodedPath.dropFirst()) : components.percentEncodedPath
        database = path.isEmpty ? nil : try decoded(path, "database name")
        sslMode = query["sslmode"] ?? "prefer"
        guard ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"].contains(sslMode) else {
            throw Invalid(description: "unknown sslmode '\(sslMode)'")
        }
    }

    /// The URL without its password, for messages.
    public var description: String {
        let target = socketDirectory.map { "socket \($0)" } ?? "\(host):\(port)"
        return "postgres://\(username)@\(target)/\(database ?? "")"
    }

    public func clientConfiguration() throws -> PostgresClient.Configuration {
        if let socketDirectory {
            return PostgresClient.Configuration(unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: username, password: password, database: database)
        }
        let tls: PostgresClient.Configuration.TLS
        switch tlsPolicy {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(.clientDefault)
        case .require: tls = .require(.clientDefault)
        }
        return PostgresClient.Configuration(host: host, port: port, username: username, password: password, database: database, tls: tls)
    }

    public enum TLSPolicy: Sendable {
        case disable, prefer, require
    }

    /// What `sslmode` asks of the connection, as libpq reads it (`allow` tries plain text first,
    /// which postgres-nio cannot, so it is treated as `disable`; verify-* as `require`).
    public var tlsPolicy: TLSPolicy {
        switch sslMode {
        case "disable", "allow": .disable
        case "prefer": .prefer
        default: .require
        }
    }
}

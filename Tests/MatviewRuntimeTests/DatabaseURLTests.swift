import MatviewRuntime
import XCTest

/// Connection URLs as libpq reads them; no database is needed.
final class DatabaseURLTests: XCTestCase {
    func testAllParts() throws {
        let url = try DatabaseURL("postgres://alice:secret@db.example.com:6543/app")
        XCTAssertEqual(url.username, "alice")
        XCTAssertEqual(url.password, "secret")
        XCTAssertEqual(url.host, "db.example.com")
        XCTAssertEqual(url.port, 6543)
        XCTAssertEqual(url.database, "app")
        XCTAssertNil(url.socketDirectory)
        XCTAssertEqual(url.sslMode, "prefer")
    }

    func testDefaultsAndTheLongScheme() throws {
        let url = try DatabaseURL("postgresql://alice@db.example.com")
        XCTAssertEqual(url.port, 5432)
        XCTAssertNil(url.password)
        XCTAssertNil(url.database)
    }

    func testPercentEncodedUserPasswordAndDatabase() throws {
        let url = try DatabaseURL("postgres://al%40ice:p%40ss%3Aw%2Frd%25@localhost/my%20db")
        XCTAssertEqual(url.username, "al@ice")
        XCTAssertEqual(url.password, "p@ss:w/rd%")
        XCTAssertEqual(url.database, "my db")
        // Decoded once: an encoded '%' followed by "41" stays "%41".
        XCTAssertEqual(try DatabaseURL("postgres://u:a%2541@h/d%2541").password, "a%41")
        XCTAssertEqual(try DatabaseURL("postgres://u:a%2541@h/d%2541").database, "d%41")
    }

    func testDescriptionHidesThePassword() throws {
        let url = try DatabaseURL("postgres://alice:secret@db.example.com:6543/app")
        XCTAssertEqual(url.description, "postgres://alice@db.example.com:6543/app")
        XCTAssertFalse(url.description.contains("secret"))
    }

    func testSSLModes() throws {
        func policy(_ mode: String) throws -> DatabaseURL.TLSPolicy {
            try DatabaseURL("postgres://u@h/db?sslmode=\(mode)").tlsPolicy
        }
        XCTAssertEqual(try DatabaseURL("postgres://u@h/db").tlsPolicy, .prefer)
        XCTAssertEqual(try policy("disable"), .disable)
        XCTAssertEqual(try policy("allow"), .disable)
        XCTAssertEqual(try policy("prefer"), .prefer)
        XCTAssertEqual(try policy("require"), .require)
        XCTAssertEqual(try policy("verify-ca"), .require)
        XCTAssertEqual(try policy("verify-full"), .require)
        XCTAssertThrowsError(try DatabaseURL("postgres://u@h/db?sslmode=sometimes")) { error in
            XCTAssertTrue("\(error)".contains("sometimes"), "\(error)")
        }
    }

    func testHostParameterSelectsAUnixSocket() throws {
        let url = try DatabaseURL("postgres://alice@/app?host=/var/run/postgresql&port=5433")
        XCTAssertEqual(url.socketDirectory, "/var/run/postgresql")
        XCTAssertEqual(url.port, 5433)
        let configuration = try url.clientConfiguration()
        XCTAssertEqual(configuration.unixSocketPath, "/var/run/postgresql/.s.PGSQL.5433")
        XCTAssertEqual(configuration.username, "alice")
        XCTAssertEqual(configuration.database, "app")
        XCTAssertEqual(url.description, "postgres://alice@socket /var/run/postgresql/app")
    }

    func testHostParameterWithoutASlashIsAHostName() throws {
        let url = try DatabaseURL("postgres://alice@/app?host=db.internal")
        XCTAssertNil(url.socketDirectory)
        XCTAssertEqual(url.host, "db.internal")
    }

    func testTCPConfiguration() throws {
        let configuration = try DatabaseURL("postgres://alice:secret@db.example.com:6543/app?sslmode=disable").clientConfiguration()
        XCTAssertEqual(configuration.host, "db.example.com")
        XCTAssertEqual(configuration.port, 6543)
        XCTAssertEqual(configuration.password, "secret")
        XCTAssertNil(configuration.unixSocketPath)
    }

    func testMalformedURLsAreErrors() {
        for text in ["", "not a url", "mysql://u@h/db", "http://u@h/db", "postgres://u@h:0/db", "postgres://u@h:99999/db", "postgres://u@h:port/db"] {
            XCTAssertThrowsError(try DatabaseURL(text), "'\(text)' was accepted") { error in
                XCTAssertTrue(error is DatabaseURL.Invalid, "'\(text)': \(error)")
            }
        }
    }
}

@testable import MatviewServer
import XCTest

final class ListenAddressTests: XCTestCase {
    func testForms() throws {
        XCTAssertEqual(try ListenAddress(parsing: "127.0.0.1:8080"), ListenAddress(host: "127.0.0.1", port: 8080))
        XCTAssertEqual(try ListenAddress(parsing: "0.0.0.0:80"), ListenAddress(host: "0.0.0.0", port: 80))
        XCTAssertEqual(try ListenAddress(parsing: "[::1]:9000"), ListenAddress(host: "::1", port: 9000))
        XCTAssertEqual(try ListenAddress(parsing: "9000"), ListenAddress(host: "127.0.0.1", port: 9000), "a bare port listens on loopback")
        XCTAssertEqual(try ListenAddress(parsing: "localhost:0").port, 0)
        XCTAssertEqual(ListenAddress.default.description, "127.0.0.1:8080")
        XCTAssertEqual(ListenAddress(host: "::1", port: 1).description, "[::1]:1")
    }

    func testBadAddresses() {
        for bad in ["127.0.0.1:65536", "::1:80", ":8080", "host:", "host:http", "[::1]", "[::1]8080", "a b:1", "-1"] {
            XCTAssertThrowsError(try ListenAddress(parsing: bad), bad)
        }
    }
}

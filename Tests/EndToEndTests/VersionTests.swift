import MatviewDriver
import MatviewTestSupport
import XCTest

/// Both executables print the one version constant (CommandCases/version pins `matview`'s
/// output byte for byte).
final class VersionTests: XCTestCase {
    func testBothExecutablesPrintMatviewVersionCurrent() throws {
        for executable in ["matview", "matview-codegen"] {
            let result = try MatviewCLI.run(["--version"], in: CommandLineTests.repositoryRoot, executable: executable)
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(result.stdout, MatviewVersion.current + "\n", executable)
        }
    }
}

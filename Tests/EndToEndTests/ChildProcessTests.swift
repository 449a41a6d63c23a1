import Foundation
import MatviewTestSupport
import XCTest

/// The helper every test uses to run `matview` and psql.
final class ChildProcessTests: XCTestCase {
    /// A child that writes far more than a pipe holds to standard error before it writes to
    /// standard output: reading standard output to its end first would wait forever.
    func testLargeStandardErrorBeforeStandardOutputDoesNotDeadlock() throws {
        let script = "head -c 2000000 /dev/zero | tr '\\0' e >&2; echo ok"
        let output = try withDeadline { try ChildProcess.run(URL(fileURLWithPath: "/bin/sh"), ["-c", script]) }
        XCTAssertEqual(output.status, 0)
        XCTAssertEqual(output.stdout, "ok\n")
        XCTAssertEqual(output.stderr.utf8.count, 2_000_000)
        XCTAssertTrue(output.stderr.allSatisfy { $0 == "e" })
    }

    func testLargeOutputOnBothStreamsInterleaved() throws {
        let script = "for i in 1 2 3 4; do head -c 300000 /dev/zero | tr '\\0' o; head -c 300000 /dev/zero | tr '\\0' e >&2; done; exit 3"
        let output = try withDeadline { try ChildProcess.run(URL(fileURLWithPath: "/bin/sh"), ["-c", script]) }
        XCTAssertEqual(output.status, 3)
        XCTAssertEqual(output.stdout.utf8.count, 1_200_000)
        XCTAssertEqual(output.stderr.utf8.count, 1_200_000)
    }

    struct Deadlocked: Error {}

    /// Runs `body` on another thread and gives up after 60 seconds, so a deadlock fails the test
    /// instead of hanging the suite (the stuck child is left behind).
    func withDeadline(_ body: @escaping @Sendable () throws -> ChildProcess.Output) throws -> ChildProcess.Output {
        final class Box: @unchecked Sendable { var result: Result<ChildProcess.Output, Error>? }
        let box = Box(), done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            box.result = Result { try body() }
            done.signal()
        }
        guard done.wait(timeout: .now() + 60) == .success, let result = box.result else {
            XCTFail("the child process helper deadlocked")
            throw Deadlocked()
        }
        return try result.get()
    }

    func testDirectoryAndEnvironment() throws {
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).resolvingSymlinksInPath()
        let output = try ChildProcess.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "pwd; echo \"$MATVIEW_TEST_VALUE\""],
                                          in: directory, environment: ["MATVIEW_TEST_VALUE": "set"])
        XCTAssertEqual(output.stdout, "\(directory.path)\nset\n")
    }
}

import Foundation
import XCTest

/// The programs tests drive besides PostgreSQL (chromium, check-jsonschema, a Python with
/// prometheus_client), found where scripts/install-test-tools.sh puts them, and the one rule for
/// a missing one: a skip on a developer's machine, a failure under CI (`CI=true`), where
/// scripts/test.sh has installed everything.
public enum TestTools {
    public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The virtual environment scripts/install-test-tools.sh fills from PyPI.
    public static let virtualEnvironment = repositoryRoot.appendingPathComponent(".build/test-tools/python")

    /// `name` from the virtual environment's bin/, else the first on PATH, that `accepts` says is
    /// usable (e.g. a python3 that can import a module).
    public static func locate(_ name: String, accepting accepts: (URL) -> Bool = { _ in true }) -> URL? {
        var candidates = [virtualEnvironment.appendingPathComponent("bin").appendingPathComponent(name)]
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            candidates.append(URL(fileURLWithPath: String(directory)).appendingPathComponent(name))
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) && accepts($0) }
    }

    /// What a test throws when `what` is missing; under CI it also records a failure.
    public static func missing(_ what: String, installedBy script: String = "scripts/install-test-tools.sh") -> Error {
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            XCTFail("\(what): run the tests through scripts/test.sh (\(script) installs it)")
        }
        return XCTSkip("\(what); \(script) installs it")
    }
}

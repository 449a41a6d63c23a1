import Foundation
import XCTest

/// Headless Chromium (Debian's `chromium`, installed by scripts/install-test-tools.sh) for the
/// dashboard tests: the DOM a page has once its scripts ran, and screenshots kept as test
/// artifacts. Tests skip when Chromium is missing, except under CI, where that is a failure.
public enum Chromium {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// How long one page may take, scripts and all, before Chromium is stopped.
    public static let timeoutSeconds = 60
    /// Virtual time the page's timers and scripts get before the DOM is read or the picture taken:
    /// virtual, so it costs nothing when the page is idle sooner.
    public static let virtualTimeBudgetMilliseconds = 3000

    /// The page's DOM, serialized, after its scripts ran.
    public static func dumpDOM(url: String) throws -> String {
        try run(["--dump-dom", url], what: "render \(url)")
    }

    /// A PNG of the page at `width` x `height` CSS pixels, written to `file`.
    public static func screenshot(url: String, to file: URL, width: Int = 1280, height: Int = 900) throws {
        try? FileManager.default.removeItem(at: file)
        try run(["--screenshot=\(file.path)", "--window-size=\(width),\(height)", "--hide-scrollbars", url],
                what: "take a screenshot of \(url)")
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw Failure(description: "chromium exited 0 but wrote no screenshot to \(file.path)")
        }
    }

    /// `.build/test-artifacts/` in the repository (ignored by git, like all of .build/), created if
    /// missing: screenshots and other files a test leaves for people to look at.
    public static func artifactsDirectory() -> URL {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let directory = root.appendingPathComponent(".build/test-artifacts", isDirectory: true)
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// The chromium executable on PATH; a skip (a failure under CI) when there is none.
    public static func executable() throws -> URL {
        guard let chromium = TestTools.locate("chromium") else {
            throw TestTools.missing("chromium is not installed (Debian's package)")
        }
        return chromium
    }

    /// Runs headless Chromium with a profile of its own (removed afterwards), under coreutils'
    /// `timeout`, since a page that never finishes loading would otherwise hang the test run.
    @discardableResult
    private static func run(_ arguments: [String], what: String) throws -> String {
        let chromium = try executable()
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("matview-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: profile) }
        let flags = [
            "--headless=new", "--disable-gpu",
            // Tests run as root, where Chromium's sandbox cannot start.
            "--no-sandbox",
            // Containers often have a tiny /dev/shm, which crashes the renderer.
            "--disable-dev-shm-usage",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--user-data-dir=\(profile.path)",
            "--virtual-time-budget=\(virtualTimeBudgetMilliseconds)",
        ]
        let output = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"),
                                          ["timeout", "--kill-after=5", "\(timeoutSeconds)", chromium.path] + flags + arguments)
        if output.status == 124 || output.status == 137 {
            throw Failure(description: "chromium did not \(what) within \(timeoutSeconds) s; its stderr:\n\(output.stderr)")
        }
        guard output.status == 0 else {
            throw Failure(description: "chromium failed to \(what) (exit \(output.status)); its stderr:\n\(output.stderr)")
        }
        return output.stdout
    }
}

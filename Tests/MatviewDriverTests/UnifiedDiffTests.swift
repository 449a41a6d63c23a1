import Foundation
@testable import MatviewDriver
import XCTest

/// `generate --check`'s diff: the hunks `diff -u` would print (3 lines of context, hunks merged
/// when their contexts touch, removals before additions), and fast on large files.
final class UnifiedDiffTests: XCTestCase {
    func diff(_ old: String, _ new: String) -> String {
        UnifiedDiff.diff(old: old, new: new, oldPath: "a/f", newPath: "b/f")
    }

    /// "1\n2\n...\nn\n"
    func numbered(_ range: ClosedRange<Int>) -> String {
        range.map { "\($0)\n" }.joined()
    }

    func testIdenticalTextsGiveNoDiff() {
        XCTAssertEqual(diff("", ""), "")
        XCTAssertEqual(diff("a\nb\n", "a\nb\n"), "")
        XCTAssertEqual(diff("a\nb", "a\nb"), "")
    }

    func testCreatedAndDeletedFiles() {
        XCTAssertEqual(diff("", "a\nb\n"), "--- a/f\n+++ b/f\n@@ -0,0 +1,2 @@\n+a\n+b\n")
        XCTAssertEqual(diff("a\nb\n", ""), "--- a/f\n+++ b/f\n@@ -1,2 +0,0 @@\n-a\n-b\n")
    }

    func testInsertionAtTheStart() {
        XCTAssertEqual(diff(numbered(1...6), "0\n" + numbered(1...6)), """
        --- a/f
        +++ b/f
        @@ -1,3 +1,4 @@
        +0
         1
         2
         3

        """)
    }

    func testInsertionAtTheEnd() {
        XCTAssertEqual(diff(numbered(1...6), numbered(1...7)), """
        --- a/f
        +++ b/f
        @@ -4,3 +4,4 @@
         4
         5
         6
        +7

        """)
    }

    func testDeletionInTheMiddle() {
        XCTAssertEqual(diff(numbered(1...9), numbered(1...4) + numbered(6...9)), """
        --- a/f
        +++ b/f
        @@ -2,7 +2,6 @@
         2
         3
         4
        -5
         6
         7
         8

        """)
    }

    func testReplacementListsRemovalsBeforeAdditions() {
        XCTAssertEqual(diff("a\nb\nc\nd\n", "a\nX\nY\nd\n"), """
        --- a/f
        +++ b/f
        @@ -1,4 +1,4 @@
         a
        -b
        -c
        +X
        +Y
         d

        """)
    }

    func testDistantChangesGetSeparateHunks() {
        // Lines 2 and 12 change: 9 shared lines between them, more than 2·3, so two hunks.
        let new = numbered(1...20).replacingOccurrences(of: "\n2\n", with: "\ntwo\n").replacingOccurrences(of: "\n12\n", with: "\ntwelve\n")
        XCTAssertEqual(diff(numbered(1...20), new), """
        --- a/f
        +++ b/f
        @@ -1,5 +1,5 @@
         1
        -2
        +two
         3
         4
         5
        @@ -9,7 +9,7 @@
         9
         10
         11
        -12
        +twelve
         13
         14
         15

        """)
    }

    func testChangesWhoseContextsTouchShareAHunk() {
        // Lines 3 and 10 change: exactly 6 shared lines between them, so the contexts meet.
        let new = numbered(1...14).replacingOccurrences(of: "\n3\n", with: "\nthree\n").replacingOccurrences(of: "\n10\n", with: "\nten\n")
        XCTAssertEqual(diff(numbered(1...14), new), """
        --- a/f
        +++ b/f
        @@ -1,13 +1,13 @@
         1
         2
        -3
        +three
         4
         5
         6
         7
         8
         9
        -10
        +ten
         11
         12
         13

        """)
    }

    func testMissingNewlineAtTheEndIsAChangeAndIsMarked() {
        XCTAssertEqual(diff("a\nb\n", "a\nb"), """
        --- a/f
        +++ b/f
        @@ -1,2 +1,2 @@
         a
        -b
        +b
        \\ No newline at end of file

        """)
        XCTAssertEqual(diff("a\nb", "a\nc"), """
        --- a/f
        +++ b/f
        @@ -1,2 +1,2 @@
         a
        -b
        \\ No newline at end of file
        +c
        \\ No newline at end of file

        """)
    }

    func testAWholesaleRewriteIsShownReplacedRatherThanSearched() {
        let old = (0..<20_000).map { "old line \($0)\n" }.joined()
        let new = (0..<20_000).map { "new line \($0)\n" }.joined()
        let result = diff(old, new)
        XCTAssertTrue(result.hasPrefix("--- a/f\n+++ b/f\n@@ -1,20000 +1,20000 @@\n-old line 0\n"), String(result.prefix(200)))
        XCTAssertEqual(result.split(separator: "\n").count, 3 + 40_000)
    }

    /// The case that took 29 s and 6 GB with the LCS table: one line changed in a file of
    /// 120,000 (1,000 views' worth of up.sql); a quadratic table here would need 14 billion
    /// cells. How fast it runs is measured by matview-bench, not asserted with a stopwatch here.
    func testOneChangeInALargeFile() {
        let lines = (0..<120_000).map { "    line \($0) of a large generated file" }
        var changed = lines
        changed[60_000] = "    a changed description"
        let result = diff(lines.joined(separator: "\n") + "\n", changed.joined(separator: "\n") + "\n")
        XCTAssertEqual(result, """
            --- a/f
            +++ b/f
            @@ -59998,7 +59998,7 @@
                 line 59997 of a large generated file
                 line 59998 of a large generated file
                 line 59999 of a large generated file
            -    line 60000 of a large generated file
            +    a changed description
                 line 60001 of a large generated file
                 line 60002 of a large generated file
                 line 60003 of a large generated file

            """)
    }

    /// Many scattered changes (every view's hash line, say) stay near-linear too.
    func testManyScatteredChangesInALargeFile() {
        let lines = (0..<60_000).map { "line \($0)" }
        var changed = lines
        for index in stride(from: 0, to: lines.count, by: 100) { changed[index] += " changed" }
        let result = diff(lines.joined(separator: "\n") + "\n", changed.joined(separator: "\n") + "\n")
        XCTAssertEqual(result.split(separator: "\n").filter { $0.hasPrefix("@@ ") }.count, 600)
        XCTAssertEqual(result.split(separator: "\n").filter { $0.hasPrefix("+") && !$0.hasPrefix("+++") }.count, 600)
    }

    /// The output applies with patch(1) and gives the new text, over varied edits.
    func testPatchAppliesTheDiff() throws {
        let patch = URL(fileURLWithPath: "/usr/bin/patch")
        guard FileManager.default.isExecutableFile(atPath: patch.path) else { throw XCTSkip("patch is not installed") }
        var generator = SystemRandomNumberGenerator()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("matview-diff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for round in 0..<40 {
            let old = (0..<Int.random(in: 0...40, using: &generator)).map { _ in String("abcdefg".randomElement(using: &generator)!) }
            var new = old
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                let at = Int.random(in: 0...new.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0 where at < new.count: new.remove(at: at)
                case 1 where at < new.count: new[at] = "changed \(round)"
                default: new.insert("inserted \(round)", at: at)
                }
            }
            let oldText = old.map { $0 + "\n" }.joined(), newText = new.map { $0 + "\n" }.joined()
            let difference = diff(oldText, newText)
            guard oldText != newText else {
                XCTAssertEqual(difference, "")
                continue
            }
            let file = directory.appendingPathComponent("file"), patchFile = directory.appendingPathComponent("file.diff")
            try oldText.write(to: file, atomically: true, encoding: .utf8)
            try difference.write(to: patchFile, atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = patch
            process.arguments = ["-s", "-i", patchFile.path, file.path]
            try process.run()
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0, "patch failed for \(old) -> \(new)")
            XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), newText, "\(old) -> \(new)")
        }
    }
}

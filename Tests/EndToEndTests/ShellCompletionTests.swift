import Foundation
import MatviewTestSupport
import XCTest

/// The completion scripts swift-argument-parser generates, as the README tells users to install
/// them: each shell's script is produced, and bash's, loaded into a real bash, completes the
/// subcommands and `graph --format`'s values.
final class ShellCompletionTests: XCTestCase {
    func script(_ shell: String) throws -> String {
        let result = try MatviewCLI.run(["--generate-completion-script", shell], in: CommandLineTests.repositoryRoot)
        XCTAssertEqual(result.status, 0, result.stderr)
        return result.stdout
    }

    func testEveryShellGetsAScriptThatKnowsTheNewCommands() throws {
        for shell in ["bash", "zsh", "fish"] {
            let text = try script(shell)
            XCTAssertTrue(text.contains("init") && text.contains("graph") && text.contains("mermaid"), "\(shell):\n\(text.prefix(500))")
        }
    }

    /// What bash offers after `matview <words>` with the cursor at the end.
    func bashCompletions(_ words: [String]) throws -> [String] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("matview-completion-\(UUID().uuidString).bash")
        defer { try? FileManager.default.removeItem(at: file) }
        try script("bash").write(to: file, atomically: true, encoding: .utf8)
        let line = (["matview"] + words).joined(separator: " ")
        let quotedWords = (["matview"] + words).map { "'\($0)'" }.joined(separator: " ")
        // As bash calls a completion function: the words, the current word's index, the line and
        // the cursor; then the function's arguments (command, current word, previous word).
        let program = """
            source '\(file.path)'
            COMP_WORDS=(\(quotedWords)); COMP_CWORD=\(words.count); COMP_LINE='\(line)'; COMP_POINT=${#COMP_LINE}
            _matview matview '\(words.last ?? "")' '\(words.dropLast().last ?? "matview")'
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let result = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), ["bash", "-O", "extglob", "-c", program],
                                          in: FileManager.default.temporaryDirectory)
        XCTAssertEqual(result.status, 0, result.stderr)
        return result.stdout.split(separator: "\n").map(String.init)
    }

    func testBashCompletesSubcommandsAndGraphFormats() throws {
        XCTAssertEqual(try bashCompletions(["gr"]), ["graph"])
        XCTAssertEqual(try bashCompletions(["in"]).sorted(), ["init", "introspect"])
        XCTAssertEqual(try bashCompletions(["graph", "--format", ""]).sorted(), ["dot", "mermaid"])
    }
}

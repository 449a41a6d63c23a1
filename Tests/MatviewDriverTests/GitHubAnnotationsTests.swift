import MatviewDriver
import MatviewSyntax
import XCTest

/// `check --format github`: one workflow command per diagnostic, escaped the way the Actions
/// runner unescapes, so text from specs can neither end the command nor start another.
final class GitHubAnnotationsTests: XCTestCase {
    func at(_ file: String, _ line: Int, _ column: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column)
    }

    func testErrorWithHintIsOneCommandWithTheHintOnASecondLine() {
        let diagnostic = Diagnostic.error(.fanout, at: at("specs/view.yaml", 11, 13), "count(p.id) is multiplied by the join with t",
                                          hint: "aggregate projects in a nested query")
        XCTAssertEqual(GitHubAnnotations.render([diagnostic]),
                       "::error file=specs/view.yaml,line=11,col=13,title=fanout::count(p.id) is multiplied by the join with t%0Ahint: aggregate projects in a nested query\n")
    }

    func testSeverityMapsToErrorWarningAndNotice() {
        let location = at("specs/v.yaml", 1, 2)
        let lines = GitHubAnnotations.render([
            Diagnostic(.error, .typeMismatch, at: location, "e"),
            Diagnostic(.warning, .timeDependent, at: location, "w"),
            Diagnostic(.note, .notIncremental, at: location, "n"),
        ]).split(separator: "\n")
        XCTAssertEqual(lines, [
            "::error file=specs/v.yaml,line=1,col=2,title=type-mismatch::e",
            "::warning file=specs/v.yaml,line=1,col=2,title=time-dependent::w",
            "::notice file=specs/v.yaml,line=1,col=2,title=not-incremental::n",
        ])
    }

    func testMessageEscapesPercentAndLineBreaksButNotColonOrComma() {
        let diagnostic = Diagnostic.error(.yamlSyntax, at: at("specs/v.yaml", 3, 1), "100% wrong:\nsee line 2,\r\nthen %0A")
        // CR LF is one line break, as everywhere in matview's output.
        XCTAssertEqual(GitHubAnnotations.command(for: diagnostic),
                       "::error file=specs/v.yaml,line=3,col=1,title=yaml-syntax::100%25 wrong:%0Asee line 2,%0Athen %250A")
        XCTAssertEqual(GitHubAnnotations.escapedData("a%b\rc\nd:e,f"), "a%25b%0Dc%0Ad:e,f")
    }

    func testPropertiesAlsoEscapeColonAndComma() {
        XCTAssertEqual(GitHubAnnotations.escapedProperty("a%b\rc\nd:e,f"), "a%25b%0Dc%0Ad%3Ae%2Cf")
        let diagnostic = Diagnostic.error(.config, at: at("specs/a:b,c%d.yaml", 2, 4), "m")
        XCTAssertEqual(GitHubAnnotations.command(for: diagnostic),
                       "::error file=specs/a%3Ab%2Cc%25d.yaml,line=2,col=4,title=config::m")
    }

    func testOtherControlCharactersInTheMessageAreWrittenOut() {
        let diagnostic = Diagnostic.error(.invalidName, at: at("specs/v.yaml", 1, 7), "name 'a\u{1B}[2Jb'", hint: "x\ty")
        XCTAssertEqual(GitHubAnnotations.command(for: diagnostic),
                       "::error file=specs/v.yaml,line=1,col=7,title=invalid-name::name 'a\\u{1B}[2Jb'%0Ahint: x\\u{9}y")
    }

    func testDiagnosticWithoutAFileStillPrintsWithoutLocation() {
        let diagnostic = Diagnostic.error(.config, at: at("", 0, 0), "cannot read the project", hint: "run from the project root")
        XCTAssertEqual(GitHubAnnotations.command(for: diagnostic),
                       "::error title=config::cannot read the project%0Ahint: run from the project root")
    }

    func testUnknownLineOrColumnIsLeftOut() {
        XCTAssertEqual(GitHubAnnotations.command(for: .error(.config, at: at("matview.yaml", 0, 0), "m")),
                       "::error file=matview.yaml,title=config::m")
        XCTAssertEqual(GitHubAnnotations.command(for: .error(.config, at: at("matview.yaml", 4, 0), "m")),
                       "::error file=matview.yaml,line=4,title=config::m")
    }

    func testNoDiagnosticsPrintNothing() {
        XCTAssertEqual(GitHubAnnotations.render([]), "")
    }
}

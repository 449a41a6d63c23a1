import MatviewQuoting
import MatviewSyntax

/// The one way user text (names, file paths, descriptions) gets into a Swift comment. Only line
/// comments are written (`//` and `///`), which end at a line break and nothing else (a `*/` in
/// them is inert), so each line of the text becomes its own comment line, indented and prefixed,
/// and other control characters are written escaped. A multi-line description gives several
/// `///` lines; no text can end the comment and become code.
enum SwiftComment {
    /// The comment lines for `text`, each `indent + marker + " " + line` (no trailing space on an
    /// empty line).
    static func lines(_ text: String, marker: String = "///", indent: String = "") -> [String] {
        ControlCharacters.lines(text, droppingTrailingEmptyLines: true).map { $0.isEmpty ? indent + marker : "\(indent)\(marker) \($0)" }
    }

    /// Text for inside a Markdown code span in a doc comment (`` `name` ``): one line, and a
    /// backtick in the name does not end the span early (it would only garble the rendering).
    static func codeSpan(_ text: String) -> String {
        let oneLine = ControlCharacters.escaped(text)
        return ScalarText.contains("`", in: oneLine) ? "`` \(oneLine) ``" : "`\(oneLine)`"
    }
}

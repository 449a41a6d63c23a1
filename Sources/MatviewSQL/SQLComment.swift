import MatviewSyntax

/// The one way user text (names, file paths, descriptions) gets into an SQL comment. Only line
/// comments (`-- ...`) are written: PostgreSQL and psql end them at a line break and at nothing
/// else (`/*`, `*/`, quotes and `$$` inside are inert), so each line of the text becomes its own
/// `-- ` line and any other control character is written escaped. A description with newlines
/// gives several comment lines; no text can end the comment and start a statement.
public enum SQLComment {
    /// `-- text`, one comment line per line of `text`, joined with newlines.
    public static func lines(_ text: String) -> String {
        ControlCharacters.lines(text, droppingTrailingEmptyLines: true).map { $0.isEmpty ? "--" : "-- " + $0 }.joined(separator: "\n")
    }
}

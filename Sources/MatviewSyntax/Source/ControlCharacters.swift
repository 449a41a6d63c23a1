/// Control characters in user text: the characters that end a line comment in SQL or Swift, end
/// a diagnostic line, or hide in a name. Names may not contain them (rule `invalid-name`);
/// descriptions may, and every writer that puts user text where they matter (comments, file
/// names, diagnostics) goes through the functions here, never through `split("\n")`.
public enum ControlCharacters {
    /// C0 and C1 controls (U+0000–U+001F, U+007F–U+009F, which include CR, LF, VT, FF and NEL)
    /// and the Unicode line and paragraph separators U+2028 and U+2029.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029: true
        default: false
        }
    }

    /// Characters that some reader (PostgreSQL, Swift, an editor, Unicode) takes as a line end.
    public static func isLineBreak(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029: true
        default: false
        }
    }

    /// The first control character in `text`, if any.
    public static func first(in text: String) -> Unicode.Scalar? {
        text.unicodeScalars.first(where: isControl)
    }

    /// `U+000A`, the way diagnostics name a character.
    public static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// The text with every control character written as `\u{A}`, so that it prints on one line
    /// and shows what is there (for diagnostics and single-line comments).
    public static func escaped(_ text: String) -> String {
        guard first(in: text) != nil else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// The text cut into lines at every line break (CR LF counts once), each line with its other
    /// control characters escaped: safe to prefix with a comment marker line by line. A YAML
    /// block scalar ends with a line break; `droppingTrailingEmptyLines` leaves out what follows.
    public static func lines(_ text: String, droppingTrailingEmptyLines: Bool = false) -> [String] {
        // Nearly all text (every generated comment line) has no control character: one line, as
        // it is. The loop below rebuilds the text a scalar at a time.
        guard first(in: text) != nil else { return [text] }
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            defer { previous = scalar }
            if scalar == "\n" && previous == "\r" { continue }
            if isLineBreak(scalar) {
                lines.append(escaped(String(current)))
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        lines.append(escaped(String(current)))
        while droppingTrailingEmptyLines && lines.count > 1 && lines.last == "" { lines.removeLast() }
        return lines
    }
}

/// What `matview init` does to `.gitignore`: creates it, or appends the lines it lacks. An
/// existing file is only ever appended to, never rewritten, so nothing the user wrote changes.
public struct GitignoreUpdate: Sendable, Equatable {
    /// The lines to add (empty: the file already has them all).
    public var addedLines: [String]
    /// The text to append to the file (or to write, when there is none).
    public var appendedText: String

    /// `existing` is the file's text, or nil when there is no `.gitignore`.
    public init(existing: String?, lines: [String] = ScaffoldTexts.gitignoreLines, header: String = ScaffoldTexts.gitignoreHeader) {
        // Compared as Git reads them: surrounding blanks do not count (a CR from a Windows
        // editor included).
        let present = Set((existing ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingBlanks })
        addedLines = lines.filter { !present.contains($0) }
        guard !addedLines.isEmpty else {
            appendedText = ""
            return
        }
        var text = ""
        if let existing, !existing.isEmpty {
            if !existing.hasSuffix("\n") { text += "\n" }
            text += "\n"
        }
        text += header + "\n" + addedLines.map { $0 + "\n" }.joined()
        appendedText = text
    }
}

private extension Substring {
    var trimmingBlanks: String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" }).reversed())
    }
}

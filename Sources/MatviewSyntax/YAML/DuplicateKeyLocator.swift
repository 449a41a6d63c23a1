/// Yams refuses a mapping with a repeated key and reports the *first* occurrence. Users need the
/// second one (the line they just added), and a repeated key under `select:` is a duplicate output
/// column, so we look at the text around the reported key to find both.
struct DuplicateKeyLocator {
    let source: SourceText

    func diagnostic(key: String, firstAt first: SourceLocation) -> Diagnostic {
        let indent = first.column - 1
        var repeated = first
        var line = first.line + 1
        while line <= source.lineCount {
            let text = String(source.line(line))
            let leading = text.prefix { $0 == " " }.count
            let trimmed = text.dropFirst(leading)
            if !trimmed.isEmpty && !trimmed.hasPrefix("#") && leading < indent { break }
            if leading == indent && Self.startsWithKey(trimmed, key) {
                repeated = SourceLocation(file: source.path, line: line, column: indent + 1)
                break
            }
            line += 1
        }
        if parentKey(ofLine: first.line, indent: indent) == "select" {
            return .error(.duplicateColumn, at: repeated, "output column '\(key)' is defined twice (first at line \(first.line))",
                          hint: "give each column of `select:` its own name")
        }
        return .error(.duplicateKey, at: repeated, "key '\(key)' appears twice in the same mapping (first at line \(first.line))")
    }

    private static func startsWithKey(_ text: Substring, _ key: String) -> Bool {
        for candidate in [key, "\"\(key)\"", "'\(key)'"] where text.hasPrefix(candidate) {
            let rest = text.dropFirst(candidate.count).drop { $0 == " " }
            if rest.hasPrefix(":") { return true }
        }
        return false
    }

    /// The key of the nearest line above with less indentation.
    private func parentKey(ofLine line: Int, indent: Int) -> String? {
        var l = line - 1
        while l >= 1 {
            let text = String(source.line(l))
            let leading = text.prefix { $0 == " " }.count
            let trimmed = text.dropFirst(leading)
            if !trimmed.isEmpty && !trimmed.hasPrefix("#") && leading < indent {
                var keyPart = trimmed.hasPrefix("- ") ? trimmed.dropFirst(2) : trimmed
                keyPart = keyPart.prefix { $0 != ":" }
                return keyPart.trimmingCharacters(in: " \"'")
            }
            l -= 1
        }
        return nil
    }
}

private extension Substring {
    func trimmingCharacters(in set: String) -> String {
        String(self.drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}

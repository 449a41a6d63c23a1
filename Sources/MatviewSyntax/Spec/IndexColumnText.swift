/// An index column as written in a spec: an output column name exactly as the `select:` key
/// spells it (capitals and spaces included; surrounding double quotes are optional), then
/// optionally ASC or DESC and NULLS FIRST or NULLS LAST.
public enum IndexColumnText {
    public static func parse(_ text: String, locator: any Locator) -> Result<IndexSpec.Column, Parser.SyntaxError> {
        let scalars = Array(text.unicodeScalars)
        // Words from the end, with their offsets, to peel off the ordering options.
        var words: [(word: String, offset: Int)] = []
        var i = scalars.count
        while i > 0 {
            while i > 0 && scalars[i - 1].properties.isWhitespace { i -= 1 }
            let end = i
            while i > 0 && !scalars[i - 1].properties.isWhitespace { i -= 1 }
            if end > i { words.append((String(String.UnicodeScalarView(scalars[i..<end])).lowercased(), i)) }
            if words.count == 3 { break }
        }
        var nameEnd = scalars.count
        var descending = false
        var nullsFirst: Bool?
        var consumed = 0
        if words.count >= 2, words[1].word == "nulls", words[0].word == "first" || words[0].word == "last" {
            nullsFirst = words[0].word == "first"
            nameEnd = words[1].offset
            consumed = 2
        } else if let last = words.first, last.word == "nulls" {
            return .failure(Parser.SyntaxError(message: "expected FIRST or LAST after NULLS", location: locator.location(at: scalars.count)))
        }
        if words.count > consumed, words[consumed].word == "asc" || words[consumed].word == "desc" {
            descending = words[consumed].word == "desc"
            nameEnd = words[consumed].offset
        }
        var start = 0
        while start < nameEnd && scalars[start].properties.isWhitespace { start += 1 }
        var end = nameEnd
        while end > start && scalars[end - 1].properties.isWhitespace { end -= 1 }
        var name = String(String.UnicodeScalarView(scalars[start..<end]))
        if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") {
            name = String(name.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
        }
        guard !name.isEmpty else {
            return .failure(Parser.SyntaxError(message: "expected an output column name", location: locator.location(at: start)))
        }
        return .success(IndexSpec.Column(name: Identifier(name, quoted: true, at: locator.location(at: start)), descending: descending, nullsFirst: nullsFirst))
    }
}

import MatviewQuoting
import MatviewSyntax

/// Swift spellings of SQL names: `dashboard_summary_mv` -> `DashboardSummaryMv` (types) and
/// `user_id` -> `userId` (fields); words split at anything that is not a letter or digit.
/// Names may hold any character PostgreSQL allows (quotes, `$`, `;`, spaces, accents, CJK), so a
/// character is kept only when Swift accepts it in an identifier (`SwiftIdentifierCharacters`);
/// a name with nothing usable, or one that would start with a digit, gets a prefix.
enum SwiftNames {
    static func words(_ name: String) -> [String] {
        var words: [String] = []
        var current = ""
        for character in name {
            if (character.isLetter || character.isNumber) && character.unicodeScalars.allSatisfy(SwiftIdentifierCharacters.isCharacter) {
                current.append(character)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    static func upperCamel(_ name: String) -> String {
        let joined = words(name).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        guard let first = joined.unicodeScalars.first else { return "View" }
        let type = SwiftIdentifierCharacters.isHead(first) ? joined : "View" + joined
        return reservedTypeNames.contains(type) ? type + "View" : type
    }

    static func lowerCamel(_ name: String) -> String {
        let parts = words(name)
        guard let head = parts.first else { return "value" }
        let joined = head.lowercased() + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        guard let first = joined.unicodeScalars.first, SwiftIdentifierCharacters.isHead(first) else { return "_" + joined }
        return reservedMemberNames.contains(joined) ? joined + "Value" : joined
    }

    /// Field names that even backticks do not make usable as stored properties and initializer
    /// parameters: a parameter `self` hides the instance, `self.init` is a call, and so on.
    static let reservedMemberNames: Set<String> = ["self", "init", "deinit", "subscript", "super"]

    /// Type names a view's struct may not take: Swift's own (`Self`, `Type`, `Any`...), and the
    /// types the generated file names, which a struct of the same name would shadow.
    static let reservedTypeNames: Set<String> = [
        "Self", "Type", "Protocol", "Any", "AnyObject",
        "String", "Int64", "Int32", "Int16", "Decimal", "Float", "Double", "Bool", "Date", "UUID", "Optional", "Array",
        "Sendable", "Hashable", "Codable", "CodingKey", "CodingKeys", "MaterializedViewRow", "ViewDescriptor", "ViewReader",
        "MatviewInterval", "PostgresRow", "PostgresDecodable", "Foundation", "MatviewRuntime", "PostgresNIO",
    ]

    /// A field or parameter name, in backticks when it is a Swift keyword.
    static func escaped(_ identifier: String) -> String {
        keywords.contains(identifier) ? "`\(identifier)`" : identifier
    }

    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows", "static",
        "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue", "default", "defer", "do", "else",
        "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch", "where", "while", "as", "false",
        "is", "nil", "self", "Self", "super", "throws", "true", "try", "Type", "Protocol", "any", "some", "await",
    ]

    /// A Swift string literal for any text: plain where that needs no escapes, raw otherwise,
    /// multi-line when the text has newlines. Searches go by scalars (`ScalarText`), as Swift reads
    /// the literal: a backslash before a combining mark is still a backslash.
    static func stringLiteral(_ text: String, indent: String = "") -> String {
        if text.unicodeScalars.contains(where: { ControlCharacters.isControl($0) && $0 != "\n" && $0 != "\t" }) {
            return escapedStringLiteral(text)
        }
        func has(_ part: String) -> Bool { ScalarText.contains(part, in: text) }
        let needsRaw = has("\\") || has("\"")
        var hashes = needsRaw ? "#" : ""
        while needsRaw && (has("\"" + hashes) || has("\\" + hashes)) { hashes += "#" }
        if !has("\n") && !has("\r") {
            return "\(hashes)\"\(text)\"\(hashes)"
        }
        // Split by bytes, not Characters (grapheme breaking here was 5% of generating): with no
        // CR left (that went to the escaped form above), a Character "\n" is exactly a byte "\n".
        let body = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : indent + Substring($0) }.joined(separator: "\n")
        return "\(hashes)\"\"\"\n\(body)\n\(indent)\"\"\"\(hashes)"
    }

    /// A one-line literal with every backslash, quote and control character escaped: for text
    /// that a raw or multi-line literal would change (a CR inside one is read as a line end).
    static func escapedStringLiteral(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case _ where ControlCharacters.isControl(scalar): out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

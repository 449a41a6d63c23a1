/// Swift spellings of SQL names: `dashboard_summary_mv` -> `DashboardSummaryMv` (types) and
/// `user_id` -> `userId` (fields); words split at anything that is not a letter or digit.
enum SwiftNames {
    static func words(_ name: String) -> [String] {
        var words: [String] = []
        var current = ""
        for character in name {
            if character.isLetter || character.isNumber {
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
        guard let first = joined.first else { return "View" }
        return first.isNumber ? "View" + joined : joined
    }

    static func lowerCamel(_ name: String) -> String {
        let parts = words(name)
        guard let head = parts.first else { return "value" }
        let joined = head.lowercased() + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return joined.first?.isNumber == true ? "_" + joined : joined
    }

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
    /// multi-line when the text has newlines.
    static func stringLiteral(_ text: String, indent: String = "") -> String {
        let needsRaw = text.contains("\\") || text.contains("\"")
        var hashes = needsRaw ? "#" : ""
        while needsRaw && (text.contains("\"" + hashes) || text.contains("\\" + hashes)) { hashes += "#" }
        if !text.contains("\n") && !text.contains("\r") {
            return "\(hashes)\"\(text)\"\(hashes)"
        }
        let body = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : indent + $0 }.joined(separator: "\n")
        return "\(hashes)\"\"\"\n\(body)\n\(indent)\"\"\"\(hashes)"
    }
}

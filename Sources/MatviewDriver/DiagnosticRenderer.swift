import Foundation
import MatviewSyntax

/// Prints diagnostics in the form compilers and editors parse (`path:line:col: severity: message
/// [rule]` with an indented hint), or as JSON for tools.
public enum DiagnosticRenderer {
    public static func text(_ diagnostics: [Diagnostic]) -> String {
        var out = ""
        for d in diagnostics {
            // Messages quote names and text from specs: escaped, so each finding stays one line.
            out += "\(ControlCharacters.escaped(d.location.description)): \(d.severity.rawValue): \(ControlCharacters.escaped(d.message)) [\(d.rule.rawValue)]\n"
            if let hint = d.hint, !hint.isEmpty { out += "  hint: \(ControlCharacters.escaped(hint))\n" }
        }
        return out
    }

    struct JSONDiagnostic: Encodable {
        var file: String
        var line: Int
        var column: Int
        var severity: String
        var rule: String
        var message: String
        var hint: String?
    }

    public static func json(_ diagnostics: [Diagnostic]) throws -> String {
        let items = diagnostics.map {
            JSONDiagnostic(file: $0.location.file, line: $0.location.line, column: $0.location.column,
                           severity: $0.severity.rawValue, rule: $0.rule.rawValue, message: $0.message, hint: $0.hint)
        }
        return try JSON.encode(items) + "\n"
    }

    /// One summary line: "2 errors, 1 warning".
    public static func summary(_ diagnostics: [Diagnostic]) -> String {
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.filter { $0.severity == .warning }.count
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        return "\(plural(errors, "error")), \(plural(warnings, "warning"))"
    }
}

/// The stable rule names, for documentation and tests.
public let allRuleNames: [String] = Rule.allCases.map(\.rawValue)

import MatviewSyntax

/// Diagnostics as GitHub Actions workflow commands, one line each, which the runner turns into
/// annotations on the pull request's files:
///
///     ::error file=specs/view.yaml,line=11,col=13,title=fanout::count(p.id) is multiplied ...%0Ahint: aggregate ...
///
/// Severity error is `::error`, warning `::warning`, note `::notice`. The rule name is the title;
/// the message follows, and the hint, if any, on a line of its own after `hint: ` as in the text
/// format (`%0A` is a line break in the annotation). A diagnostic without a file prints without
/// `file`, `line` and `col`, and still shows in the run's summary.
public enum GitHubAnnotations {
    public static func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map { command(for: $0) + "\n" }.joined()
    }

    /// One workflow command.
    public static func command(for diagnostic: Diagnostic) -> String {
        var properties: [(String, String)] = []
        let location = diagnostic.location
        if !location.file.isEmpty {
            properties.append(("file", location.file))
            // Lines and columns are 1-based; 0 means "not known", which GitHub has no word for.
            if location.line >= 1 {
                properties.append(("line", String(location.line)))
                if location.column >= 1 { properties.append(("col", String(location.column))) }
            }
        }
        properties.append(("title", diagnostic.rule.rawValue))
        let list = properties.map { "\($0.0)=\(escapedProperty($0.1))" }.joined(separator: ",")
        return "::\(command(for: diagnostic.severity)) \(list)::\(escapedData(messageText(diagnostic)))"
    }

    static func command(for severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .note: "notice"
        }
    }

    /// The message and the hint, one line each. Line breaks inside them stay line breaks (the
    /// annotation shows them); every other control character is written as `\u{..}`, as in the
    /// text format, so nothing invisible reaches the log.
    static func messageText(_ diagnostic: Diagnostic) -> String {
        var lines = ControlCharacters.lines(diagnostic.message)
        if let hint = diagnostic.hint, !hint.isEmpty {
            let hintLines = ControlCharacters.lines(hint)
            lines.append("hint: " + hintLines[0])
            lines += hintLines.dropFirst()
        }
        return lines.joined(separator: "\n")
    }

    /// The message part, escaped as the runner unescapes it: `%`, CR and LF.
    public static func escapedData(_ text: String) -> String {
        escaped(text, property: false)
    }

    /// A property value: as data, and also `:` and `,`, which would end the value.
    public static func escapedProperty(_ text: String) -> String {
        escaped(text, property: true)
    }

    private static func escaped(_ text: String, property: Bool) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": out += "%25".unicodeScalars
            case "\r": out += "%0D".unicodeScalars
            case "\n": out += "%0A".unicodeScalars
            case ":" where property: out += "%3A".unicodeScalars
            case "," where property: out += "%2C".unicodeScalars
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}

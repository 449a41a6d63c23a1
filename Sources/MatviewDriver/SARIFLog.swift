import MatviewSyntax

/// Diagnostics as a SARIF 2.1.0 log (the OASIS Static Analysis Results Interchange Format), which
/// code scanning services read: GitHub's `upload-sarif` action shows each result on the pull
/// request's files and keeps them in the repository's code scanning alerts.
///
/// One run of the tool `matview`. Its `rules` list every rule matview has, in `Rule.allCases`
/// order, with their descriptions, so a rule's `ruleIndex` does not depend on which rules a run
/// happened to report. A result's level is the severity (`error`, `warning`, `note`); its message
/// is the diagnostic's message with the hint on a line of its own after `hint: `, as in the text
/// format; its location is the path relative to the project root (as a URI reference: forward
/// slashes, anything outside the URI's unreserved characters percent-encoded) and the 1-based
/// line and column. Columns count Unicode scalars, which the run states as `columnKind`. Keys are
/// sorted and nothing depends on the clock or the machine, so the same diagnostics give the same
/// bytes.
public enum SARIFLog {
    public static let schemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

    public static func render(_ diagnostics: [Diagnostic]) throws -> String {
        try JSON.encode(log(diagnostics)) + "\n"
    }

    static func log(_ diagnostics: [Diagnostic]) -> Log {
        let rules = Rule.allCases
        let ruleIndex = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($0.element, $0.offset) })
        let driver = Driver(
            name: "matview", version: MatviewVersion.current,
            rules: rules.map { rule in
                ReportingDescriptor(id: rule.rawValue, shortDescription: Message(text: rule.summary),
                                    fullDescription: Message(text: rule.help), help: Message(text: rule.help))
            }
        )
        let results = diagnostics.map { diagnostic in
            Result(ruleId: diagnostic.rule.rawValue, ruleIndex: ruleIndex[diagnostic.rule] ?? 0,
                   level: level(diagnostic.severity), message: Message(text: messageText(diagnostic)),
                   locations: location(diagnostic.location).map { [$0] })
        }
        return Log(schema: schemaURI, version: "2.1.0",
                   runs: [Run(tool: Tool(driver: driver), results: results, columnKind: "unicodeCodePoints")])
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .note: "note"
        }
    }

    static func messageText(_ diagnostic: Diagnostic) -> String {
        guard let hint = diagnostic.hint, !hint.isEmpty else { return diagnostic.message }
        return diagnostic.message + "\nhint: " + hint
    }

    /// Nothing for a diagnostic without a file; no region when the line is not known (SARIF's
    /// lines and columns start at 1).
    static func location(_ location: SourceLocation) -> Location? {
        guard !location.file.isEmpty else { return nil }
        var region: Region?
        if location.line >= 1 {
            region = Region(startLine: location.line, startColumn: location.column >= 1 ? location.column : nil)
        }
        return Location(physicalLocation: PhysicalLocation(artifactLocation: ArtifactLocation(uri: uriReference(path: location.file)),
                                                           region: region))
    }

    /// A file path as a URI reference: each byte of UTF-8 outside RFC 3986's unreserved
    /// characters, sub-delimiters, `@` and `/` is percent-encoded. `:` is encoded too, so a first
    /// segment like `c:` is never read as a scheme. An absolute path becomes a `file://` URI.
    public static func uriReference(path: String) -> String {
        var out = path.hasPrefix("/") ? "file://" : ""
        for byte in path.utf8 {
            if allowedInPath(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }

    private static func allowedInPath(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            // unreserved, sub-delims, "@" and the segment separator.
            "-._~!$&'()*+,;=@/".utf8.contains(byte)
        }
    }

    // The subset of SARIF's object model that matview fills in; property names are SARIF's.

    struct Log: Encodable {
        var schema: String
        var version: String
        var runs: [Run]

        enum CodingKeys: String, CodingKey {
            case schema = "$schema", version, runs
        }
    }

    struct Run: Encodable {
        var tool: Tool
        var results: [Result]
        var columnKind: String
    }

    struct Tool: Encodable {
        var driver: Driver
    }

    struct Driver: Encodable {
        var name: String
        var version: String
        var rules: [ReportingDescriptor]
    }

    struct ReportingDescriptor: Encodable {
        var id: String
        var shortDescription: Message
        var fullDescription: Message
        var help: Message
    }

    struct Message: Encodable {
        var text: String
    }

    struct Result: Encodable {
        var ruleId: String
        var ruleIndex: Int
        var level: String
        var message: Message
        var locations: [Location]?
    }

    struct Location: Encodable {
        var physicalLocation: PhysicalLocation
    }

    struct PhysicalLocation: Encodable {
        var artifactLocation: ArtifactLocation
        var region: Region?
    }

    struct ArtifactLocation: Encodable {
        var uri: String
    }

    struct Region: Encodable {
        var startLine: Int
        var startColumn: Int?
    }
}

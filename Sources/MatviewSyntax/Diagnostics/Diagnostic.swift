/// How serious a finding is. `check` fails on errors, and on warnings with `--strict`.
public enum Severity: String, Sendable, Comparable, Codable {
    case note, warning, error

    private var rank: Int {
        switch self {
        case .note: 0
        case .warning: 1
        case .error: 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// One finding of any stage, as a value: where, how serious, what, which rule, and how to fix it.
public struct Diagnostic: Sendable, Hashable {
    public var severity: Severity
    public var location: SourceLocation
    public var message: String
    public var rule: Rule
    public var hint: String?

    public init(_ severity: Severity, _ rule: Rule, at location: SourceLocation, _ message: String, hint: String? = nil) {
        self.severity = severity
        self.rule = rule
        self.location = location
        self.message = message
        self.hint = hint
    }

    public static func error(_ rule: Rule, at location: SourceLocation, _ message: String, hint: String? = nil) -> Diagnostic {
        Diagnostic(.error, rule, at: location, message, hint: hint)
    }

    public static func warning(_ rule: Rule, at location: SourceLocation, _ message: String, hint: String? = nil) -> Diagnostic {
        Diagnostic(.warning, rule, at: location, message, hint: hint)
    }
}

/// Collects diagnostics as stages run. Stages never throw on bad input: they record and go on.
public struct DiagnosticBag: Sendable {
    public private(set) var all: [Diagnostic] = []

    public init() {}

    public mutating func append(_ diagnostic: Diagnostic) { all.append(diagnostic) }
    public mutating func append(contentsOf other: [Diagnostic]) { all.append(contentsOf: other) }

    public var hasErrors: Bool { all.contains { $0.severity == .error } }

    /// Sorted by file, line, column, then message, so output is the same on every run.
    public var sorted: [Diagnostic] {
        all.sorted { a, b in
            if a.location != b.location { return a.location < b.location }
            if a.severity != b.severity { return a.severity > b.severity }
            return (a.rule.rawValue, a.message) < (b.rule.rawValue, b.message)
        }
    }
}

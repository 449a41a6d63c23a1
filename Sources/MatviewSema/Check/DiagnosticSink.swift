import MatviewSyntax

/// Where the checker reports findings. It applies a spec's `ignore:` lists (the view's, and a
/// column's while that column is being checked) so rules need not know about them.
final class DiagnosticSink {
    private(set) var diagnostics: [Diagnostic] = []
    var viewIgnores: Set<String> = []
    var columnIgnores: Set<String> = []

    func report(_ diagnostic: Diagnostic) {
        if ignoringList(for: diagnostic.rule) != nil {
            return
        }
        diagnostics.append(diagnostic)
    }

    /// Which `ignore:` list silences `rule` here, if one does: the column's, else the view's.
    /// The fan-out rule records it, so `matview explain` can say what allowed an aggregate.
    func ignoringList(for rule: Rule) -> IgnoreList? {
        guard rule.isIgnorable else { return nil }
        if columnIgnores.contains(rule.rawValue) { return .column }
        if viewIgnores.contains(rule.rawValue) { return .view }
        return nil
    }

    func error(_ rule: Rule, at location: SourceLocation, _ message: String, hint: String? = nil) {
        report(.error(rule, at: location, message, hint: hint))
    }

    func warning(_ rule: Rule, at location: SourceLocation, _ message: String, hint: String? = nil) {
        report(.warning(rule, at: location, message, hint: hint))
    }

    var errorCount: Int { diagnostics.filter { $0.severity == .error }.count }
}

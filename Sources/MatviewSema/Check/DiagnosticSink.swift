import MatviewSyntax

/// Where the checker reports findings. It applies a spec's `ignore:` lists (the view's, and a
/// column's while that column is being checked) so rules need not know about them.
final class DiagnosticSink {
    private(set) var diagnostics: [Diagnostic] = []
    var viewIgnores: Set<String> = []
    var columnIgnores: Set<String> = []

    func report(_ diagnostic: Diagnostic) {
        if diagnostic.rule.isIgnorable && (viewIgnores.contains(diagnostic.rule.rawValue) || columnIgnores.contains(diagnostic.rule.rawValue)) {
            return
        }
        diagnostics.append(diagnostic)
    }

    func error(_ rule: Rule, at location: SourceLocation, _ message: String, hint: String? = nil) {
        report(.error(rule, at: location, message, hint: hint))
    }

    func warning(_ rule: Rule, at location: SourceLocation, _ message: String, hint: String? = nil) {
        report(.warning(rule, at: location, message, hint: hint))
    }

    var errorCount: Int { diagnostics.filter { $0.severity == .error }.count }
}

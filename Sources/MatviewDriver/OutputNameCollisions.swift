import MatviewLowering
import MatviewSema
import MatviewSQL
import MatviewSwift
import MatviewSyntax

/// Two views whose generated files would be the same file: their names differ only in
/// characters that file names cannot hold (`a/b` and `a:b` both give `a_b`), or only in case
/// (`Report` and `report`: one file on macOS and Windows), or their Swift type names are the
/// same (`user stats` and `user_stats` are both `UserStats`, which would not compile either).
/// Reported as `duplicate-view` at the later view's name, so `check` finds it and `generate`
/// never lets one file overwrite another.
enum OutputNameCollisions {
    static func diagnostics(_ project: CheckedProject) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let views = project.views.sorted { ($0.spec.file, $0.name) < ($1.spec.file, $1.name) }
        for (kind, path) in [("SQL review file", SQLGenerator.reviewFilePath(forView:)), ("Swift file", SwiftGenerator.filePath(forView:))] {
            var taken: [String: CheckedView] = [:]
            for view in views {
                let file = path(view.name)
                let key = OutputFileName.collisionKey(file)
                guard let first = taken[key] else {
                    taken[key] = view
                    continue
                }
                let firstFile = path(first.name)
                let target = firstFile == file ? "would both be written to the \(kind) \(file)"
                    : "would be written to the \(kind)s \(firstFile) and \(file), one file where case does not count (macOS, Windows)"
                diagnostics.append(.error(.duplicateView, at: view.spec.name.location,
                                          "views '\(first.name)' (\(first.spec.file)) and '\(view.name)' \(target)",
                                          hint: "rename one of them: generated file names replace characters that files cannot hold (/ \\ : * ? \" < > | and control characters) with _, and are compared ignoring case for case-insensitive file systems"))
            }
        }
        return diagnostics
    }
}

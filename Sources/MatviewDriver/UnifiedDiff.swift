/// A line-based unified diff (`diff -u` style, 3 lines of context) for `generate --check`.
public enum UnifiedDiff {
    public static func diff(old: String, new: String, oldPath: String, newPath: String, context: Int = 3) -> String {
        let a = lines(old), b = lines(new)
        let operations = editScript(a, b)
        guard operations.contains(where: { $0.kind != .same }) else { return "" }
        var out = "--- \(oldPath)\n+++ \(newPath)\n"
        // Group operations into hunks separated by more than 2*context unchanged lines.
        var index = 0
        while index < operations.count {
            guard let firstChange = operations[index...].firstIndex(where: { $0.kind != .same }) else { break }
            let start = max(index, firstChange - context)
            var end = firstChange
            var sameRun = 0
            var cursor = firstChange
            while cursor < operations.count {
                if operations[cursor].kind == .same {
                    sameRun += 1
                    if sameRun > 2 * context { break }
                } else {
                    sameRun = 0
                    end = cursor
                }
                cursor += 1
            }
            let stop = min(operations.count, end + context + 1)
            let hunk = operations[start..<stop]
            let oldStart = hunk.first.map { $0.oldIndex } ?? 0
            let newStart = hunk.first.map { $0.newIndex } ?? 0
            let oldCount = hunk.filter { $0.kind != .insert }.count
            let newCount = hunk.filter { $0.kind != .delete }.count
            out += "@@ -\(oldCount == 0 ? oldStart : oldStart + 1),\(oldCount) +\(newCount == 0 ? newStart : newStart + 1),\(newCount) @@\n"
            for op in hunk {
                switch op.kind {
                case .same: out += " " + a[op.oldIndex] + "\n"
                case .delete: out += "-" + a[op.oldIndex] + "\n"
                case .insert: out += "+" + b[op.newIndex] + "\n"
                }
            }
            index = stop
        }
        return out
    }

    private static func lines(_ text: String) -> [String] {
        var result = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if result.last == "" { result.removeLast() }
        return result
    }

    struct Operation {
        enum Kind { case same, delete, insert }
        var kind: Kind
        var oldIndex: Int
        var newIndex: Int
    }

    /// Longest common subsequence by dynamic programming over the lines that differ (common
    /// prefix and suffix are matched first, so typical regenerations stay small).
    static func editScript(_ a: [String], _ b: [String]) -> [Operation] {
        var prefix = 0
        while prefix < a.count && prefix < b.count && a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix && suffix < b.count - prefix && a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        let am = Array(a[prefix..<(a.count - suffix)]), bm = Array(b[prefix..<(b.count - suffix)])
        var table = [[Int]](repeating: [Int](repeating: 0, count: bm.count + 1), count: am.count + 1)
        if !am.isEmpty && !bm.isEmpty {
            for i in stride(from: am.count - 1, through: 0, by: -1) {
                for j in stride(from: bm.count - 1, through: 0, by: -1) {
                    table[i][j] = am[i] == bm[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
                }
            }
        }
        var ops: [Operation] = (0..<prefix).map { Operation(kind: .same, oldIndex: $0, newIndex: $0) }
        var i = 0, j = 0
        while i < am.count || j < bm.count {
            if i < am.count && j < bm.count && am[i] == bm[j] {
                ops.append(Operation(kind: .same, oldIndex: prefix + i, newIndex: prefix + j)); i += 1; j += 1
            } else if j < bm.count && (i == am.count || table[i][j + 1] >= table[i + 1][j]) {
                ops.append(Operation(kind: .insert, oldIndex: prefix + i, newIndex: prefix + j)); j += 1
            } else {
                ops.append(Operation(kind: .delete, oldIndex: prefix + i, newIndex: prefix + j)); i += 1
            }
        }
        for k in 0..<suffix {
            ops.append(Operation(kind: .same, oldIndex: a.count - suffix + k, newIndex: b.count - suffix + k))
        }
        return ops
    }
}

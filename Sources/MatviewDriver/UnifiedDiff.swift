/// A line-based unified diff (`diff -u` style, 3 lines of context) for `generate --check`.
///
/// The edit script comes from the standard library's `difference(from:)` (Myers' O((N+M)·D)
/// algorithm) over lines interned to integers, after the common prefix and suffix are set aside,
/// so a regeneration that changes a few lines of a 100,000-line `up.sql` costs time and memory
/// proportional to the file plus the square of the few changed lines, never to N·M (the LCS
/// table this replaces took 29 s and 6 GB for one changed description among 1,000 views).
public enum UnifiedDiff {
    /// Above this many necessarily changed lines a minimal diff is not worth its cost (Myers keeps
    /// O(D²) state): the changed region is shown replaced as a whole, which is still a correct
    /// patch. Only a near-complete rewrite of a large file gets here.
    static let minimalDiffEditLimit = 5_000

    /// The diff from `old` to `new`, or "" when they are equal.
    public static func diff(old: String, new: String, oldPath: String, newPath: String, context: Int = 3) -> String {
        let a = TextLines(old), b = TextLines(new)
        let changes = changes(from: a, to: b)
        guard !changes.isEmpty else { return "" }
        var out = "--- \(oldPath)\n+++ \(newPath)\n"
        for hunk in hunks(changes, oldCount: a.count, context: context) {
            out += hunk.header
            var oldLine = hunk.oldLines.lowerBound
            for change in hunk.changes {
                while oldLine < change.old.lowerBound {
                    out += a.rendered(oldLine, prefix: " ")
                    oldLine += 1
                }
                for line in change.old { out += a.rendered(line, prefix: "-") }
                for line in change.new { out += b.rendered(line, prefix: "+") }
                oldLine = change.old.upperBound
            }
            while oldLine < hunk.oldLines.upperBound {
                out += a.rendered(oldLine, prefix: " ")
                oldLine += 1
            }
        }
        return out
    }

    /// One run of removed old lines replaced by added new lines (either may be empty), between
    /// lines the two texts share.
    struct Change: Equatable {
        var old: Range<Int>
        var new: Range<Int>
    }

    /// The changes that turn `a` into `b`, in order.
    static func changes(from a: TextLines, to b: TextLines) -> [Change] {
        var prefix = 0
        while prefix < a.count, prefix < b.count, a.line(prefix, equals: b, prefix) { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a.line(a.count - 1 - suffix, equals: b, b.count - 1 - suffix) { suffix += 1 }
        let oldMiddle = prefix..<(a.count - suffix), newMiddle = prefix..<(b.count - suffix)
        if oldMiddle.isEmpty && newMiddle.isEmpty { return [] }

        // Which lines of each side are unmatched: removed old lines, inserted new lines.
        var removed = [Bool](repeating: true, count: oldMiddle.count)
        var inserted = [Bool](repeating: true, count: newMiddle.count)
        if !oldMiddle.isEmpty && !newMiddle.isEmpty {
            let keys = TextLines.keys(a, oldMiddle, b, newMiddle)
            if editLowerBound(keys.old, keys.new) <= minimalDiffEditLimit {
                removed = [Bool](repeating: false, count: oldMiddle.count)
                inserted = [Bool](repeating: false, count: newMiddle.count)
                for edit in keys.new.difference(from: keys.old) {
                    switch edit {
                    case .remove(let offset, _, _): removed[offset] = true
                    case .insert(let offset, _, _): inserted[offset] = true
                    }
                }
            }
        }

        // Between two shared lines, every unmatched line on either side belongs to one change;
        // its removals are printed before its insertions, as diff -u does.
        var changes: [Change] = []
        var i = 0, j = 0
        while i < removed.count || j < inserted.count {
            let oldStart = i, newStart = j
            while i < removed.count, removed[i] { i += 1 }
            while j < inserted.count, inserted[j] { j += 1 }
            if i > oldStart || j > newStart {
                changes.append(Change(old: (prefix + oldStart)..<(prefix + i), new: (prefix + newStart)..<(prefix + j)))
            } else {
                i += 1
                j += 1
            }
        }
        return changes
    }

    /// At least this many lines must be removed or inserted: those whose number of copies differs
    /// between the sides. One pass; large exactly for rewrites.
    static func editLowerBound(_ a: [Int], _ b: [Int]) -> Int {
        var balance = [Int](repeating: 0, count: (a.max() ?? 0) + (b.max() ?? 0) + 2)
        for key in a { balance[key] += 1 }
        for key in b { balance[key] -= 1 }
        return balance.reduce(0) { $0 + abs($1) }
    }

    struct Hunk {
        var oldLines: Range<Int>
        var newLines: Range<Int>
        var changes: [Change]

        /// `@@ -start,count +start,count @@`, 1-based; an empty side names the line before it.
        var header: String {
            func side(_ lines: Range<Int>) -> String {
                "\(lines.isEmpty ? lines.lowerBound : lines.lowerBound + 1),\(lines.count)"
            }
            return "@@ -\(side(oldLines)) +\(side(newLines)) @@\n"
        }
    }

    /// Groups changes into hunks with `context` shared lines around each; changes at most
    /// 2·context shared lines apart (their contexts would touch or overlap) share one hunk.
    static func hunks(_ changes: [Change], oldCount: Int, context: Int) -> [Hunk] {
        var groups: [[Change]] = []
        for change in changes {
            if let previous = groups.last?.last, change.old.lowerBound - previous.old.upperBound <= 2 * context {
                groups[groups.count - 1].append(change)
            } else {
                groups.append([change])
            }
        }
        return groups.map { group in
            let first = group.first!, last = group.last!
            // Shared lines are the same on both sides, so the context extends both sides equally.
            let before = min(context, first.old.lowerBound)
            let after = min(context, oldCount - last.old.upperBound)
            return Hunk(oldLines: (first.old.lowerBound - before)..<(last.old.upperBound + after),
                        newLines: (first.new.lowerBound - before)..<(last.new.upperBound + after),
                        changes: group)
        }
    }
}

/// What the fan-out rule decided about one aggregate: why joins cannot repeat its input rows,
/// or which join does and whether an `ignore: [fanout]` allowed it. `matview explain` prints
/// these, so a reviewer sees the rule's reasoning rather than a recomputation of it.
public struct FanoutVerdict: Sendable, Hashable {
    /// The aggregate call as SQL, e.g. `sum(t.amount)`.
    public var aggregate: String
    /// The output column it sits in; nil for an aggregate in HAVING.
    public var column: String?
    public var reason: Reason

    public enum Reason: Sendable, Hashable {
        /// count(DISTINCT ...), sum(DISTINCT ...): repeats count once.
        case distinct
        /// min, max, bool_and, bool_or, every: a repeated row cannot change the result.
        case ignoresRepeats(function: String)
        /// count(*) counts the rows the joins produce; that is what it means.
        case countsJoinedRows
        /// The aggregate reads no column (sum(1)); the rule has nothing to trace.
        case readsNoColumns
        /// Every other source has at most one row per row of the aggregated ones (`reads`): each
        /// step says how. No steps and one source: there is no join at all.
        case determined(reads: [String], steps: [Step], sourceCount: Int)
        /// A join repeats the input rows, and an `ignore: [fanout]` list allowed it.
        case ignored(Multiplication, by: IgnoreList)
        /// A join repeats the input rows: the checker reported a `fanout` error.
        case multiplied(Multiplication)
    }

    /// How one source is pinned to at most one row.
    public struct Step: Sendable, Hashable {
        /// The source's alias.
        public var source: String
        /// The key whose columns are all bound; empty when the source has a single row.
        public var key: [String]
        /// Whether GROUP BY fixes some of the key's columns.
        public var fixedByGroupBy: Bool
        /// Aliases of the sources whose columns the key columns are equal to (none: a constant).
        public var from: [String]

        public init(source: String, key: [String], fixedByGroupBy: Bool, from: [String]) {
            self.source = source
            self.key = key
            self.fixedByGroupBy = fixedByGroupBy
            self.from = from
        }
    }

    public struct Multiplication: Sendable, Hashable {
        /// The alias of the join that repeats rows.
        public var join: String
        /// "many rows per users", "a cross join".
        public var perWhat: String

        public init(join: String, perWhat: String) {
            self.join = join
            self.perWhat = perWhat
        }
    }

    public var description: String {
        "\(aggregate): \(reason.description)"
    }
}

extension FanoutVerdict.Reason: CustomStringConvertible {
    public var description: String {
        switch self {
        case .distinct:
            return "DISTINCT, so rows repeated by joins count once"
        case .ignoresRepeats(let function):
            return "\(function) ignores repeated rows, so joins cannot change it"
        case .countsJoinedRows:
            return "count(*) counts the rows the joins produce, by definition"
        case .readsNoColumns:
            return "reads no column, so there are no input rows for a join to repeat"
        case .determined(let reads, let steps, let sourceCount):
            if steps.isEmpty {
                return sourceCount == 1 ? "one source and no join, so each row of \(reads.joined(separator: ", ")) counts once"
                    : "it reads every source, so each joined row counts once"
            }
            return "no fan-out: each row of \(reads.joined(separator: " and ")) meets at most one row of each other source: "
                + steps.map(\.description).joined(separator: "; ")
        case .ignored(let multiplication, let list):
            return "\(multiplication.description); allowed by `ignore: [fanout]` on the \(list.rawValue)"
        case .multiplied(let multiplication):
            return "\(multiplication.description) (a fanout error)"
        }
    }
}

extension FanoutVerdict.Step: CustomStringConvertible {
    public var description: String {
        if key.isEmpty { return "\(source) has a single row" }
        var origins = fixedByGroupBy ? ["GROUP BY"] : []
        origins += from
        let origin = origins.isEmpty ? "a constant" : origins.joined(separator: " and ")
        return "\(source) by its key (\(key.joined(separator: ", "))) from \(origin)"
    }
}

extension FanoutVerdict.Multiplication: CustomStringConvertible {
    public var description: String {
        "multiplied by the join with \(join) (\(perWhat))"
    }
}

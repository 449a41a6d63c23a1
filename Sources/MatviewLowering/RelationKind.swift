/// What a view becomes in the database. Every statement that creates, renames, comments on or
/// drops a view takes its keyword from here, so a second kind (the incremental strategy's plain
/// table) changes one value, not every emitter.
public enum RelationKind: String, Sendable {
    case materializedView = "MATERIALIZED VIEW"
    /// `strategy: incremental`: a plain table that triggers keep current group by group.
    case table = "TABLE"

    /// The words in `CREATE <keyword>`, `ALTER <keyword>`, `COMMENT ON <keyword>`, `DROP <keyword>`.
    public var keyword: String { rawValue }
}

/// The index access methods a spec's `using:` may name (PostgreSQL's built-in ones), read
/// case-insensitively.
public enum IndexMethod: String, Sendable, CaseIterable {
    case btree, hash, gist, gin, brin, spgist
}

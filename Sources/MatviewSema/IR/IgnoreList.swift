/// Which `ignore:` list silenced a rule where it would have reported: the output column's own
/// list, or the view's. Recorded so `matview explain` can say what allowed, say, a fan-out.
public enum IgnoreList: String, Sendable, Hashable {
    case column, view
}

/// Which page of the dashboard is showing, for marking its link in the header.
public enum NavigationItem: Sendable, Equatable {
    /// `/`: every view's health.
    case overview
    /// One view's page. It has no link of its own in the header, so none is marked current.
    case view
    /// `/lineage`: the tables-to-views graph.
    case lineage
}

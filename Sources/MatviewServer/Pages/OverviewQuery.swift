/// The overview's sorting and filtering, from its query string (`?sort=age&order=desc&health=stale`),
/// so that they work as plain links and a plain form, without JavaScript. Unknown values are a bad
/// request rather than silently ignored: a mistyped bookmark should say so.
struct OverviewQuery: Equatable, Sendable {
    enum Column: String, CaseIterable, Sendable {
        case view, health, age, duration, rows, failures, pending, next
    }

    /// The health filter's values, as the health badges name them.
    enum HealthFilter: String, CaseIterable, Sendable {
        case all, ok, unhealthy, stale, failing, uncaptured, never

        func admits(_ health: String) -> Bool {
            switch self {
            case .all: return true
            case .unhealthy: return health != "ok"
            case .never: return health == "never refreshed"
            default: return health == rawValue
            }
        }
    }

    var sort: Column = .view
    var descending = false
    var health: HealthFilter = .all

    struct Invalid: Error, CustomStringConvertible, Sendable {
        var description: String
    }

    init() {}

    init(parameters: [(String, String)]) throws(Invalid) {
        for (key, value) in parameters {
            switch key {
            case "sort":
                guard let column = Column(rawValue: value) else {
                    throw Invalid(description: "sort must be one of \(Column.allCases.map(\.rawValue).joined(separator: ", ")), not '\(value)'")
                }
                sort = column
            case "order":
                guard value == "asc" || value == "desc" else { throw Invalid(description: "order must be asc or desc, not '\(value)'") }
                descending = value == "desc"
            case "health":
                guard let filter = HealthFilter(rawValue: value) else {
                    throw Invalid(description: "health must be one of \(HealthFilter.allCases.map(\.rawValue).joined(separator: ", ")), not '\(value)'")
                }
                health = filter
            default:
                continue  // cache-busters and the like
            }
        }
    }

    /// The query string of this state, for links (`sort=age&order=desc&health=stale`).
    var queryString: String {
        var parts: [String] = []
        if sort != .view { parts.append("sort=\(sort.rawValue)") }
        if descending { parts.append("order=desc") }
        if health != .all { parts.append("health=\(health.rawValue)") }
        return parts.joined(separator: "&")
    }

    /// The link a column header points to: sort by it, flipping the order when it already sorts.
    func sorting(by column: Column) -> OverviewQuery {
        var next = self
        next.descending = column == sort ? !descending : Self.startsDescending(column)
        next.sort = column
        return next
    }

    /// Figures read worst-first; names alphabetically.
    static func startsDescending(_ column: Column) -> Bool {
        ![.view, .next].contains(column)
    }
}

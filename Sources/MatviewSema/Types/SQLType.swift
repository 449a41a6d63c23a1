import MatviewSyntax

/// The PostgreSQL types the checker reasons about. Spellings are normalised (`int4`, `integer`
/// and `serial` are all `.integer`); types it has no rules for are kept by name as `.other`.
public indirect enum SQLType: Hashable, Sendable, CustomStringConvertible {
    case smallint, integer, bigint, numeric, real, double
    case text, boolean, date, timestamp, timestamptz, time, timetz, interval, uuid, json, jsonb, bytea
    /// An untyped string literal: it takes the type its context needs, as in PostgreSQL.
    case unknown
    /// The NULL literal.
    case null
    case array(SQLType)
    case other(String)

    public init(_ typeName: TypeName) {
        var base: SQLType
        switch typeName.name {
        case "smallint", "int2", "smallserial", "serial2": base = .smallint
        case "integer", "int", "int4", "serial", "serial4": base = .integer
        case "bigint", "int8", "bigserial", "serial8": base = .bigint
        case "numeric", "decimal": base = .numeric
        case "real", "float4": base = .real
        case "double precision", "float8": base = .double
        case "float": base = (typeName.modifiers.first ?? 53) <= 24 ? .real : .double
        case "text", "varchar", "character varying", "character", "char", "bpchar", "name", "citext": base = .text
        case "boolean", "bool": base = .boolean
        case "date": base = .date
        case "timestamp": base = .timestamp
        case "timestamptz": base = .timestamptz
        case "time": base = .time
        case "timetz": base = .timetz
        case "interval": base = .interval
        case "uuid": base = .uuid
        case "json": base = .json
        case "jsonb": base = .jsonb
        case "bytea": base = .bytea
        default: base = .other(typeName.name)
        }
        for _ in 0..<typeName.arrayDepth { base = .array(base) }
        self = base
    }

    /// PostgreSQL's own name for the type, as `pg_typeof` prints it.
    public var description: String {
        switch self {
        case .smallint: "smallint"
        case .integer: "integer"
        case .bigint: "bigint"
        case .numeric: "numeric"
        case .real: "real"
        case .double: "double precision"
        case .text: "text"
        case .boolean: "boolean"
        case .date: "date"
        case .timestamp: "timestamp without time zone"
        case .timestamptz: "timestamp with time zone"
        case .time: "time without time zone"
        case .timetz: "time with time zone"
        case .interval: "interval"
        case .uuid: "uuid"
        case .json: "json"
        case .jsonb: "jsonb"
        case .bytea: "bytea"
        case .unknown: "unknown"
        case .null: "unknown"
        case .array(let element): "\(element)[]"
        case .other(let name): name
        }
    }

    public var isNumeric: Bool {
        switch self {
        case .smallint, .integer, .bigint, .numeric, .real, .double: true
        default: false
        }
    }

    /// Whether PostgreSQL has a hash function for the type (a default hash operator class), so
    /// that `hash_record` of a row of it works: values that are equal hash alike even when they
    /// print differently (`1.0` and `1.00`, `0` and `-0`). json has no equality at all; types
    /// the checker does not know are assumed to have none.
    public var hasHashFunction: Bool {
        switch self {
        case .json, .unknown, .null, .other: false
        case .array(let element): element.hasHashFunction
        default: true
        }
    }

    public var isInteger: Bool { self == .smallint || self == .integer || self == .bigint }

    public var isDateTime: Bool {
        switch self {
        case .date, .timestamp, .timestamptz: true
        default: false
        }
    }

    /// A literal or NULL whose type is still open.
    public var isUntyped: Bool { self == .unknown || self == .null }

    private var numericRank: Int? {
        switch self {
        case .smallint: 0
        case .integer: 1
        case .bigint: 2
        case .numeric: 3
        case .real: 4
        case .double: 5
        default: nil
        }
    }

    private var dateTimeRank: Int? {
        switch self {
        case .date: 0
        case .timestamp: 1
        case .timestamptz: 2
        default: nil
        }
    }

    /// Whether PostgreSQL converts a value of this type to `target` without an explicit cast.
    public func implicitlyCasts(to target: SQLType) -> Bool {
        if self == target || isUntyped { return true }
        if let a = numericRank, let b = target.numericRank { return a <= b }
        if let a = dateTimeRank, let b = target.dateTimeRank { return a <= b }
        if self == .time && target == .interval { return true }
        return false
    }

    /// The type every one of `types` converts to implicitly, as for CASE, COALESCE and IN;
    /// nil when there is none. Untyped literals alone resolve to text.
    public static func common(_ types: [SQLType]) -> SQLType? {
        let typed = types.filter { !$0.isUntyped }
        guard !typed.isEmpty else { return types.contains(.unknown) ? .text : .null }
        for candidate in typed.sorted(by: { ($0.numericRank ?? $0.dateTimeRank ?? 0) > ($1.numericRank ?? $1.dateTimeRank ?? 0) }) {
            if typed.allSatisfy({ $0.implicitlyCasts(to: candidate) }) { return candidate }
        }
        return nil
    }

    /// Whether values of the two types can be compared with `=`, `<` and friends.
    public func isComparable(with other: SQLType) -> Bool {
        SQLType.common([self, other]) != nil
    }
}

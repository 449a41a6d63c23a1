/// One overload of a built-in function, as in PostgreSQL's `pg_proc`.
public struct FunctionSignature: Sendable {
    public enum Parameter: Sendable, Equatable {
        case type(SQLType)
        /// PostgreSQL's `anyelement`: every such argument must share one type.
        case anyElement
        /// `"any"`: anything at all, each argument on its own.
        case any
    }

    public enum Result: Sendable, Equatable {
        case type(SQLType)
        /// The type the `anyelement` arguments resolved to.
        case anyElement
        /// An array of that type (`array_agg`).
        case arrayOfAnyElement
    }

    public enum Kind: Sendable, Equatable {
        case scalar, aggregate, setReturning
    }

    public enum NullBehaviour: Sendable, Equatable {
        /// NULL in any argument gives NULL (most functions).
        case strict
        /// Never NULL (count, jsonb_build_object, concat).
        case neverNull
        /// NULL only when every argument is NULL (coalesce, greatest, least).
        case nullWhenAllNull
        /// May be NULL whatever the arguments (nullif).
        case mayBeNull
    }

    public var name: String
    public var parameters: [Parameter]
    /// The last parameter may repeat (`concat`, `jsonb_build_object`).
    public var variadic: Bool
    public var result: Result
    public var kind: Kind
    public var nulls: NullBehaviour
    /// The value depends on the clock (now, current_date...): a view using it changes with time.
    public var timeDependent: Bool

    public init(_ name: String, _ parameters: [Parameter], _ result: Result, kind: Kind = .scalar, variadic: Bool = false,
                nulls: NullBehaviour = .strict, timeDependent: Bool = false) {
        self.name = name
        self.parameters = parameters
        self.variadic = variadic
        self.result = result
        self.kind = kind
        self.nulls = nulls
        self.timeDependent = timeDependent
    }

    /// How the signature reads in a hint: `generate_series(timestamp, timestamp, interval)`.
    public var display: String {
        let params = parameters.map { p -> String in
            switch p {
            case .type(let t): t.description
            case .anyElement: "anyelement"
            case .any: "\"any\""
            }
        }
        return "\(name)(\(params.joined(separator: ", "))\(variadic ? ", ..." : ""))"
    }
}

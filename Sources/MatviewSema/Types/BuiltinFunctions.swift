/// The built-in functions matview knows, with PostgreSQL 15's signatures and result types.
/// Types follow pg_proc: `sum(int4)` is bigint, `sum(int8)` and `avg` of integers are numeric.
public enum BuiltinFunctions {
    public static func overloads(named name: String) -> [FunctionSignature] {
        table[name] ?? []
    }

    public static var names: [String] { Array(table.keys).sorted() }

    private typealias S = FunctionSignature

    private static let table: [String: [FunctionSignature]] = {
        var all: [FunctionSignature] = []
        func add(_ s: FunctionSignature) { all.append(s) }
        let numerics: [SQLType] = [.smallint, .integer, .bigint, .numeric, .real, .double]

        // Aggregates
        add(S("count", [], .type(.bigint), kind: .aggregate, nulls: .neverNull)) // count(*)
        add(S("count", [.any], .type(.bigint), kind: .aggregate, nulls: .neverNull))
        for (arg, result) in [(SQLType.smallint, SQLType.bigint), (.integer, .bigint), (.bigint, .numeric), (.numeric, .numeric), (.real, .real), (.double, .double), (.interval, .interval)] {
            add(S("sum", [.type(arg)], .type(result), kind: .aggregate))
        }
        for (arg, result) in [(SQLType.smallint, SQLType.numeric), (.integer, .numeric), (.bigint, .numeric), (.numeric, .numeric), (.real, .double), (.double, .double), (.interval, .interval)] {
            add(S("avg", [.type(arg)], .type(result), kind: .aggregate))
        }
        for name in ["min", "max"] { add(S(name, [.anyElement], .anyElement, kind: .aggregate)) }
        for name in ["stddev", "stddev_samp", "stddev_pop", "variance", "var_samp", "var_pop"] {
            for arg in numerics {
                add(S(name, [.type(arg)], .type(arg == .real || arg == .double ? .double : .numeric), kind: .aggregate))
            }
        }
        add(S("array_agg", [.anyElement], .arrayOfAnyElement, kind: .aggregate))
        add(S("string_agg", [.type(.text), .type(.text)], .type(.text), kind: .aggregate))
        add(S("json_agg", [.any], .type(.json), kind: .aggregate))
        add(S("jsonb_agg", [.any], .type(.jsonb), kind: .aggregate))
        add(S("json_object_agg", [.any, .any], .type(.json), kind: .aggregate))
        add(S("jsonb_object_agg", [.any, .any], .type(.jsonb), kind: .aggregate))
        for name in ["bool_and", "bool_or", "every"] { add(S(name, [.type(.boolean)], .type(.boolean), kind: .aggregate)) }

        // Conditional expressions
        add(S("coalesce", [.anyElement], .anyElement, variadic: true, nulls: .nullWhenAllNull))
        add(S("greatest", [.anyElement], .anyElement, variadic: true, nulls: .nullWhenAllNull))
        add(S("least", [.anyElement], .anyElement, variadic: true, nulls: .nullWhenAllNull))
        add(S("nullif", [.anyElement, .anyElement], .anyElement, nulls: .mayBeNull))

        // Date and time
        add(S("now", [], .type(.timestamptz), nulls: .neverNull, timeDependent: true))
        add(S("transaction_timestamp", [], .type(.timestamptz), nulls: .neverNull, timeDependent: true))
        add(S("statement_timestamp", [], .type(.timestamptz), nulls: .neverNull, timeDependent: true))
        add(S("clock_timestamp", [], .type(.timestamptz), nulls: .neverNull, timeDependent: true))
        add(S("timeofday", [], .type(.text), nulls: .neverNull, timeDependent: true))
        add(S("date", [.type(.timestamptz)], .type(.date)))
        add(S("date", [.type(.timestamp)], .type(.date)))
        add(S("date", [.type(.date)], .type(.date)))
        for t in [SQLType.timestamp, .timestamptz, .interval] {
            add(S("date_trunc", [.type(.text), .type(t)], .type(t)))
        }
        add(S("date_trunc", [.type(.text), .type(.timestamptz), .type(.text)], .type(.timestamptz)))
        for t in [SQLType.timestamp, .timestamptz, .interval, .date, .time] {
            add(S("date_part", [.type(.text), .type(t)], .type(.double)))
        }
        add(S("age", [.type(.timestamptz), .type(.timestamptz)], .type(.interval)))
        add(S("age", [.type(.timestamp), .type(.timestamp)], .type(.interval)))
        add(S("age", [.type(.timestamptz)], .type(.interval), timeDependent: true))
        add(S("age", [.type(.timestamp)], .type(.interval), timeDependent: true))
        add(S("to_char", [.type(.timestamptz), .type(.text)], .type(.text)))
        add(S("to_char", [.type(.timestamp), .type(.text)], .type(.text)))
        add(S("to_char", [.type(.interval), .type(.text)], .type(.text)))
        add(S("to_char", [.type(.numeric), .type(.text)], .type(.text)))
        add(S("to_char", [.type(.double), .type(.text)], .type(.text)))
        add(S("to_timestamp", [.type(.double)], .type(.timestamptz)))
        add(S("to_date", [.type(.text), .type(.text)], .type(.date)))
        add(S("make_date", [.type(.integer), .type(.integer), .type(.integer)], .type(.date)))
        add(S("justify_interval", [.type(.interval)], .type(.interval)))
        add(S("justify_hours", [.type(.interval)], .type(.interval)))
        add(S("justify_days", [.type(.interval)], .type(.interval)))

        // Set-returning. PostgreSQL 15 has no generate_series(date, date, integer).
        for t in [SQLType.integer, .bigint, .numeric] {
            add(S("generate_series", [.type(t), .type(t)], .type(t), kind: .setReturning))
            add(S("generate_series", [.type(t), .type(t), .type(t)], .type(t), kind: .setReturning))
        }
        add(S("generate_series", [.type(.timestamp), .type(.timestamp), .type(.interval)], .type(.timestamp), kind: .setReturning))
        add(S("generate_series", [.type(.timestamptz), .type(.timestamptz), .type(.interval)], .type(.timestamptz), kind: .setReturning))
        add(S("unnest", [.any], .type(.other("anyelement")), kind: .setReturning))

        // Mathematics
        for t in [SQLType.smallint, .integer, .bigint, .numeric, .real, .double] {
            add(S("abs", [.type(t)], .type(t)))
        }
        for name in ["round", "trunc", "floor", "ceil", "ceiling"] {
            add(S(name, [.type(.numeric)], .type(.numeric)))
            add(S(name, [.type(.double)], .type(.double)))
        }
        add(S("round", [.type(.numeric), .type(.integer)], .type(.numeric)))
        add(S("trunc", [.type(.numeric), .type(.integer)], .type(.numeric)))
        add(S("sqrt", [.type(.double)], .type(.double)))
        add(S("sqrt", [.type(.numeric)], .type(.numeric)))
        add(S("power", [.type(.double), .type(.double)], .type(.double)))
        add(S("power", [.type(.numeric), .type(.numeric)], .type(.numeric)))
        add(S("ln", [.type(.double)], .type(.double)))
        add(S("ln", [.type(.numeric)], .type(.numeric)))
        add(S("mod", [.type(.integer), .type(.integer)], .type(.integer)))
        add(S("mod", [.type(.bigint), .type(.bigint)], .type(.bigint)))
        add(S("mod", [.type(.numeric), .type(.numeric)], .type(.numeric)))
        add(S("random", [], .type(.double), nulls: .neverNull))

        // Strings
        for name in ["lower", "upper", "initcap", "btrim", "ltrim", "rtrim", "md5", "reverse"] {
            add(S(name, [.type(.text)], .type(.text)))
        }
        add(S("btrim", [.type(.text), .type(.text)], .type(.text)))
        add(S("length", [.type(.text)], .type(.integer)))
        add(S("char_length", [.type(.text)], .type(.integer)))
        add(S("substr", [.type(.text), .type(.integer)], .type(.text)))
        add(S("substr", [.type(.text), .type(.integer), .type(.integer)], .type(.text)))
        add(S("left", [.type(.text), .type(.integer)], .type(.text)))
        add(S("right", [.type(.text), .type(.integer)], .type(.text)))
        add(S("replace", [.type(.text), .type(.text), .type(.text)], .type(.text)))
        add(S("split_part", [.type(.text), .type(.text), .type(.integer)], .type(.text)))
        add(S("strpos", [.type(.text), .type(.text)], .type(.integer)))
        add(S("concat", [.any], .type(.text), variadic: true, nulls: .neverNull))
        add(S("concat_ws", [.type(.text), .any], .type(.text), variadic: true, nulls: .neverNull))
        add(S("to_jsonb", [.any], .type(.jsonb)))
        add(S("to_json", [.any], .type(.json)))

        // JSON builders: always a value, whatever the arguments.
        add(S("jsonb_build_object", [.any], .type(.jsonb), variadic: true, nulls: .neverNull))
        add(S("json_build_object", [.any], .type(.json), variadic: true, nulls: .neverNull))
        add(S("jsonb_build_array", [.any], .type(.jsonb), variadic: true, nulls: .neverNull))
        add(S("json_build_array", [.any], .type(.json), variadic: true, nulls: .neverNull))
        add(S("jsonb_build_object", [], .type(.jsonb), nulls: .neverNull))
        add(S("json_build_object", [], .type(.json), nulls: .neverNull))

        // Arrays
        add(S("array_length", [.type(.other("anyarray")), .type(.integer)], .type(.integer)))
        add(S("cardinality", [.type(.other("anyarray"))], .type(.integer)))

        // Other
        add(S("gen_random_uuid", [], .type(.uuid), nulls: .neverNull))
        return Dictionary(grouping: all, by: \.name)
    }()
}

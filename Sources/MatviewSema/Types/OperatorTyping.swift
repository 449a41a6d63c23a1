import MatviewSyntax

/// Result types of PostgreSQL's operators for the types matview knows (pg_operator, in short).
/// Returns nil where PostgreSQL would say "operator does not exist".
public enum OperatorTyping {
    public static func arithmetic(_ op: BinaryOperator, _ left: SQLType, _ right: SQLType) -> SQLType? {
        // An untyped literal takes the other side's type, as PostgreSQL resolves `x + '1'`.
        var l = left, r = right
        if l.isUntyped && !r.isUntyped { l = r == .date && (op == .add || op == .subtract) && left == .unknown ? .integer : r }
        if r.isUntyped && !l.isUntyped { r = l == .date && (op == .add || op == .subtract) && right == .unknown ? .integer : (l.isDateTime && (op == .add || op == .subtract) ? .interval : l) }
        if l.isUntyped && r.isUntyped { return left == .null || right == .null ? .null : nil }

        if l.isNumeric && r.isNumeric {
            if op == .power { return (l == .numeric || r == .numeric) ? .numeric : .double }
            return SQLType.common([l, r])
        }
        switch (op, l, r) {
        case (.add, .date, let n) where n.isInteger, (.add, let n, .date) where n.isInteger: return .date
        case (.subtract, .date, let n) where n.isInteger: return .date
        case (.subtract, .date, .date): return .integer
        case (.add, .date, .interval), (.add, .interval, .date), (.subtract, .date, .interval): return .timestamp
        case (.add, .date, .time), (.add, .time, .date): return .timestamp
        case (.add, let t, .interval) where t == .timestamp || t == .timestamptz || t == .time || t == .timetz: return t
        case (.add, .interval, let t) where t == .timestamp || t == .timestamptz || t == .time || t == .timetz: return t
        case (.subtract, let t, .interval) where t == .timestamp || t == .timestamptz || t == .time || t == .timetz: return t
        case (.subtract, let a, let b) where a.isDateTime && b.isDateTime:
            // date - date is handled above; mixed operands convert to the wider of the two.
            return .interval
        case (.subtract, .time, .time): return .interval
        case (.add, .interval, .interval), (.subtract, .interval, .interval): return .interval
        case (.multiply, .interval, let n) where n.isNumeric, (.multiply, let n, .interval) where n.isNumeric: return .interval
        case (.divide, .interval, let n) where n.isNumeric: return .interval
        default: return nil
        }
    }

    public static func negate(_ operand: SQLType) -> SQLType? {
        if operand.isNumeric || operand == .interval || operand.isUntyped { return operand == .unknown ? .numeric : operand }
        return nil
    }

    /// `||`: text with anything that is not an array, jsonb with jsonb, arrays with arrays.
    public static func concat(_ left: SQLType, _ right: SQLType) -> SQLType? {
        switch (left, right) {
        case (.jsonb, .jsonb), (.jsonb, .unknown), (.unknown, .jsonb): return .jsonb
        case (.array(let a), .array(let b)) where a == b: return left
        case (.array(let a), let b) where b.implicitlyCasts(to: a): return left
        case (.text, _), (_, .text), (.unknown, _), (_, .unknown): return .text
        default: return nil
        }
    }
}

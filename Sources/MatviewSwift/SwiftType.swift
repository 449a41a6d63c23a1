import MatviewSema

/// How a SQL column becomes a Swift value: the Swift type postgres-nio decodes, and the SQL that
/// selects it (a cast to text where postgres-nio has no decoder for the type).
struct SwiftType {
    var name: String
    var selectCast: String?

    static func of(_ type: SQLType) -> SwiftType {
        switch type {
        case .smallint: SwiftType(name: "Int16")
        case .integer: SwiftType(name: "Int32")
        case .bigint: SwiftType(name: "Int64")
        case .numeric: SwiftType(name: "Decimal")
        case .real: SwiftType(name: "Float")
        case .double: SwiftType(name: "Double")
        case .text, .unknown, .null: SwiftType(name: "String")
        case .boolean: SwiftType(name: "Bool")
        case .date, .timestamp, .timestamptz: SwiftType(name: "Date")
        case .interval: SwiftType(name: "MatviewInterval")
        case .uuid: SwiftType(name: "UUID")
        case .jsonb: SwiftType(name: "String")
        case .json, .time, .timetz, .bytea: SwiftType(name: "String", selectCast: "text")
        case .array(let element):
            of(element).selectCast == nil ? SwiftType(name: "[\(of(element).name)]") : SwiftType(name: "[String]", selectCast: "text[]")
        case .other: SwiftType(name: "String", selectCast: "text")
        }
    }

    /// Inside a JSON object built by the view: what JSONDecoder reads from PostgreSQL's JSON.
    static func ofJSONValue(_ type: SQLType) -> String {
        switch type {
        case .smallint, .integer, .bigint: "Int64"
        case .numeric: "Decimal"
        case .real, .double: "Double"
        case .boolean: "Bool"
        default: "String"
        }
    }
}

/// Decoding of text columns that carry lists: the queries send arrays as
/// `array_to_string(array, E'\n')`, which `LiveConnection.rows` returns as one optional string.
enum TextColumn {
    /// The lines of a column; NULL and the empty string are the empty list.
    static func lines(_ value: String??) -> [String] {
        guard let text = value ?? nil, !text.isEmpty else { return [] }
        return text.split(separator: "\n").map(String.init)
    }
}

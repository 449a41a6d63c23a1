import MatviewSema
import MatviewSyntax

/// Writes the Swift for one view: a `Sendable, Hashable, Codable` row struct with the types
/// postgres-nio decodes (optional exactly where the checker says the column can be NULL), a
/// nested Codable type for JSON objects built with literal keys, decoding from `PostgresRow`,
/// the view's descriptor (with its defining query, for the runtime's fallback), and lookups
/// derived from its indexes.
struct SwiftRowEmitter {
    let view: CheckedView
    let definingQuery: String
    let access: String
    /// Worked out once: the file names it a dozen times, and each is a Unicode analysis of the name.
    let typeName: String

    init(view: CheckedView, definingQuery: String, access: String) {
        self.view = view
        self.definingQuery = definingQuery
        self.access = access
        typeName = SwiftNames.upperCamel(view.name)
    }

    struct Field {
        var column: OutputColumn
        var swiftName: String
        var typeName: String
        var selectSQL: String
        var nested: NestedType?
    }

    struct NestedType {
        var name: String
        var fields: [(swiftName: String, key: String, type: String)]
    }

    func fields() -> [Field] {
        var used = Set<String>()
        return view.columns.enumerated().map { index, column in
            var swiftName = SwiftNames.lowerCamel(column.name)
            if used.contains(swiftName) { swiftName += "\(index + 1)" }
            used.insert(swiftName)
            let quoted = SQLPrinter.identifier(column.name)
            var mapped = SwiftType.of(column.type)
            var nested: NestedType?
            if let jsonFields = column.jsonFields, column.type == .jsonb || column.type == .json {
                var usedKeys = Set<String>()
                let members = jsonFields.enumerated().map { i, field -> (String, String, String) in
                    var name = SwiftNames.lowerCamel(field.key)
                    if usedKeys.contains(name) { name += "\(i + 1)" }
                    usedKeys.insert(name)
                    let type = SwiftType.ofJSONValue(field.type) + (field.nullable ? "?" : "")
                    return (name, field.key, type)
                }
                nested = NestedType(name: SwiftNames.upperCamel(column.name), fields: members)
                mapped = SwiftType(name: SwiftNames.upperCamel(column.name), selectCast: column.type == .json ? "jsonb" : nil)
            }
            let select = mapped.selectCast.map { "\(quoted)::\($0) AS \(quoted)" } ?? quoted
            return Field(column: column, swiftName: swiftName, typeName: mapped.name + (column.nullable ? "?" : ""), selectSQL: select, nested: nested)
        }
    }

    func emit(header: String, imports: [String]) -> String {
        let fields = fields()
        var out: [String] = [header, ""]
        for module in (["Foundation", "MatviewRuntime", "PostgresNIO"] + imports).uniquedSorted() {
            out.append("import \(module)")
        }
        out.append("")
        out += docComment(view.description, indent: "")
        if view.description != nil { out.append("///") }
        out += SwiftComment.lines("A row of the materialized view \(SwiftComment.codeSpan("\(view.schema).\(view.name)")), generated from \(SwiftComment.codeSpan(view.spec.file)).")
        out.append("\(access) struct \(typeName): MaterializedViewRow, Sendable, Hashable, Codable {")
        for field in fields {
            if let nested = field.nested {
                out += SwiftComment.lines("The JSON object in \(SwiftComment.codeSpan(field.column.name)).", indent: "    ")
                out.append("    \(access) struct \(nested.name): Sendable, Hashable, Codable, PostgresDecodable {")
                for member in nested.fields {
                    out.append("        \(access) var \(SwiftNames.escaped(member.swiftName)): \(member.type)")
                }
                out.append("")
                out.append("        \(access) init(\(nested.fields.map { "\(SwiftNames.escaped($0.swiftName)): \($0.type)" }.joined(separator: ", "))) {")
                for member in nested.fields { out.append("            self.\(SwiftNames.escaped(member.swiftName)) = \(SwiftNames.escaped(member.swiftName))") }
                out.append("        }")
                out.append("")
                out.append("        enum CodingKeys: String, CodingKey {")
                for member in nested.fields { out.append("            case \(SwiftNames.escaped(member.swiftName)) = \(SwiftNames.stringLiteral(member.key))") }
                out.append("        }")
                out.append("    }")
                out.append("")
            }
        }
        for field in fields {
            out += docComment(field.column.description, indent: "    ")
            out += SwiftComment.lines("\(SwiftComment.codeSpan(field.column.name)): \(field.column.type)\(field.column.nullable ? ", NULL when there is no value" : ", never NULL").", indent: "    ")
            out.append("    \(access) var \(SwiftNames.escaped(field.swiftName)): \(field.typeName)")
        }
        out.append("")
        out.append("    \(access) init(\(fields.map { "\(SwiftNames.escaped($0.swiftName)): \($0.typeName)" }.joined(separator: ", "))) {")
        for field in fields { out.append("        self.\(SwiftNames.escaped(field.swiftName)) = \(SwiftNames.escaped(field.swiftName))") }
        out.append("    }")
        out.append("")
        out.append("    /// Decodes a row selected with `view.selectList`, in that order.")
        out.append("    \(access) init(row: PostgresRow) throws {")
        out.append("        let columns = row.makeRandomAccess()")
        for (index, field) in fields.enumerated() {
            out.append("        self.\(SwiftNames.escaped(field.swiftName)) = try columns[\(index)].decode(\(field.typeName).self, context: .default)")
        }
        out.append("    }")
        out.append("")
        out.append("    enum CodingKeys: String, CodingKey {")
        for field in fields { out.append("        case \(SwiftNames.escaped(field.swiftName)) = \(SwiftNames.stringLiteral(field.column.name))") }
        out.append("    }")
        out.append("")
        out.append("    \(access) static let view = ViewDescriptor(")
        out.append("        schema: \(SwiftNames.stringLiteral(view.schema)),")
        out.append("        name: \(SwiftNames.stringLiteral(view.name)),")
        out.append("        selectList: [")
        for field in fields { out.append("            \(SwiftNames.stringLiteral(field.selectSQL)),") }
        out.append("        ],")
        out.append("        definingQuery: \(SwiftNames.stringLiteral(definingQuery, indent: "            ")),")
        out.append("        slowQueryMilliseconds: \(view.slowQueryMs ?? 100)")
        out.append("    )")
        out.append("}")
        out.append("")
        out += lookups(fields)
        return out.joined(separator: "\n") + "\n"
    }

    private func docComment(_ text: String?, indent: String) -> [String] {
        guard let text, !text.isEmpty else { return [] }
        return SwiftComment.lines(text, indent: indent)
    }

    /// `all`, and one lookup per index: `find(...)` for a unique index (one optional row) and
    /// `rows(...)` for another (an array). Partial indexes give none: their rows are a subset.
    private func lookups(_ fields: [Field]) -> [String] {
        var out = ["extension \(typeName) {"]
        out.append("    /// Every row of the view.")
        out.append("    \(access) static func all(on reader: ViewReader) async throws -> [\(typeName)] {")
        out.append("        try await reader.rows(\(typeName).self)")
        out.append("    }")
        var seen = Set<String>()
        for index in view.indexes where index.whereClause == nil {
            let parts = index.columns.compactMap { column in fields.first { $0.column.name == column.name.name } }
            guard parts.count == index.columns.count, !parts.contains(where: { $0.nested != nil }) else { continue }
            let signature = (index.unique ? "find:" : "rows:") + parts.map(\.swiftName).joined(separator: ",")
            guard seen.insert(signature).inserted else { continue }
            let parameters = parts.map { "\(SwiftNames.escaped($0.swiftName)): \($0.column.nullable ? String($0.typeName.dropLast()) : $0.typeName)" }.joined(separator: ", ")
            let filters = parts.map { "(\(SwiftNames.stringLiteral(SQLPrinter.identifier($0.column.name))), \(SwiftNames.escaped($0.swiftName)))" }.joined(separator: ", ")
            let columns = parts.map { SwiftComment.codeSpan($0.column.name) }.joined(separator: ", ")
            out.append("")
            if index.unique {
                out += SwiftComment.lines("The row with this \(columns), if any (unique index \(SwiftComment.codeSpan(index.name))).", indent: "    ")
                out.append("    \(access) static func find(\(parameters), on reader: ViewReader) async throws -> \(typeName)? {")
                out.append("        try await reader.rows(\(typeName).self, where: [\(filters)]).first")
            } else {
                out += SwiftComment.lines("The rows with this \(columns) (index \(SwiftComment.codeSpan(index.name))).", indent: "    ")
                out.append("    \(access) static func rows(\(parameters), on reader: ViewReader) async throws -> [\(typeName)] {")
                out.append("        try await reader.rows(\(typeName).self, where: [\(filters)])")
            }
            out.append("    }")
        }
        out.append("}")
        return out
    }
}

private extension Array where Element == String {
    func uniquedSorted() -> [String] { Array(Set(self)).sorted() }
}

import Foundation
import MatviewSema
import MatviewSyntax

/// Where the live database's tables differ from the schema files the specs were checked against.
///
/// Types and nullability in the checker, and the generated Swift, come from `specs/*.sql`; a
/// view built over a table that has drifted can hold what the generated code cannot decode (a
/// NULL in a non-optional field). So `apply` and `verify` compare every table and column the
/// views read (`ColumnsRead`) with the catalog: a table or column that is gone, a type that is
/// different (after normalising spellings, as the checker does: `varchar(80)` is `text`,
/// `int4` is `integer`), and a NOT NULL column that became nullable. The reverse (nullable in
/// the specs, NOT NULL live) is harmless and not reported.
public struct CatalogDrift: Sendable {
    public struct Difference: Sendable, Codable, Equatable, CustomStringConvertible {
        public enum Kind: String, Sendable, Codable {
            case missingTable, missingColumn, typeChanged, becameNullable
        }

        public var kind: Kind
        /// `schema.table` or `schema.table.column`.
        public var object: String
        /// One line: `public.users.name: NOT NULL in specs/schema.sql, nullable in the database`.
        public var description: String
    }

    /// The differences, tables in name order and columns in the schema file's order.
    public static func differences(for project: CheckedProject, on connection: LiveConnection) async throws -> [Difference] {
        let read = ColumnsRead(project).tables
        guard !read.isEmpty else { return [] }
        let names = read.keys.sorted()
        let schemas = names.map { SQLPrinter.literal($0.schema) }.joined(separator: ", ")
        let tables = names.map { SQLPrinter.literal($0.name) }.joined(separator: ", ")
        // A column of a domain is read as the checker reads it from CREATE DOMAIN: the base type
        // (through domains of domains and arrays of domains), NOT NULL when a domain is (not
        // for an array of it).
        let rows = try await connection.rows("""
            SELECT n.nspname::text, c.relname::text, a.attname::text, base.type,
                   (a.attnotnull OR (coalesce(base.not_null, false) AND t0.typcategory <> 'A'))::text
            FROM unnest(ARRAY[\(schemas)]::text[], ARRAY[\(tables)]::text[]) AS wanted(schema_name, table_name)
            JOIN pg_namespace n ON n.nspname = wanted.schema_name
            JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = wanted.table_name AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
            LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            LEFT JOIN pg_type t0 ON t0.oid = a.atttypid
            LEFT JOIN LATERAL (
                WITH RECURSIVE chain(type_oid, typmod, not_null, depth) AS (
                    SELECT CASE WHEN t0.typcategory = 'A' THEN t0.typelem ELSE a.atttypid END, a.atttypmod, false, 0
                    UNION ALL
                    SELECT t.typbasetype, CASE WHEN t.typtypmod <> -1 THEN t.typtypmod ELSE chain.typmod END,
                           chain.not_null OR t.typnotnull, chain.depth + 1
                    FROM chain JOIN pg_type t ON t.oid = chain.type_oid WHERE t.typtype = 'd'
                )
                SELECT format_type(type_oid, typmod) || CASE WHEN t0.typcategory = 'A' THEN '[]' ELSE '' END AS type,
                       bool_or(not_null) OVER () AS not_null
                FROM chain ORDER BY depth DESC LIMIT 1
            ) base ON true
            """)
        var live: [TableName: [String: (type: String, notNull: Bool)]] = [:]
        for row in rows {
            let table = TableName(schema: row[0] ?? "", name: row[1] ?? "")
            live[table, default: [:]] = live[table] ?? [:]
            if let column = row[2] ?? nil {
                live[table]?[column] = (row[3] ?? "", row[4] == "true")
            }
        }
        var differences: [Difference] = []
        for name in names {
            guard let table = project.catalog.table(name) else { continue }
            let qualified = "\(name.schema).\(name.name)"
            let file = table.location.file
            guard let columns = live[name] else {
                differences.append(Difference(kind: .missingTable, object: qualified, description: "\(qualified): in \(file), missing from the database"))
                continue
            }
            for column in table.columns where read[name]?.contains(column.name) == true {
                let object = "\(qualified).\(column.name)"
                guard let actual = columns[column.name] else {
                    differences.append(Difference(kind: .missingColumn, object: object, description: "\(object): in \(file), missing from the database"))
                    continue
                }
                if !Self.same(column.type, Self.sqlType(formatted: actual.type)) {
                    differences.append(Difference(kind: .typeChanged, object: object, description: "\(object): \(column.type) in \(file), \(actual.type) in the database"))
                }
                if column.notNull && !actual.notNull {
                    differences.append(Difference(kind: .becameNullable, object: object, description: "\(object): NOT NULL in \(file), nullable in the database"))
                }
            }
        }
        return differences
    }

    /// A type as `format_type()` prints it, read by the same type-name parser the DDL reader
    /// uses for the schema files (`timestamp with time zone`, `numeric(12,2)`, `character
    /// varying(80)`, `integer[]`, schema-qualified and quoted names), so both sides normalise alike.
    static func sqlType(formatted: String) -> SQLType {
        let source = SourceText(path: "format_type", text: formatted)
        switch Parser.parseWhole(formatted, locator: source, { try $0.typeName() }) {
        case .success(let name): return SQLType(name)
        case .failure: return .other(formatted)
        }
    }

    /// Equal types; names of types matview has no rules for are compared without schema or quotes.
    static func same(_ a: SQLType, _ b: SQLType) -> Bool {
        switch (a, b) {
        case (.array(let x), .array(let y)): return same(x, y)
        case (.other(let x), .other(let y)): return bare(x) == bare(y)
        default: return a == b
        }
    }

    private static func bare(_ name: String) -> String {
        String(name.split(separator: ".").last ?? "").replacingOccurrences(of: "\"", with: "").lowercased()
    }
}

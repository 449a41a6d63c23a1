import MatviewQuoting
import MatviewSema
import MatviewSyntax

/// Small helpers for writing SQL text: every name and string from a spec goes through these,
/// never into the output as it was typed.
package enum SQLText {
    package static func name(_ identifier: String) -> String { SQLPrinter.identifier(identifier) }

    package static func qualified(_ schema: String, _ name: String) -> String {
        "\(SQLPrinter.identifier(schema)).\(SQLPrinter.identifier(name))"
    }

    package static func qualified(_ table: TableName) -> String { qualified(table.schema, table.name) }

    package static func literal(_ text: String) -> String { SQLPrinter.literal(text) }

    package static func literal(_ value: String?) -> String { value.map(SQLPrinter.literal) ?? "NULL" }

    /// A text[] literal: ARRAY['a', 'b']::text[].
    package static func textArray(_ values: [String]) -> String {
        values.isEmpty ? "ARRAY[]::text[]" : "ARRAY[" + values.map(SQLPrinter.literal).joined(separator: ", ") + "]::text[]"
    }

    /// Dollar-quotes `body` with a tag that does not occur in it.
    package static func dollarQuoted(_ body: String, tag base: String = "matview") -> String {
        var tag = base
        var n = 0
        while ScalarText.contains("$\(tag)$", in: body) {
            n += 1
            tag = "\(base)\(n)"
        }
        return "$\(tag)$\(body)$\(tag)$"
    }

    /// `DO $tag$ body $tag$;` with a tag that does not occur in the body. Every DO block that
    /// carries names or text from specs or schema files goes through this: a fixed `$matview$`
    /// would end early at a view or table named `a$matview$b`, and run the rest as statements.
    package static func doBlock(_ body: String) -> String {
        "DO " + dollarQuoted("\n" + body + "\n", tag: "matview") + ";"
    }

    /// A deterministic name of at most 63 bytes: `prefix_<hash of seed>`.
    package static func hashedName(_ prefix: String, _ seed: String) -> String {
        "\(prefix)_\(StableHash.hex(seed, length: 16))"
    }
}

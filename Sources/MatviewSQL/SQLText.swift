import MatviewSema
import MatviewSyntax

/// Small helpers for writing SQL text: every name and string from a spec goes through these,
/// never into the output as it was typed.
enum SQLText {
    static func name(_ identifier: String) -> String { SQLPrinter.identifier(identifier) }

    static func qualified(_ schema: String, _ name: String) -> String {
        "\(SQLPrinter.identifier(schema)).\(SQLPrinter.identifier(name))"
    }

    static func qualified(_ table: TableName) -> String { qualified(table.schema, table.name) }

    static func literal(_ text: String) -> String { SQLPrinter.literal(text) }

    static func literal(_ value: String?) -> String { value.map(SQLPrinter.literal) ?? "NULL" }

    /// A text[] literal: ARRAY['a', 'b']::text[].
    static func textArray(_ values: [String]) -> String {
        values.isEmpty ? "ARRAY[]::text[]" : "ARRAY[" + values.map(SQLPrinter.literal).joined(separator: ", ") + "]::text[]"
    }

    /// Dollar-quotes `body` with a tag that does not occur in it.
    static func dollarQuoted(_ body: String, tag base: String = "matview") -> String {
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
    static func doBlock(_ body: String) -> String {
        "DO " + dollarQuoted("\n" + body + "\n", tag: "matview") + ";"
    }

    /// A deterministic name of at most 63 bytes: `prefix_<hash of seed>`.
    static func hashedName(_ prefix: String, _ seed: String) -> String {
        "\(prefix)_\(StableHash.hex(seed, length: 16))"
    }
}

/// FNV-1a over UTF-8, two lanes for 128 bits: stable across runs and platforms (Swift's Hasher
/// is seeded per process, so it cannot be used for anything written to disk).
enum StableHash {
    static func hex(_ text: String, length: Int = 32) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x84222325_cbf29ce4
        for byte in text.utf8 {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 &+ 0x9e37_79b9_7f4a_7c15
        }
        let full = String(format64(a) + format64(b))
        return String(full.prefix(length))
    }

    /// The first lane alone, for numeric keys (advisory locks).
    static func uint64(_ text: String) -> UInt64 {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return a
    }

    private static func format64(_ value: UInt64) -> String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}

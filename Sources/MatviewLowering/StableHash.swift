/// FNV-1a over UTF-8, two lanes for 128 bits: stable across runs and platforms (Swift's Hasher
/// is seeded per process, so it cannot be used for anything written to disk).
package enum StableHash {
    package static func hex(_ text: String, length: Int = 32) -> String {
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
    package static func uint64(_ text: String) -> UInt64 {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return a
    }

    private static func format64(_ value: UInt64) -> String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}

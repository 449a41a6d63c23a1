/// Search and replace by Unicode scalars, for escaping user text into generated SQL and Swift.
///
/// Foundation's `contains` and `replacingOccurrences` on String compare composed characters: a
/// `'` followed by a combining mark (`'\u{301}`) is not found, so `SQLPrinter.literal` left that
/// quote undoubled and the literal ended early. PostgreSQL, format() and Swift read scalars, so
/// escaping must too. They were also the generator's main cost (an NSString search and copy of
/// every query, even with nothing to replace).
public enum ScalarText {
    /// `text` with every `target` (an ASCII character) replaced; `text` itself when there is none.
    public static func replacing(_ target: Unicode.Scalar, with replacement: String, in text: String) -> String {
        precondition(target.isASCII, "ScalarText.replacing searches UTF-8 bytes: ASCII targets only")
        let byte = UInt8(target.value)
        guard text.utf8.contains(byte) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        var start = text.startIndex
        var i = text.startIndex
        while i < text.endIndex {
            // An ASCII byte never occurs inside a multi-byte scalar, so `i` is a scalar boundary.
            if text.utf8[i] == byte {
                out += Substring(text.unicodeScalars[start..<i])
                out += replacement
                start = text.utf8.index(after: i)
            }
            i = text.utf8.index(after: i)
        }
        out += Substring(text.unicodeScalars[start...])
        return out
    }

    /// Whether `text` holds `other`'s scalars in sequence (UTF-8 is self-synchronizing, so a byte
    /// match is a scalar match). A plain loop: the standard library's generic `firstRange(of:)`
    /// took 4x Foundation's time here.
    public static func contains(_ other: String, in text: String) -> Bool {
        let needle = Array(other.utf8)
        guard let first = needle.first else { return true }
        func search(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            guard bytes.count >= needle.count else { return false }
            var i = 0
            while i <= bytes.count - needle.count {
                if bytes[i] == first {
                    var j = 1
                    while j < needle.count && bytes[i + j] == needle[j] { j += 1 }
                    if j == needle.count { return true }
                }
                i += 1
            }
            return false
        }
        return text.utf8.withContiguousStorageIfAvailable(search) ?? Array(text.utf8).withUnsafeBufferPointer(search)
    }
}

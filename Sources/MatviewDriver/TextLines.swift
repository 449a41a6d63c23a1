import Foundation

/// A text split into lines, kept as UTF-8 bytes for the diff: splitting, comparing and hashing
/// bytes is several times faster than `String`'s Unicode-aware operations, which would dominate
/// a diff of a large generated file.
struct TextLines {
    let bytes: [UInt8]
    /// Byte ranges of the lines, without their newlines.
    let lines: [Range<Int>]
    /// The text does not end with a newline, so its last line has none (diff marks it).
    let lastLineUnterminated: Bool

    var count: Int { lines.count }

    init(_ text: String) {
        bytes = Array(text.utf8)
        var lines: [Range<Int>] = []
        var start = 0
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            lines.append(start..<offset)
            start = offset + 1
        }
        lastLineUnterminated = start < bytes.count
        if lastLineUnterminated { lines.append(start..<bytes.count) }
        self.lines = lines
    }

    func isUnterminated(_ index: Int) -> Bool {
        lastLineUnterminated && index == lines.count - 1
    }

    /// Line `index` of this text equals line `otherIndex` of `other`, newline included: a last
    /// line without a newline differs from the same text with one.
    func line(_ index: Int, equals other: TextLines, _ otherIndex: Int) -> Bool {
        let range = lines[index], otherRange = other.lines[otherIndex]
        guard range.count == otherRange.count, isUnterminated(index) == other.isUnterminated(otherIndex) else { return false }
        return bytes.withUnsafeBytes { mine in
            other.bytes.withUnsafeBytes { theirs in
                range.isEmpty || memcmp(mine.baseAddress! + range.lowerBound, theirs.baseAddress! + otherRange.lowerBound, range.count) == 0
            }
        }
    }

    /// The given lines of `a` and `b` as integer keys: equal lines, equal keys.
    static func keys(_ a: TextLines, _ aLines: Range<Int>, _ b: TextLines, _ bLines: Range<Int>) -> (old: [Int], new: [Int]) {
        var interned: [LineBytes: Int] = [:]
        interned.reserveCapacity(aLines.count + bLines.count)
        return a.bytes.withUnsafeBytes { aBytes in
            b.bytes.withUnsafeBytes { bBytes in
                (a.keys(aLines, in: aBytes, interning: &interned), b.keys(bLines, in: bBytes, interning: &interned))
            }
        }
    }

    private func keys(_ indices: Range<Int>, in buffer: UnsafeRawBufferPointer, interning interned: inout [LineBytes: Int]) -> [Int] {
        var keys: [Int] = []
        keys.reserveCapacity(indices.count)
        for index in indices {
            let line = LineBytes(bytes: UnsafeRawBufferPointer(rebasing: buffer[lines[index]]), unterminated: isUnterminated(index))
            if let key = interned[line] {
                keys.append(key)
            } else {
                keys.append(interned.count)
                interned[line] = interned.count
            }
        }
        return keys
    }

    /// The line as diff prints it: a one-character prefix, the text, and the newline (or diff's
    /// marker for a last line without one).
    func rendered(_ index: Int, prefix: String) -> String {
        let end = isUnterminated(index) ? "\n\\ No newline at end of file\n" : "\n"
        return prefix + String(decoding: bytes[lines[index]], as: UTF8.self) + end
    }
}

/// One line's bytes as a dictionary key, hashed and compared in bulk. Valid only while the buffer
/// it points into is (inside `TextLines.keys`).
private struct LineBytes: Hashable {
    let bytes: UnsafeRawBufferPointer
    let unterminated: Bool

    static func == (lhs: LineBytes, rhs: LineBytes) -> Bool {
        lhs.unterminated == rhs.unterminated && lhs.bytes.count == rhs.bytes.count
            && (lhs.bytes.isEmpty || memcmp(lhs.bytes.baseAddress!, rhs.bytes.baseAddress!, lhs.bytes.count) == 0)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(bytes: bytes)
        hasher.combine(unterminated)
    }
}

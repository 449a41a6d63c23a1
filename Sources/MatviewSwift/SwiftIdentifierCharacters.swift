/// The characters Swift accepts in identifiers, from The Swift Programming Language's grammar
/// ("Lexical Structure: Identifiers"). Anything else in a view or column name (quotes, `$`,
/// punctuation, symbols, emoji) splits words instead of reaching the generated source.
enum SwiftIdentifierCharacters {
    /// identifier-head: letters and the listed ranges; digits and combining marks may not start.
    static func isHead(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if (0x41...0x5A).contains(v) || (0x61...0x7A).contains(v) || v == 0x5F { return true }
        return headRanges.contains { $0.contains(v) }
    }

    /// identifier-character: a head, a digit, or a combining mark.
    static func isCharacter(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if (0x30...0x39).contains(v) { return true }
        if [0x0300...0x036F, 0x1DC0...0x1DFF, 0x20D0...0x20FF, 0xFE20...0xFE2F].contains(where: { $0.contains(v) }) { return true }
        return isHead(scalar)
    }

    /// The grammar's non-ASCII head ranges, minus the invisible formatting characters it allows
    /// (zero-width spaces U+200B–U+200D, bidirectional overrides U+202A–U+202E and U+2060–U+206F):
    /// they would make two names that look the same differ.
    private static let headRanges: [ClosedRange<UInt32>] = [
        0xA8...0xA8, 0xAA...0xAA, 0xAD...0xAD, 0xAF...0xAF, 0xB2...0xB5, 0xB7...0xBA, 0xBC...0xBE, 0xC0...0xD6, 0xD8...0xF6,
        0xF8...0xFF, 0x100...0x2FF, 0x370...0x167F, 0x1681...0x180D, 0x180F...0x1DBF, 0x1E00...0x1FFF,
        0x203F...0x2040, 0x2054...0x2054, 0x2070...0x20CF, 0x2100...0x218F, 0x2460...0x24FF,
        0x2776...0x2793, 0x2C00...0x2DFF, 0x2E80...0x2FFF, 0x3004...0x3007, 0x3021...0x302F, 0x3031...0x303F, 0x3040...0xD7FF,
        0xF900...0xFD3D, 0xFD40...0xFDCF, 0xFDF0...0xFE1F, 0xFE30...0xFE44, 0xFE47...0xFFFD,
        0x10000...0x1FFFD, 0x20000...0x2FFFD, 0x30000...0x3FFFD, 0x40000...0x4FFFD, 0x50000...0x5FFFD, 0x60000...0x6FFFD,
        0x70000...0x7FFFD, 0x80000...0x8FFFD, 0x90000...0x9FFFD, 0xA0000...0xAFFFD, 0xB0000...0xBFFFD, 0xC0000...0xCFFFD,
        0xD0000...0xDFFFD, 0xE0000...0xEFFFD,
    ]
}

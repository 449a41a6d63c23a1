/// Maps each Unicode scalar of a YAML scalar's *value* back to its position in the file.
///
/// YAML changes text on the way in: quotes are removed, `''` and `\"` escapes are decoded, lines
/// are folded and block scalars lose their indentation. Yams only gives the node's start mark, so
/// we align the decoded value against the raw text after that mark: every value scalar is found,
/// in order, in the raw text (the value is a subsequence of it except for escapes, which are
/// matched by their backslash). That keeps `line:column` right inside multi-line and quoted
/// expressions without re-implementing a YAML scanner.
public struct ScalarSourceMap: Sendable {
    public let file: String
    private let positions: [SourceLocation]
    private let fallback: SourceLocation

    /// A map that puts every offset at one place (for values that did not come from a file).
    public init(fixed location: SourceLocation) {
        self.file = location.file
        self.positions = []
        self.fallback = location
    }

    public init(value: String, startOffset: Int, in source: SourceText, doubleQuoted: Bool) {
        self.file = source.path
        let raw = source.scalars
        var positions: [SourceLocation] = []
        positions.reserveCapacity(value.unicodeScalars.count + 1)
        var cursor = startOffset
        var lastFound = startOffset
        for scalar in value.unicodeScalars {
            var found: Int?
            var probe = cursor
            // Look ahead a bounded distance; folding and indentation never skip far.
            let limit = min(raw.count, cursor + 4096)
            while probe < limit {
                let r = raw[probe]
                if r == scalar { found = probe; cursor = probe + 1; break }
                if doubleQuoted && r == "\\" && probe + 1 < raw.count && scalar != "\\" {
                    // An escape sequence stands for this scalar: point at the backslash.
                    if Self.escape(raw[probe + 1], produces: scalar) {
                        found = probe
                        cursor = Self.endOfEscape(in: raw, at: probe)
                        break
                    }
                }
                if (scalar == " " || scalar == "\n") && (r == "\n" || r == "\r") {
                    found = probe; cursor = probe + 1; break
                }
                probe += 1
            }
            if let found {
                lastFound = found
                positions.append(source.location(ofOffset: found))
            } else {
                positions.append(source.location(ofOffset: lastFound))
            }
        }
        // The end of the value is just after its last visible character: a block scalar's
        // trailing newline must not move "end of expression" onto the next YAML key.
        let scalars = Array(value.unicodeScalars)
        if let last = scalars.lastIndex(where: { $0 != "\n" && $0 != "\r" }), last + 1 < scalars.count {
            var end = positions[last]
            end.column += 1
            positions.append(end)
        } else {
            positions.append(source.location(ofOffset: min(cursor, raw.count)))
        }
        self.positions = positions
        self.fallback = source.location(ofOffset: startOffset)
    }

    /// The location of the value scalar at `offset`; the end of the value for offsets past it.
    public func location(at offset: Int) -> SourceLocation {
        guard !positions.isEmpty else { return fallback }
        return positions[max(0, min(offset, positions.count - 1))]
    }

    private static func escape(_ letter: Unicode.Scalar, produces scalar: Unicode.Scalar) -> Bool {
        switch letter {
        case "n": scalar == "\n"
        case "t": scalar == "\t"
        case "r": scalar == "\r"
        case "0": scalar == "\0"
        case "\"": scalar == "\""
        case "/": scalar == "/"
        case "x", "u", "U": true
        default: false
        }
    }

    private static func endOfEscape(in raw: [Unicode.Scalar], at backslash: Int) -> Int {
        let letter = raw[backslash + 1]
        let digits: Int
        switch letter {
        case "x": digits = 2
        case "u": digits = 4
        case "U": digits = 8
        default: digits = 0
        }
        return min(raw.count, backslash + 2 + digits)
    }
}

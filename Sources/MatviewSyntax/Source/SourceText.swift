/// A file's text as Unicode scalars with line starts, so offsets become `line:column` cheaply.
public struct SourceText: Sendable {
    public let path: String
    public let scalars: [Unicode.Scalar]
    /// Offset of the first scalar of each line.
    private let lineStarts: [Int]

    public init(path: String, text: String) {
        self.path = path
        let scalars = Array(text.unicodeScalars)
        self.scalars = scalars
        // Line breaks as YAML (libyaml) counts them: LF, CRLF, a lone CR, NEL, LS and PS.
        var starts = [0]
        for (index, scalar) in scalars.enumerated() {
            switch scalar {
            case "\n", "\u{85}", "\u{2028}", "\u{2029}":
                starts.append(index + 1)
            case "\r" where index + 1 >= scalars.count || scalars[index + 1] != "\n":
                starts.append(index + 1)
            default:
                break
            }
        }
        self.lineStarts = starts
    }

    public var text: String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars)
        return String(s)
    }

    /// The location of the scalar at `offset` (clamped to the text).
    public func location(ofOffset offset: Int) -> SourceLocation {
        let offset = max(0, min(offset, scalars.count))
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return SourceLocation(file: path, line: low + 1, column: offset - lineStarts[low] + 1)
    }

    /// The offset of a 1-based line and column (clamped to the text).
    public func offset(line: Int, column: Int) -> Int {
        guard line >= 1 else { return 0 }
        guard line <= lineStarts.count else { return scalars.count }
        return min(lineStarts[line - 1] + max(column - 1, 0), scalars.count)
    }

    public var lineCount: Int { lineStarts.count }

    /// The text of a 1-based line without its newline.
    public func line(_ number: Int) -> Substring {
        guard number >= 1, number <= lineStarts.count else { return "" }
        let start = lineStarts[number - 1]
        let end = number < lineStarts.count ? lineStarts[number] - 1 : scalars.count
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars[start..<max(start, end)])
        if s.last == "\r" { s.removeLast() }
        return Substring(String(s))
    }
}

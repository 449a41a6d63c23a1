import Yams

/// A YAML file composed into Yams nodes, with helpers that turn nodes into located values and
/// record a diagnostic (never throw) when a node has the wrong shape.
public struct YAMLDocument {
    public let source: SourceText
    public let root: Node?
    public var diagnostics = DiagnosticBag()

    public init(path: String, text: String) {
        self.source = SourceText(path: path, text: text)
        do {
            // UTF-8 named here: Yams's default reads the whole environment on every call (7% of
            // `check`), and YAMS_DEFAULT_ENCODING=UTF16 would make it print to standard output.
            self.root = try Yams.compose(yaml: text, .default, .default, .utf8)
        } catch let error as YamlError {
            self.root = nil
            diagnostics.append(Self.diagnostic(for: error, in: source))
        } catch {
            self.root = nil
            diagnostics.append(.error(.yamlSyntax, at: SourceLocation(file: path, line: 1, column: 1), "cannot read YAML: \(error)"))
        }
    }

    // MARK: - Locations

    public func location(of node: Node) -> SourceLocation {
        guard let mark = node.mark else { return SourceLocation(file: source.path, line: 1, column: 1) }
        return Self.location(line: mark.line, column: mark.column, in: source)
    }

    /// A libyaml position as a location inside the text: libyaml puts the end of input on the
    /// line after the last one, so positions past the text move to the end of its last line
    /// with text (or 1:1 in an empty file).
    static func location(line: Int, column: Int, in source: SourceText) -> SourceLocation {
        let offset = source.offset(line: max(line, 1), column: max(column, 1))
        let beyondText = offset >= source.scalars.count || source.scalars[offset...].allSatisfy { $0.properties.isWhitespace }
        if beyondText {
            if let last = source.scalars.lastIndex(where: { !$0.properties.isWhitespace }) {
                return source.location(ofOffset: last + 1)
            }
            return SourceLocation(file: source.path, line: 1, column: 1)
        }
        return SourceLocation(file: source.path, line: max(line, 1), column: max(column, 1))
    }

    /// Maps offsets in a scalar's value back into the file (see `ScalarSourceMap`).
    public func valueMap(of node: Node) -> ScalarSourceMap {
        guard case .scalar(let scalar) = node, let mark = scalar.mark else {
            return ScalarSourceMap(fixed: location(of: node))
        }
        // The mark is the scalar's first raw character: skip what is not part of the value, so the
        // value's first character is not matched against an opening quote or a block header
        // (`|-`, `>2`, `| # comment`).
        var start = source.offset(line: mark.line, column: mark.column)
        switch scalar.style {
        case .singleQuoted, .doubleQuoted:
            start = min(start + 1, source.scalars.count)
        case .literal, .folded:
            while start < source.scalars.count, source.scalars[start] != "\n" { start += 1 }
            start = min(start + 1, source.scalars.count)
        default:
            break
        }
        return ScalarSourceMap(value: scalar.string, startOffset: start, in: source, doubleQuoted: scalar.style == .doubleQuoted)
    }

    // MARK: - Shapes

    public mutating func mapping(_ node: Node, _ what: String) -> [(key: Located<String>, value: Node)]? {
        guard case .mapping(let mapping) = node else {
            diagnostics.append(.error(.invalidValue, at: location(of: node), "\(what) must be a mapping of keys to values, found \(Self.shape(of: node))"))
            return nil
        }
        var pairs: [(key: Located<String>, value: Node)] = []
        for (key, value) in mapping {
            guard case .scalar(let k) = key else {
                diagnostics.append(.error(.invalidValue, at: location(of: key), "keys in \(what) must be plain names"))
                continue
            }
            pairs.append((Located(k.string, at: location(of: key)), value))
        }
        return pairs
    }

    public mutating func sequence(_ node: Node, _ what: String) -> [Node]? {
        if case .sequence(let items) = node { return Array(items) }
        diagnostics.append(.error(.invalidValue, at: location(of: node), "\(what) must be a list, found \(Self.shape(of: node))"))
        return nil
    }

    public mutating func string(_ node: Node, _ what: String) -> Located<String>? {
        guard case .scalar(let scalar) = node else {
            diagnostics.append(.error(.invalidValue, at: location(of: node), "\(what) must be a string, found \(Self.shape(of: node))"))
            return nil
        }
        return Located(scalar.string, at: location(of: node))
    }

    /// A string, or a list of strings; a single string stands for a one-item list.
    public mutating func strings(_ node: Node, _ what: String) -> [Located<String>] {
        if case .scalar = node { return string(node, what).map { [$0] } ?? [] }
        guard let items = sequence(node, what) else { return [] }
        return items.compactMap { string($0, "each item of \(what)") }
    }

    public mutating func bool(_ node: Node, _ what: String) -> Located<Bool>? {
        if case .scalar(let scalar) = node, scalar.style == .plain {
            let word = scalar.string.lowercased()
            if ValueShape.booleanWords.true.contains(word) { return Located(true, at: location(of: node)) }
            if ValueShape.booleanWords.false.contains(word) { return Located(false, at: location(of: node)) }
        }
        diagnostics.append(.error(.invalidValue, at: location(of: node), "\(what) must be true or false, found \(Self.describe(node))"))
        return nil
    }

    public mutating func integer(_ node: Node, _ what: String, minimum: Int = 0) -> Located<Int>? {
        if case .scalar(let scalar) = node, scalar.style == .plain, let value = Int(scalar.string), value >= minimum {
            return Located(value, at: location(of: node))
        }
        diagnostics.append(.error(.invalidValue, at: location(of: node), "\(what) must be a whole number of at least \(minimum), found \(Self.describe(node))"))
        return nil
    }

    /// Reports keys outside `allowed`, suggesting the nearest known key.
    public mutating func rejectUnknownKeys(_ pairs: [(key: Located<String>, value: Node)], allowed: [String], in what: String) {
        for (key, _) in pairs where !allowed.contains(key.value) {
            let suggestion = Spelling.nearest(to: key.value, in: allowed)
            diagnostics.append(.error(.unknownKey, at: key.location, "unknown key '\(key.value)' in \(what)",
                                      hint: suggestion.map { "did you mean '\($0)'?" } ?? "known keys: \(allowed.joined(separator: ", "))"))
        }
    }

    // MARK: - Describing

    static func shape(of node: Node) -> String {
        switch node {
        case .scalar: "a single value"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    static func describe(_ node: Node) -> String {
        if case .scalar(let s) = node { return "'\(s.string)'" }
        return shape(of: node)
    }

    // MARK: - Errors from Yams

    static func diagnostic(for error: YamlError, in source: SourceText) -> Diagnostic {
        // libyaml reports errors at the end of input on the line after the last one; point at
        // the end of the last line with text instead.
        func at(_ mark: Mark) -> SourceLocation {
            location(line: mark.line, column: mark.column, in: source)
        }
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let message = context.map { "\(problem) (\($0.text) at line \($0.mark.line))" } ?? problem
            return .error(.yamlSyntax, at: at(mark), "invalid YAML: \(message)")
        case .reader(let problem, let offset, _, _):
            let location = source.location(ofOffset: offset ?? 0)
            return .error(.yamlSyntax, at: location, "invalid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? "?"
            return DuplicateKeyLocator(source: source).diagnostic(key: key, firstAt: at(context.mark))
        default:
            return .error(.yamlSyntax, at: source.location(ofOffset: 0), "invalid YAML: \(error)")
        }
    }
}

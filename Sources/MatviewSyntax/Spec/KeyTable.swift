/// The keys one YAML mapping of a spec or of `matview.yaml` may have, with what each means and
/// the shape of its value. The readers take their list of known keys from these tables (so an
/// unknown key is reported from the same list), and `matview schema` writes its JSON Schemas
/// from them (so the editor's completions and the checker cannot disagree about a key).
public struct KeyTable: Sendable {
    /// The table's name in the JSON Schema's `$defs`, e.g. `refresh`.
    public let name: String
    public let description: String
    public let keys: [Key]
    /// What the checker requires beyond each key's own shape; only the schema reads these, the
    /// readers and checker enforce them in code (the end-to-end cases keep the two in step).
    public let rules: [Rule]

    public init(name: String, description: String, keys: [Key], rules: [Rule] = []) {
        self.name = name
        self.description = description
        self.keys = keys
        self.rules = rules
    }

    /// The key names in the table's order, which is the order "known keys: ..." hints list them.
    public var names: [String] { keys.map(\.name) }

    public struct Key: Sendable {
        public let name: String
        public let description: String
        public let shape: ValueShape
        public let required: Bool

        public init(_ name: String, _ shape: ValueShape, required: Bool = false, _ description: String) {
            self.name = name
            self.description = description
            self.shape = shape
            self.required = required
        }
    }

    /// A key present, and when `values` is given, with one of those values.
    public struct Condition: Sendable {
        public let key: String
        public let values: [String]?

        public init(_ key: String, is values: [String]? = nil) {
            self.key = key
            self.values = values
        }
    }

    public enum Rule: Sendable {
        /// Exactly one of these keys (a join's kind).
        case exactlyOne(of: [String])
        /// When the second condition holds, the first must hold too.
        case requires(Condition, when: Condition)
        /// When the condition holds, the key must be absent.
        case forbids(String, when: Condition)
    }
}

/// The shape of a value as the readers accept it, short forms included.
public indirect enum ValueShape: Sendable {
    /// Text (a name, a description, a path).
    case text
    /// Text with limits the reader checks (`postgres.support_schema`, `postgres.monitoring_role`).
    case limitedText(TextLimits)
    /// An SQL expression. YAML reads `true` or `1` as a boolean or a number; the reader takes
    /// any single value as the expression's text.
    case expression
    /// true or false; YAML 1.1's `yes`/`no`/`on`/`off` too (see `booleanWords`).
    case boolean
    case wholeNumber(minimum: Int)
    /// A duration (`DurationText`): seconds as a number, or `30s`, `10m`, `1h30m`, `1d`.
    case duration
    /// A pg_cron schedule, checked in full by the checker (`CronSchedule`).
    case cronSchedule
    /// One of a closed set of words.
    case choice([String], caseSensitive: Bool)
    /// A value, or a list of them: a single value stands for a one-item list.
    case oneOrList(ValueShape, minimumCount: Int)
    case list(ValueShape)
    /// A mapping with the keys of the named table.
    case table(String)
    /// A mapping from names the user chooses (CTEs, output columns) to values.
    case namedEntries(ValueShape, minimumCount: Int)
    /// Any one of these shapes.
    case either([ValueShape])

    /// The words `YAMLDocument.bool` reads (case-insensitively, unquoted).
    public static let booleanWords: (true: [String], false: [String]) = (["true", "yes", "on"], ["false", "no", "off"])
}

/// What text the reader accepts beyond being text. `pattern` is a regular expression in the
/// syntax JSON Schema uses (ECMA 262), for the schema only: the reader checks in code.
public struct TextLimits: Sendable {
    public let pattern: String?
    public let minimumLength: Int?
    public let maximumLength: Int?
    /// Values that have the right form but are not allowed (`public` as a role).
    public let excluded: [String]

    public init(pattern: String? = nil, minimumLength: Int? = nil, maximumLength: Int? = nil, excluded: [String] = []) {
        self.pattern = pattern
        self.minimumLength = minimumLength
        self.maximumLength = maximumLength
        self.excluded = excluded
    }
}

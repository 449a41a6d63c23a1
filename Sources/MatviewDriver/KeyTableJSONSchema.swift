import MatviewSyntax

/// The JSON Schemas (draft 2020-12) that `matview schema` prints, written from the key tables the
/// readers use (SpecKeys, ProjectConfigKeys): every key with its description, closed sets as
/// enums, and the readers' short forms. Editors use them for completion and inline errors
/// (`# yaml-language-server: $schema=...`); `matview check` remains the full check (expressions,
/// names, cron fields, and everything that needs the tables).
public enum KeyTableJSONSchema {
    public static let dialect = "https://json-schema.org/draft/2020-12/schema"

    /// The schema of a view spec file.
    public static var spec: JSONValue {
        schema(root: SpecKeys.viewSpec, tables: SpecKeys.all, title: "matview view spec")
    }

    /// The schema of `matview.yaml`.
    public static var config: JSONValue {
        schema(root: ProjectConfigKeys.root, tables: ProjectConfigKeys.all, title: "matview.yaml")
    }

    /// The schema as printed: pretty, keys sorted, ending with a newline.
    public static func text(_ schema: JSONValue) throws -> String {
        try JSON.encode(schema) + "\n"
    }

    /// The root table at the top of the document, every other table under `$defs` by its name.
    static func schema(root: KeyTable, tables: [KeyTable], title: String) -> JSONValue {
        var document = object(root)
        document["$schema"] = .string(dialect)
        document["title"] = .string(title)
        let definitions = tables.filter { $0.name != root.name }.map { ($0.name, JSONValue.object(object($0))) }
        if !definitions.isEmpty {
            document["$defs"] = .object(Dictionary(definitions, uniquingKeysWith: { first, _ in first }))
        }
        return .object(document)
    }

    static func object(_ table: KeyTable) -> [String: JSONValue] {
        var properties: [String: JSONValue] = [:]
        for key in table.keys {
            var property = shape(key.shape)
            property["description"] = .string(key.description)
            properties[key.name] = .object(property)
        }
        var object: [String: JSONValue] = [
            "type": "object",
            "description": .string(table.description),
            "properties": .object(properties),
            "additionalProperties": .bool(false),
        ]
        let required = table.keys.filter(\.required).map { JSONValue.string($0.name) }
        if !required.isEmpty { object["required"] = .array(required) }
        if !table.rules.isEmpty { object["allOf"] = .array(table.rules.map(rule)) }
        return object
    }

    static func rule(_ rule: KeyTable.Rule) -> JSONValue {
        switch rule {
        case .exactlyOne(let keys):
            return ["oneOf": .array(keys.map { ["required": [.string($0)]] })]
        case .requires(let requirement, let condition):
            return ["if": .object(holds(condition)), "then": .object(holds(requirement))]
        case .forbids(let key, let condition):
            return ["if": .object(holds(condition)), "then": ["not": ["required": [.string(key)]]]]
        }
    }

    /// "The key is present (with one of the values)".
    static func holds(_ condition: KeyTable.Condition) -> [String: JSONValue] {
        var schema: [String: JSONValue] = ["required": [.string(condition.key)]]
        if let values = condition.values {
            schema["properties"] = .object([condition.key: ["enum": .array(values.map(JSONValue.string))]])
        }
        return schema
    }

    static func shape(_ shape: ValueShape) -> [String: JSONValue] {
        switch shape {
        case .text:
            return ["type": "string"]
        case .limitedText(let limits):
            var schema: [String: JSONValue] = ["type": "string"]
            if let pattern = limits.pattern { schema["pattern"] = .string(pattern) }
            if let minimum = limits.minimumLength { schema["minLength"] = .integer(minimum) }
            if let maximum = limits.maximumLength { schema["maxLength"] = .integer(maximum) }
            if !limits.excluded.isEmpty { schema["not"] = ["enum": .array(limits.excluded.map(JSONValue.string))] }
            return schema
        case .expression:
            return ["type": ["string", "number", "boolean"]]
        case .boolean:
            // YAML 1.2 readers (editors, check-jsonschema) see `yes` as a string; matview's reads
            // it as YAML 1.1 does.
            let words = ValueShape.booleanWords.true + ValueShape.booleanWords.false
            return ["anyOf": [["type": "boolean"], ["type": "string", "pattern": .string("^" + caseInsensitive(words) + "$")]]]
        case .wholeNumber(let minimum):
            return ["type": "integer", "minimum": .integer(minimum)]
        case .duration:
            // DurationText: plain seconds, or numbers each followed by s, m, h or d.
            return ["anyOf": [["type": "integer", "minimum": 0],
                              ["type": "string", "pattern": "^[ \\t]*(\\+?[0-9]+|([0-9]+[smhd])+)[ \\t]*$"]]]
        case .cronSchedule:
            // The form only, as the description says: CronExpression checks each field's values.
            let field = "[0-9A-Za-z*,/$-]+"
            let seconds = "[0-9]+ +" + caseInsensitive(["seconds", "second"])
            return ["type": "string", "pattern": .string("^[ \\t]*(@[A-Za-z]+|\(seconds)|\(field)( +\(field)){4})[ \\t]*$")]
        case .choice(let words, let caseSensitive):
            let values: [String: JSONValue] = ["type": "string", "enum": .array(words.map(JSONValue.string))]
            if caseSensitive { return values }
            // The enum gives editors the completions; the pattern admits other capitalisations.
            return ["anyOf": [.object(values), ["type": "string", "pattern": .string("^" + caseInsensitive(words) + "$")]]]
        case .oneOrList(let item, let minimumCount):
            var list: [String: JSONValue] = ["type": "array", "items": .object(self.shape(item))]
            if minimumCount > 0 { list["minItems"] = .integer(minimumCount) }
            return ["anyOf": [.object(self.shape(item)), .object(list)]]
        case .list(let item):
            return ["type": "array", "items": .object(self.shape(item))]
        case .table(let name):
            return ["$ref": .string("#/$defs/\(name)")]
        case .namedEntries(let value, let minimumCount):
            var object: [String: JSONValue] = ["type": "object", "additionalProperties": .object(self.shape(value))]
            if minimumCount > 0 { object["minProperties"] = .integer(minimumCount) }
            return object
        case .either(let shapes):
            return ["anyOf": .array(shapes.map { .object(self.shape($0)) })]
        }
    }

    /// A group matching any of `words` in any capitalisation (`([bB][tT]...|...)`):
    /// JSON Schema's patterns have no case-insensitive flag.
    static func caseInsensitive(_ words: [String]) -> String {
        let alternatives = words.map { word in
            word.map { character -> String in
                let lower = character.lowercased(), upper = character.uppercased()
                return lower == upper ? String(character) : "[\(lower)\(upper)]"
            }.joined()
        }
        return "(" + alternatives.joined(separator: "|") + ")"
    }
}

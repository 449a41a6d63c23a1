import Foundation

/// The one way matview prints JSON: pretty, with sorted keys, so the same value gives the same
/// bytes. Encoding errors are thrown to the command, which reports them; never a silent `[]`.
public enum JSON {
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

import NIOCore
import PostgresNIO

/// PostgreSQL's `interval`, which postgres-nio cannot decode: months, days and microseconds kept
/// apart as PostgreSQL keeps them (a month is not a fixed number of days), read from the binary
/// format. `seconds` gives a duration where months count 30 days and days 24 hours, as
/// `extract(epoch from interval)` does.
public struct MatviewInterval: Sendable, Hashable, Codable, PostgresDecodable {
    public var months: Int32
    public var days: Int32
    public var microseconds: Int64

    public init(months: Int32 = 0, days: Int32 = 0, microseconds: Int64 = 0) {
        self.months = months
        self.days = days
        self.microseconds = microseconds
    }

    /// Seconds as `extract(epoch from ...)` counts them.
    public var seconds: Double {
        Double(months) * 30 * 86_400 + Double(days) * 86_400 + Double(microseconds) / 1_000_000
    }

    public init<JSONDecoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat, context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        guard type == .interval else { throw PostgresDecodingError.Code.typeMismatch }
        switch format {
        case .binary:
            guard let microseconds = buffer.readInteger(as: Int64.self),
                  let days = buffer.readInteger(as: Int32.self),
                  let months = buffer.readInteger(as: Int32.self) else {
                throw PostgresDecodingError.Code.failure
            }
            self.init(months: months, days: days, microseconds: microseconds)
        case .text:
            // Only the binary format is requested by postgres-nio for query results.
            throw PostgresDecodingError.Code.failure
        }
    }
}

import Foundation

/// Dates as UTC text for tooltips and axis labels, computed by hand.
///
/// DateFormatter depends on the process's locale and calendar settings and is slow enough to
/// matter when a chart labels hundreds of points; the civil-date arithmetic below (Howard
/// Hinnant's days-to-civil algorithm) is exact for the proleptic Gregorian calendar, needs no
/// time zone database and gives the same bytes on every machine.
public enum UTCTime {
    public struct Fields: Sendable, Equatable {
        public var year: Int
        public var month: Int
        public var day: Int
        public var hour: Int
        public var minute: Int
        public var second: Int
    }

    /// The calendar fields of `date` in UTC (the second rounded down).
    public static func fields(_ date: Date) -> Fields {
        var t = date.timeIntervalSince1970
        // Keep absurd dates convertible to Int64 instead of trapping; ±1e15 s is ±31 million years.
        if !t.isFinite { t = 0 }
        t = min(max(t, -1e15), 1e15)
        let seconds = Int64(t.rounded(.down))
        let days = floorDivide(seconds, 86_400)
        let secondOfDay = Int(seconds - days * 86_400)
        let z = days + 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return Fields(
            year: Int(year), month: Int(month), day: Int(day),
            hour: secondOfDay / 3600, minute: secondOfDay / 60 % 60, second: secondOfDay % 60
        )
    }

    /// `yyyy-MM-dd HH:mm:ss`, for tooltips.
    public static func timestamp(_ date: Date) -> String {
        let f = fields(date)
        return "\(pad(f.year, 4))-\(pad(f.month))-\(pad(f.day)) \(pad(f.hour)):\(pad(f.minute)):\(pad(f.second))"
    }

    /// `HH:mm`, for the ticks of a window of up to two days.
    public static func hourMinute(_ date: Date) -> String {
        let f = fields(date)
        return "\(pad(f.hour)):\(pad(f.minute))"
    }

    /// `HH:mm:ss`, for the ticks of a window of a few minutes.
    public static func hourMinuteSecond(_ date: Date) -> String {
        let f = fields(date)
        return "\(pad(f.hour)):\(pad(f.minute)):\(pad(f.second))"
    }

    /// `MM-dd`, for the ticks of a window of days.
    public static func monthDay(_ date: Date) -> String {
        let f = fields(date)
        return "\(pad(f.month))-\(pad(f.day))"
    }

    /// `yyyy-MM-dd`.
    public static func date(_ date: Date) -> String {
        let f = fields(date)
        return "\(pad(f.year, 4))-\(pad(f.month))-\(pad(f.day))"
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    private static func pad(_ value: Int, _ width: Int = 2) -> String {
        let digits = String(value.magnitude)
        let padding = String(repeating: "0", count: max(0, width - digits.count))
        return (value < 0 ? "-" : "") + padding + digits
    }
}

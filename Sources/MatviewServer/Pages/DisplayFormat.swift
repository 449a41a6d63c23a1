import Foundation

/// How the pages write durations, ages and times: short, in the units an operator reads at a
/// glance, the same on every page, and the same bytes for the same input (no locale).
enum DisplayFormat {
    /// The banner of a page whose figures could not be read (nil: no banner).
    static func databaseBanner(_ error: String?) -> String? {
        error.map { "Cannot read the database: \($0)" }
    }

    /// `45s`, `12m`, `3.5h`, `2.1d`; `-` for none.
    static func age(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite else { return "-" }
        if seconds < 120 { return "\(Int(seconds.rounded()))s" }
        if seconds < 7200 { return "\(Int((seconds / 60).rounded()))m" }
        if seconds < 172_800 { return oneDecimal(seconds / 3600) + "h" }
        return oneDecimal(seconds / 86_400) + "d"
    }

    /// `0.8 ms`, `120 ms`, `2.4 s`, `3.1 min`.
    static func duration(milliseconds: Double?) -> String {
        guard let ms = milliseconds, ms.isFinite else { return "-" }
        if ms < 10 { return oneDecimal(ms) + " ms" }
        if ms < 1000 { return "\(Int(ms.rounded())) ms" }
        if ms < 120_000 { return oneDecimal(ms / 1000) + " s" }
        return oneDecimal(ms / 60_000) + " min"
    }

    /// `1,234,567`.
    static func count(_ value: Int?) -> String {
        guard let value else { return "-" }
        let digits = String(value.magnitude)
        var grouped = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { grouped.append(",") }
            grouped.append(c)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// `2026-11-25 17:04:05 UTC`.
    static func time(_ date: Date) -> String {
        UTCTime.timestamp(date) + " UTC"
    }

    /// `2026-11-25T17:04:05Z`, for `<time datetime>`.
    static func isoTime(_ date: Date) -> String {
        UTCTime.timestamp(date).replacingOccurrences(of: " ", with: "T") + "Z"
    }

    /// PostgreSQL's `2026-11-25 17:04:05.123456+00` shortened to the second.
    static func postgresTime(_ text: String?) -> String {
        guard let text else { return "-" }
        if let dot = text.firstIndex(of: "."), let zone = text[dot...].firstIndex(where: { $0 == "+" || $0 == "-" }) {
            return String(text[..<dot]) + String(text[zone...])
        }
        return text
    }

    static func oneDecimal(_ value: Double) -> String {
        ValueText.decimal(value, maxFractionDigits: 1)
    }
}

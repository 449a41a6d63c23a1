import Foundation

/// A pg_cron schedule, parsed once for both uses: `CronSchedule.problem(in:)` reports why a
/// schedule is refused, and `nextRun(after:timeZone:)` says when pg_cron would next start the job
/// (for the dashboard). One parser, so a schedule the checker accepts is always one the dashboard
/// can evaluate, and the other way round.
///
/// pg_cron's rules are Vixie cron's: five fields (minute hour day-of-month month day-of-week)
/// with lists, ranges, steps and case-insensitive month and day names, 0 or 7 for Sunday; `$`
/// alone in the day of month for the last day of the month (pg_cron 1.6+); the @-shorthands;
/// or `N seconds` (1 to 59).
public struct CronExpression: Sendable, Equatable {
    /// pg_cron's three kinds of schedule.
    enum Form: Sendable, Equatable {
        case calendar(CronCalendarFields)
        /// `N seconds`: pg_cron starts the job every N seconds, counted from its previous start.
        case everySeconds(Int)
        /// `@reboot`: once, when pg_cron starts.
        case atStartup
    }

    let form: Form

    /// nil exactly when `CronSchedule.problem(in:)` has a problem with `schedule`.
    public init?(_ schedule: String) {
        guard let parsed = try? Self.parse(schedule) else { return nil }
        self = parsed
    }

    private init(_ form: Form) {
        self.form = form
    }

    /// Why pg_cron would refuse a schedule, in words for a diagnostic.
    struct Problem: Error {
        var message: String
    }

    /// The shorthands pg_cron knows, in the order the diagnostic lists them, with the five
    /// fields each stands for (Vixie cron's meanings; nil for @reboot, which has no time).
    private static let shorthands: [(name: String, fields: String?)] = [
        // pg_cron 1.6 sets no month for @yearly (entry.c passes the first *minute*, 0, as
        // January, and 0 is outside the month range), so there it never runs; 1.4 and Vixie cron
        // run it at midnight on January 1st, which is what the name promises and what we show.
        ("@yearly", "0 0 1 1 *"), ("@annually", "0 0 1 1 *"), ("@monthly", "0 0 1 * *"), ("@weekly", "0 0 * * 0"),
        ("@daily", "0 0 * * *"), ("@midnight", "0 0 * * *"), ("@hourly", "0 * * * *"), ("@reboot", nil),
    ]

    static func parse(_ schedule: String) throws(Problem) -> CronExpression {
        let trimmed = schedule.trimmingBlanks()
        if trimmed.isEmpty { throw Problem(message: "the schedule is empty") }
        let lower = trimmed.lowercased()
        if lower.hasPrefix("@") {
            guard let shorthand = shorthands.first(where: { $0.name == lower }) else {
                throw Problem(message: "unknown shorthand \(trimmed); pg_cron knows \(shorthands.map(\.name).joined(separator: ", "))")
            }
            guard let fields = shorthand.fields else { return CronExpression(.atStartup) }
            return try parse(fields)
        }
        let words = lower.split(separator: " ", omittingEmptySubsequences: true)
        if words.count == 2, words[1] == "seconds" || words[1] == "second" {
            guard let n = Int(words[0]), (1...59).contains(n) else { throw Problem(message: "an interval schedule takes 1 to 59 seconds") }
            return CronExpression(.everySeconds(n))
        }
        guard words.count == 5 else {
            throw Problem(message: "a cron schedule has 5 fields (minute hour day-of-month month day-of-week), found \(words.count)")
        }
        var parsed: [ParsedField] = []
        for (word, field) in zip(words, CronField.allCases) {
            parsed.append(try field.parse(String(word)))
        }
        // What only pg_cron refuses (a step after a single value, `$` in a list) is reported
        // after every field passed the checks above, so a schedule with an error those checks
        // find gets the same message as before they were added.
        if let refusal = parsed.lazy.compactMap(\.refusal).first { throw Problem(message: refusal) }
        var daysOfWeek = parsed[4].values
        if daysOfWeek.contains(7) { // 7 is Sunday too: kept as 0, so `* * * * 7` equals `* * * * 0`
            daysOfWeek.remove(7)
            daysOfWeek.insert(0)
        }
        return CronExpression(.calendar(CronCalendarFields(
            minutes: parsed[0].values, hours: parsed[1].values,
            daysOfMonth: parsed[2].values, lastDayOfMonth: parsed[2].lastDayOfMonth, months: parsed[3].values,
            daysOfWeek: daysOfWeek, dayOfMonthStarred: words[2].hasPrefix("*"), dayOfWeekStarred: words[4].hasPrefix("*"))))
    }
}

/// The five fields of a calendar schedule, as sets of the values each matches.
struct CronCalendarFields: Sendable, Equatable {
    var minutes: CronValues
    var hours: CronValues
    var daysOfMonth: CronValues
    /// `$`: the last day of the month, whichever number that is.
    var lastDayOfMonth: Bool
    var months: CronValues
    /// 0 (Sunday) to 6; a 7 in the schedule is stored as 0.
    var daysOfWeek: CronValues
    /// Whether the day-of-month and day-of-week fields start with `*` (`*`, `*/2`). Vixie cron
    /// (and pg_cron) match a day on both fields when either does, and on either field when
    /// neither does: `0 0 1,15 * mon` runs on the 1st, the 15th and every Monday.
    var dayOfMonthStarred: Bool
    var dayOfWeekStarred: Bool

    func matchesDay(dayOfMonth: Int, isLastDayOfMonth: Bool, dayOfWeek: Int) -> Bool {
        let byDayOfMonth = daysOfMonth.contains(dayOfMonth) || (lastDayOfMonth && isLastDayOfMonth)
        let byDayOfWeek = daysOfWeek.contains(dayOfWeek)
        return dayOfMonthStarred || dayOfWeekStarred ? byDayOfMonth && byDayOfWeek : byDayOfMonth || byDayOfWeek
    }
}

/// A set of small numbers (0 to 63), one bit each: the values one cron field matches.
struct CronValues: Sendable, Equatable {
    private(set) var bits: UInt64 = 0

    func contains(_ value: Int) -> Bool { (0..<64).contains(value) && bits & (1 << UInt64(value)) != 0 }

    mutating func insert(_ value: Int) { bits |= 1 << UInt64(value) }

    mutating func remove(_ value: Int) { bits &= ~(1 << UInt64(value)) }

    /// The smallest value in the set above `value`, if any.
    func first(after value: Int) -> Int? {
        let above = value >= 63 ? 0 : bits & ~((UInt64(2) << UInt64(value)) &- 1)
        return above == 0 ? nil : above.trailingZeroBitCount
    }
}

/// One of the five fields: its name in messages, its range and its names.
private enum CronField: CaseIterable {
    case minute, hour, dayOfMonth, month, dayOfWeek

    var name: String {
        switch self {
        case .minute: "minute"
        case .hour: "hour"
        case .dayOfMonth: "day of month"
        case .month: "month"
        case .dayOfWeek: "day of week"
        }
    }

    var range: ClosedRange<Int> {
        switch self {
        case .minute: 0...59
        case .hour: 0...23
        case .dayOfMonth: 1...31
        case .month: 1...12
        case .dayOfWeek: 0...7
        }
    }

    /// Names for values, the first standing for `range.lowerBound`.
    var names: [String] {
        switch self {
        case .month: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        case .dayOfWeek: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
        default: []
        }
    }

    /// `text` (lower-cased) read as a list of `*`, values and ranges, each with an optional
    /// step. Throws what the checker has always reported; what pg_cron alone refuses comes back
    /// as `refusal`, to be reported once every field passed.
    func parse(_ text: String) throws(CronExpression.Problem) -> ParsedField {
        var field = ParsedField()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            if part.isEmpty { throw .init(message: "empty list item in the \(name) field '\(text)'") }
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2 else { throw .init(message: "more than one / in the \(name) field '\(text)'") }
            var step = 1
            if pieces.count == 2 {
                guard let number = Int(pieces[1]), number >= 1, number <= range.upperBound + 1 else {
                    throw .init(message: "the step '\(pieces[1])' in the \(name) field must be a number from 1 to \(range.upperBound + 1)")
                }
                step = number
            }
            let base = pieces[0]
            if base == "*" {
                for value in stride(from: range.lowerBound, through: range.upperBound, by: step) { field.values.insert(value) }
                continue
            }
            if self == .dayOfMonth && base == "$" {
                // pg_cron reads `$` only as the whole field (entry.c wants a blank after it).
                if text != "$" {
                    field.refuse("'$' (the last day of the month) must be the whole day of month field, as in '0 0 $ * *', not part of '\(text)'")
                }
                field.lastDayOfMonth = true
                continue
            }
            let bounds = base.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count <= 2 else { throw .init(message: "bad range '\(base)' in the \(name) field") }
            var values: [Int] = []
            for bound in bounds {
                if let n = Int(bound) {
                    guard range.contains(n) else { throw .init(message: "\(n) is out of range for the \(name) field (\(range.lowerBound)-\(range.upperBound))") }
                    values.append(n)
                } else if let i = names.firstIndex(of: String(bound)) {
                    values.append(i + range.lowerBound)
                } else {
                    throw .init(message: "'\(bound)' is not valid in the \(name) field")
                }
            }
            if values.count == 2 && values[0] > values[1] { throw .init(message: "the range \(base) in the \(name) field runs backwards") }
            if values.count == 1 && pieces.count == 2 {
                // Vixie cron and pg_cron refuse `5/10` ("step specified without range"),
                // where other crons read it as `5-59/10`: write the range.
                field.refuse("pg_cron takes a step only after a range or *: write '\(base)-\(range.upperBound)/\(pieces[1])' for '\(part)' in the \(name) field")
            }
            for value in stride(from: values[0], through: values[values.count - 1], by: step) { field.values.insert(value) }
        }
        return field
    }
}

/// What one field matches, and the first thing in it that pg_cron refuses though the checker
/// used to accept it.
private struct ParsedField {
    var values = CronValues()
    var lastDayOfMonth = false
    var refusal: String?

    mutating func refuse(_ message: String) {
        if refusal == nil { refusal = message }
    }
}

// MARK: - The next run

extension CronExpression {
    /// The first time strictly after `date` at which pg_cron would start the job, reading the
    /// schedule in `timeZone` (pg_cron's `cron.timezone`, GMT unless set); nil for `@reboot`, and
    /// for a schedule no day can match (`0 0 30 2 *`) or that matches none in the next 400
    /// years (the Gregorian calendar repeats after 400).
    ///
    /// pg_cron checks each minute as it passes, in absolute time, against the local time in
    /// `cron.timezone`; so does this. A local time that a daylight-saving change skips never
    /// runs (`30 2 * * *` on the spring change in Europe/Berlin), and one it repeats runs twice.
    /// `$` is the calendar's last day of the month (pg_cron looks 24 hours ahead instead, which
    /// differs only within an hour of midnight next to a daylight-saving change).
    ///
    /// `N seconds` jobs run every N seconds counted from when pg_cron last started them, which
    /// the catalog does not say; the estimate is `date` + N seconds, rounded up to a whole second.
    public func nextRun(after date: Date, timeZone: TimeZone = TimeZone(identifier: "GMT")!) -> Date? {
        switch form {
        case .atStartup:
            return nil
        case .everySeconds(let seconds):
            return Date(timeIntervalSince1970: (date.timeIntervalSince1970 + Double(seconds)).rounded(.up))
        case .calendar(let fields):
            return fields.firstStart(after: date, in: timeZone)
        }
    }
}

extension CronCalendarFields {
    /// Walks forward from the minute after `date`, one absolute minute at a time where a minute
    /// could match, and over whole months, days and hours where none can. No jump passes a
    /// change of the zone's offset: the local times after it are not the ones the jump counted.
    func firstStart(after date: Date, in timeZone: TimeZone) -> Date? {
        let secondsPerDay: Int64 = 86_400
        var t = Int64((date.timeIntervalSince1970 / 60).rounded(.down)) * 60 + 60
        let horizon = t + 401 * 366 * secondsPerDay
        var offsetChange = timeZone.nextOffsetChange(after: t)
        while t <= horizon {
            if let change = offsetChange, t >= change { offsetChange = timeZone.nextOffsetChange(after: t) }
            let local = LocalTime(epochSeconds: t + Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(t)))))
            let wait: Int64
            if !months.contains(local.month) {
                wait = Int64(local.daysInMonth - local.day + 1) * secondsPerDay - local.secondsIntoDay
            } else if !matchesDay(dayOfMonth: local.day, isLastDayOfMonth: local.day == local.daysInMonth, dayOfWeek: local.dayOfWeek) {
                wait = secondsPerDay - local.secondsIntoDay
            } else if !hours.contains(local.hour) {
                wait = 3600 - local.secondsIntoDay % 3600
            } else if minutes.contains(local.minute) {
                return Date(timeIntervalSince1970: Double(t))
            } else if let minute = minutes.first(after: local.minute) {
                wait = Int64(minute - local.minute) * 60 - local.second
            } else {
                wait = 3600 - local.secondsIntoDay % 3600
            }
            var end = t + wait
            if let change = offsetChange, change > t, change < end { end = change }
            // pg_cron looks at whole minutes only: the first one at or after where the wait ends
            // (always a later one: every wait is at least a second).
            t = (end + 59).floorDivided(by: 60) * 60
        }
        return nil
    }
}

/// Wall-clock fields of a local time given as seconds since 1970-01-01T00:00 local, computed
/// directly (days to civil date as in Howard Hinnant's `civil_from_days`): the search reads
/// thousands of them, and a Calendar would look the zone up again for each.
private struct LocalTime {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int
    var second: Int64
    var secondsIntoDay: Int64
    /// 0 is Sunday.
    var dayOfWeek: Int

    init(epochSeconds: Int64) {
        let days = epochSeconds.floorDivided(by: 86_400)
        secondsIntoDay = epochSeconds - days * 86_400
        hour = Int(secondsIntoDay / 3600)
        minute = Int(secondsIntoDay % 3600 / 60)
        second = secondsIntoDay % 60
        dayOfWeek = Int((days + 4).floorModulo(by: 7)) // 1970-01-01 was a Thursday
        let shifted = days + 719_468 // days since 0000-03-01
        let era = shifted.floorDivided(by: 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        day = Int(dayOfYear - (153 * monthFromMarch + 2) / 5 + 1)
        month = Int(monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9)
        year = Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0)
    }

    var daysInMonth: Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

private extension TimeZone {
    /// Seconds since 1970 of the zone's next change of offset after `t`, if it has one.
    func nextOffsetChange(after t: Int64) -> Int64? {
        nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: Double(t)))
            .map { Int64($0.timeIntervalSince1970.rounded(.up)) }
    }
}

private extension Int64 {
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    func floorModulo(by divisor: Int64) -> Int64 { self - floorDivided(by: divisor) * divisor }
}

private extension String {
    /// Without the spaces and tabs around it (pg_cron skips both).
    func trimmingBlanks() -> String {
        let blanks: Set<Character> = [" ", "\t"]
        return String(drop { blanks.contains($0) }.reversed().drop { blanks.contains($0) }.reversed())
    }
}

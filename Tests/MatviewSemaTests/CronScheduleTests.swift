import Foundation
import MatviewSema
import XCTest

/// When pg_cron would next start a job: `CronExpression.nextRun(after:timeZone:)` on schedules
/// with known answers (month ends, leap years, `$`, the day-of-month/day-of-week rule, steps,
/// names, shorthands, intervals, a zone with daylight-saving time), and against a brute-force
/// minute-by-minute search on generated schedules. Also that the checker and the evaluator agree
/// on which schedules are valid, since they share one parser.
final class CronScheduleTests: XCTestCase {
    static let gmt = TimeZone(identifier: "GMT")!
    static let berlin = TimeZone(identifier: "Europe/Berlin")!

    /// 2026-11-25T17:26:51Z, a Wednesday.
    let wednesday = date("2026-11-25T17:26:51Z")

    static func date(_ text: String) -> Date {
        guard let date = ISO8601DateFormatter().date(from: text) else { fatalError("not an ISO 8601 date: \(text)") }
        return date
    }

    func date(_ text: String) -> Date { Self.date(text) }

    func assertNext(_ schedule: String, after start: Date, _ expected: String?, in timeZone: TimeZone = gmt,
                    file: StaticString = #filePath, line: UInt = #line) {
        guard let expression = CronExpression(schedule) else {
            return XCTFail("'\(schedule)' should be valid: \(CronSchedule.problem(in: schedule) ?? "")", file: file, line: line)
        }
        let next = expression.nextRun(after: start, timeZone: timeZone)
        XCTAssertEqual(next, expected.map(date), "\(schedule) after \(start) in \(timeZone.identifier): \(next.map { "\($0)" } ?? "nil")",
                       file: file, line: line)
    }

    // MARK: Minutes and hours

    func testEveryMinuteIsTheNextWholeMinuteStrictlyAfter() {
        assertNext("* * * * *", after: wednesday, "2026-11-25T17:27:00Z")
        assertNext("* * * * *", after: date("2026-11-25T17:27:00Z"), "2026-11-25T17:28:00Z")
        assertNext("* * * * *", after: date("2026-12-31T23:59:30Z"), "2027-01-01T00:00:00Z")
    }

    func testStepsRangesAndLists() {
        assertNext("*/5 * * * *", after: wednesday, "2026-11-25T17:30:00Z")
        assertNext("*/15 * * * *", after: date("2026-11-25T17:45:00Z"), "2026-11-25T18:00:00Z")
        assertNext("0 * * * *", after: wednesday, "2026-11-25T18:00:00Z")
        // Minutes 10, 25, 40 of hours 8, 13, 18.
        assertNext("10-40/15 8-18/5 * * *", after: wednesday, "2026-11-25T18:10:00Z")
        assertNext("10-40/15 8-18/5 * * *", after: date("2026-11-25T18:40:00Z"), "2026-11-26T08:10:00Z")
        assertNext("5,50 9,17 * * *", after: wednesday, "2026-11-25T17:50:00Z")
        assertNext("5,50 9,17 * * *", after: date("2026-11-25T17:50:00Z"), "2026-11-26T09:05:00Z")
        // A step as long as the field leaves only its first value.
        assertNext("*/60 * * * *", after: wednesday, "2026-11-25T18:00:00Z")
        assertNext("59 23 31 12 *", after: date("2026-12-31T23:59:00Z"), "2027-12-31T23:59:00Z")
    }

    // MARK: Days, months, years

    func testMonthEndsAndDaysNoMonthHas() {
        assertNext("0 0 31 * *", after: wednesday, "2026-12-31T00:00:00Z") // November has 30 days
        assertNext("0 0 31 * *", after: date("2027-01-31T00:00:00Z"), "2027-03-31T00:00:00Z") // nor has February
        assertNext("0 0 30 2 *", after: wednesday, nil)
        assertNext("0 0 31 4,6,9,11 *", after: wednesday, nil)
    }

    func testLeapDays() {
        assertNext("0 0 29 2 *", after: wednesday, "2028-02-29T00:00:00Z")
        assertNext("0 0 29 2 *", after: date("2028-02-29T00:00:00Z"), "2032-02-29T00:00:00Z")
        // 2100 is not a leap year (divisible by 100, not by 400); 2000 was.
        assertNext("0 0 29 2 *", after: date("2096-03-01T00:00:00Z"), "2104-02-29T00:00:00Z")
        assertNext("0 0 29 2 *", after: date("1999-01-01T00:00:00Z"), "2000-02-29T00:00:00Z")
    }

    func testDollarIsTheLastDayOfTheMonth() {
        assertNext("0 12 $ * *", after: wednesday, "2026-11-30T12:00:00Z")
        assertNext("0 12 $ * *", after: date("2026-11-30T12:00:00Z"), "2026-12-31T12:00:00Z")
        assertNext("0 12 $ * *", after: date("2027-02-01T00:00:00Z"), "2027-02-28T12:00:00Z")
        assertNext("0 12 $ * *", after: date("2028-02-01T00:00:00Z"), "2028-02-29T12:00:00Z")
        assertNext("0 12 $ 4 *", after: wednesday, "2027-04-30T12:00:00Z")
    }

    /// Vixie cron's rule: when neither day field starts with `*`, a day matches when either does.
    func testRestrictedDayOfMonthAndDayOfWeekMatchEither() {
        assertNext("0 0 1,15 * fri", after: wednesday, "2026-11-27T00:00:00Z") // Friday
        assertNext("0 0 1,15 * fri", after: date("2026-11-27T00:00:00Z"), "2026-12-01T00:00:00Z") // the 1st, a Tuesday
        assertNext("0 0 $ * mon", after: date("2026-12-01T00:00:00Z"), "2026-12-07T00:00:00Z") // Monday
        assertNext("0 0 $ * mon", after: date("2026-12-28T00:00:00Z"), "2026-12-31T00:00:00Z") // the last day, a Thursday
        // 1-31/2 does not start with *: odd days or Mondays; Friday the 27th is odd.
        assertNext("0 0 1-31/2 * mon", after: wednesday, "2026-11-27T00:00:00Z")
    }

    /// ...and when either starts with `*` (even `*/2`), a day must match both.
    func testAStarredDayFieldMakesBothApply() {
        // Odd days that are Mondays: the 30th is even, December 7th odd.
        assertNext("0 0 */2 * mon", after: wednesday, "2026-12-07T00:00:00Z")
        assertNext("0 0 * * mon", after: wednesday, "2026-11-30T00:00:00Z")
        assertNext("0 0 13 * */7", after: wednesday, "2026-12-13T00:00:00Z") // */7 is Sunday: the 13th that is one
        assertNext("0 0 13 * sun", after: wednesday, "2026-11-29T00:00:00Z") // either: Sunday the 29th comes first
    }

    func testNamesInAnyCaseAndSundayAsSeven() {
        assertNext("0 9 * jan-mar mon-fri", after: wednesday, "2027-01-01T09:00:00Z") // a Friday
        assertNext("0 9 * JAN,Jul SAT", after: wednesday, "2027-01-02T09:00:00Z")
        assertNext("0 9 * Jul Sat", after: wednesday, "2027-07-03T09:00:00Z")
        for sunday in ["0 0 * * 0", "0 0 * * 7", "0 0 * * sun", "0 0 * * SUN"] {
            assertNext(sunday, after: wednesday, "2026-11-29T00:00:00Z")
        }
        XCTAssertEqual(CronExpression("0 0 * * 7"), CronExpression("0 0 * * 0"))
        assertNext("0 0 * * 5-7", after: date("2026-11-28T00:00:00Z"), "2026-11-29T00:00:00Z") // Saturday to Sunday
        assertNext("0,30 9-17/2 1,15 jan-jun mon-fri", after: wednesday, "2027-01-01T09:00:00Z")
    }

    func testShorthands() {
        assertNext("@hourly", after: wednesday, "2026-11-25T18:00:00Z")
        assertNext("@daily", after: wednesday, "2026-11-26T00:00:00Z")
        assertNext("@midnight", after: wednesday, "2026-11-26T00:00:00Z")
        assertNext("@weekly", after: wednesday, "2026-11-29T00:00:00Z") // Sunday
        assertNext("@monthly", after: wednesday, "2026-12-01T00:00:00Z")
        assertNext("@yearly", after: wednesday, "2027-01-01T00:00:00Z")
        assertNext("@annually", after: wednesday, "2027-01-01T00:00:00Z")
        XCTAssertEqual(CronExpression("@weekly"), CronExpression("0 0 * * 0"))
        XCTAssertEqual(CronExpression("@hourly"), CronExpression("0 * * * *"))
        assertNext("@reboot", after: wednesday, nil)
    }

    func testIntervalsAreEstimatedFromTheGivenTime() {
        assertNext("30 seconds", after: wednesday, "2026-11-25T17:27:21Z")
        assertNext("1 second", after: wednesday, "2026-11-25T17:26:52Z")
        let fractional = wednesday.addingTimeInterval(0.25)
        XCTAssertEqual(CronExpression("30 seconds")?.nextRun(after: fractional), date("2026-11-25T17:27:22Z"))
    }

    // MARK: Time zones

    func testAZoneAheadOfGMT() {
        assertNext("0 0 * * *", after: wednesday, "2026-11-25T23:00:00Z", in: Self.berlin) // midnight CET
        assertNext("0 0 $ * *", after: wednesday, "2026-11-29T23:00:00Z", in: Self.berlin)
        // Half-hour offset: 17:26 GMT is 22:56 in Kolkata, so its next hour starts at 17:30 GMT.
        assertNext("0 * * * *", after: wednesday, "2026-11-25T17:30:00Z", in: TimeZone(identifier: "Asia/Kolkata")!)
    }

    /// Europe/Berlin skips 02:00-02:59 on 2027-03-28 (CET to CEST at 01:00 GMT).
    func testALocalTimeTheSpringChangeSkipsDoesNotRun() {
        let saturdayNoon = date("2027-03-27T12:00:00Z")
        assertNext("30 2 * * *", after: saturdayNoon, "2027-03-29T00:30:00Z", in: Self.berlin) // not on the 28th
        assertNext("0 3 * * *", after: saturdayNoon, "2027-03-28T01:00:00Z", in: Self.berlin) // 03:00 CEST
        assertNext("0 12 * * *", after: saturdayNoon, "2027-03-28T10:00:00Z", in: Self.berlin)
        assertNext("*/20 * * * *", after: date("2027-03-28T00:50:00Z"), "2027-03-28T01:00:00Z", in: Self.berlin) // 01:50 CET, then 03:00 CEST
    }

    /// Europe/Berlin repeats 02:00-02:59 on 2026-10-25 (CEST to CET at 01:00 GMT): pg_cron runs
    /// a job scheduled then twice, as it checks absolute minutes against the local time.
    func testALocalTimeTheAutumnChangeRepeatsRunsTwice() {
        let saturdayNoon = date("2026-10-24T12:00:00Z")
        assertNext("30 2 * * *", after: saturdayNoon, "2026-10-25T00:30:00Z", in: Self.berlin) // 02:30 CEST
        assertNext("30 2 * * *", after: date("2026-10-25T00:30:00Z"), "2026-10-25T01:30:00Z", in: Self.berlin) // 02:30 CET
        assertNext("30 2 * * *", after: date("2026-10-25T01:30:00Z"), "2026-10-26T01:30:00Z", in: Self.berlin)
        assertNext("0 12 * * *", after: saturdayNoon, "2026-10-25T11:00:00Z", in: Self.berlin)
    }

    /// The Chatham Islands change at 02:45 local (+12:45 to +13:45), in the middle of an hour:
    /// skipping from 02:00 to the next hour must not pass 03:50, which now comes 5 minutes
    /// after the change.
    func testAChangeInTheMiddleOfAnHourIsNotJumpedOver() {
        let chatham = TimeZone(identifier: "Pacific/Chatham")!
        assertNext("50 3 * * *", after: date("2026-09-26T12:00:00Z"), "2026-09-26T14:05:00Z", in: chatham)
    }

    // MARK: Validity

    func testValidExactlyWhenTheCheckerFindsNoProblem() {
        let schedules = [
            "* * * * *", "*/5 * * * *", "0 12 $ * *", "@hourly", "@reboot", "30 seconds", "1 second", "  0 0 * * *\t",
            "", "   ", "*/5 * * *", "61 * * * *", "0 24 * * *", "0 0 * 13 *", "90 seconds", "0 seconds", "@every_minute",
            "*/0 * * * *", "0 5-2 * * *", "0 0 * * funday", "0 0 $,1 * *", "0 0 $/2 * *", "5/10 * * * *", "0 0 * * mon/2",
            "1,,2 * * * *", "1/2/3 * * * *", "1-2-3 * * * *", "0 0 $ * * *",
        ]
        for schedule in schedules {
            XCTAssertEqual(CronExpression(schedule) == nil, CronSchedule.problem(in: schedule) != nil, "'\(schedule)'")
        }
    }

    /// What pg_cron refuses though it looks like cron: a step after a single value, `$` with
    /// anything else. The messages of every other problem are the checker's, unchanged.
    func testSchedulesOnlyPgCronRefusesAreProblems() {
        XCTAssertEqual(CronSchedule.problem(in: "5/10 * * * *"),
                       "pg_cron takes a step only after a range or *: write '5-59/10' for '5/10' in the minute field")
        XCTAssertEqual(CronSchedule.problem(in: "0 0 $,15 * *"),
                       "'$' (the last day of the month) must be the whole day of month field, as in '0 0 $ * *', not part of '$,15'")
        // Another problem anywhere in the schedule is reported as it always was.
        XCTAssertEqual(CronSchedule.problem(in: "5/10 24 * * *"), "24 is out of range for the hour field (0-23)")
        XCTAssertEqual(CronSchedule.problem(in: "*/0 * * * *"), "the step '0' in the minute field must be a number from 1 to 60")
        XCTAssertEqual(CronSchedule.problem(in: "@every_minute"),
                       "unknown shorthand @every_minute; pg_cron knows @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, @reboot")
    }

    // MARK: Generated schedules against a brute-force search

    /// For generated schedules whose value sets are known from how they were written: the next
    /// run is after the start and matches the schedule (read with Calendar, not the code under
    /// test); and from a time up to two days before that run, the run found is the first minute
    /// that matches (searched minute by minute), so none is skipped.
    func testGeneratedSchedulesAgainstABruteForceSearch() throws {
        var generator = SplitMix64(seed: 0x6D61_7476_6965_77)
        var impossible = 0
        for index in 0..<200 {
            let schedule = GeneratedSchedule(using: &generator)
            let timeZone = index % 3 == 0 ? Self.berlin : Self.gmt
            let start = Date(timeIntervalSince1970: Double(generator.next(below: 4_102_444_800))) // 1970 to 2100
            let expression = try XCTUnwrap(CronExpression(schedule.text), schedule.text)
            guard let next = expression.nextRun(after: start, timeZone: timeZone) else {
                XCTAssertTrue(schedule.canNeverRun, "\(schedule.text) after \(start) has no next run")
                impossible += 1
                continue
            }
            XCTAssertFalse(schedule.canNeverRun, schedule.text)
            XCTAssertGreaterThan(next, start, schedule.text)
            XCTAssertTrue(schedule.matches(next, in: timeZone), "\(schedule.text): \(next) does not match")
            XCTAssertEqual(next.timeIntervalSince1970.truncatingRemainder(dividingBy: 60), 0, schedule.text)
            // Re-parsed, the schedule agrees with itself: from one minute before its run, that run is next.
            let reparsed = try XCTUnwrap(CronExpression(schedule.text))
            XCTAssertEqual(reparsed.nextRun(after: next.addingTimeInterval(-60), timeZone: timeZone), next, schedule.text)

            let nearStart = max(start, next.addingTimeInterval(-2 * 86_400 + Double(generator.next(below: 86_400))))
            let near = try XCTUnwrap(expression.nextRun(after: nearStart, timeZone: timeZone), schedule.text)
            XCTAssertLessThanOrEqual(near, next, schedule.text)
            var minute = Date(timeIntervalSince1970: (nearStart.timeIntervalSince1970 / 60).rounded(.down) * 60 + 60)
            while minute < near {
                XCTAssertFalse(schedule.matches(minute, in: timeZone), "\(schedule.text): \(minute) matches before \(near)")
                minute.addTimeInterval(60)
            }
            XCTAssertTrue(schedule.matches(near, in: timeZone), "\(schedule.text): \(near) does not match")
        }
        XCTAssertLessThan(impossible, 20, "the generator should make schedules that run")
    }
}

/// A five-field schedule generated together with the values each field matches, so a test can
/// tell whether a time matches without the parser under test.
struct GeneratedSchedule {
    var text: String
    var minutes: Set<Int>
    var hours: Set<Int>
    var daysOfMonth: Set<Int>
    var lastDayOfMonth: Bool
    var months: Set<Int>
    var daysOfWeek: Set<Int>
    var dayOfMonthStarred: Bool
    var dayOfWeekStarred: Bool

    init(using generator: inout SplitMix64) {
        func field(_ range: ClosedRange<Int>, names: [String] = [], starChance: UInt64 = 3) -> (String, Set<Int>) {
            switch generator.next(below: starChance + 4) {
            case 0..<starChance:
                return ("*", Set(range))
            case starChance:
                let step = 1 + Int(generator.next(below: UInt64(range.count)))
                return ("*/\(step)", Set(stride(from: range.lowerBound, through: range.upperBound, by: step)))
            case starChance + 1:
                let a = range.lowerBound + Int(generator.next(below: UInt64(range.count)))
                let b = a + Int(generator.next(below: UInt64(range.upperBound - a + 1)))
                let step = 1 + Int(generator.next(below: 4))
                return ("\(a)-\(b)/\(step)", Set(stride(from: a, through: b, by: step)))
            case starChance + 2 where !names.isEmpty:
                let a = Int(generator.next(below: UInt64(names.count)))
                let b = a + Int(generator.next(below: UInt64(names.count - a)))
                let upper = generator.next(below: 2) == 0 ? names[b].uppercased() : names[b]
                return ("\(names[a])-\(upper)", Set((a...b).map { $0 + range.lowerBound }))
            default:
                let values = Set((0...generator.next(below: 3)).map { _ in range.lowerBound + Int(generator.next(below: UInt64(range.count))) })
                return (values.sorted().map(String.init).joined(separator: ","), values)
            }
        }
        let minute = field(0...59, starChance: 1), hour = field(0...23, starChance: 4)
        var dayOfMonth = field(1...31, starChance: 6)
        lastDayOfMonth = generator.next(below: 12) == 0
        if lastDayOfMonth { dayOfMonth = ("$", []) }
        let month = field(1...12, names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], starChance: 8)
        let dayOfWeek = field(0...7, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"], starChance: 6)
        text = [minute.0, hour.0, dayOfMonth.0, month.0, dayOfWeek.0].joined(separator: " ")
        (minutes, hours, daysOfMonth, months) = (minute.1, hour.1, dayOfMonth.1, month.1)
        daysOfWeek = Set(dayOfWeek.1.map { $0 % 7 })
        dayOfMonthStarred = dayOfMonth.0.hasPrefix("*")
        dayOfWeekStarred = dayOfWeek.0.hasPrefix("*")
    }

    /// Whether no day can ever match: both day fields must (one starts with `*`), and no month
    /// it allows has any of its days. (Any date falls on every day of the week over the years.)
    var canNeverRun: Bool {
        let longest = [1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31]
        return (dayOfMonthStarred || dayOfWeekStarred) && !lastDayOfMonth
            && months.allSatisfy { month in daysOfMonth.allSatisfy { $0 > longest[month]! } }
    }

    func matches(_ date: Date, in timeZone: TimeZone) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.minute, .hour, .day, .month, .weekday], from: date)
        guard let minute = parts.minute, let hour = parts.hour, let day = parts.day, let month = parts.month, let weekday = parts.weekday else {
            return false
        }
        guard minutes.contains(minute) && hours.contains(hour) && months.contains(month) else { return false }
        let isLastDay = lastDayOfMonth && calendar.range(of: .day, in: .month, for: date)?.upperBound == day + 1
        let byDayOfMonth = daysOfMonth.contains(day) || isLastDay
        let byDayOfWeek = daysOfWeek.contains(weekday - 1)
        return dayOfMonthStarred || dayOfWeekStarred ? byDayOfMonth && byDayOfWeek : byDayOfMonth || byDayOfWeek
    }
}

/// A small seeded generator, so a failure names a schedule that fails again.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(below bound: UInt64) -> UInt64 { next() % bound }
}

import Foundation
import MatviewSema

/// When pg_cron will next start a view's scheduled refresh: its schedule read the way pg_cron
/// reads it, in pg_cron's time zone (the server's `cron.timezone`, GMT unless set).
struct ScheduleClock: Sendable {
    var timeZone: TimeZone

    init(cronTimeZone: String?) {
        timeZone = cronTimeZone.flatMap { TimeZone(identifier: $0) } ?? TimeZone(identifier: "GMT")!
    }

    func nextRun(of schedule: String?, after now: Date) -> Date? {
        guard let schedule, let expression = CronExpression(schedule) else { return nil }
        return expression.nextRun(after: now, timeZone: timeZone)
    }
}

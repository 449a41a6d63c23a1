/// Validates schedules the way pg_cron parses them: five fields (minute hour day-of-month month
/// day-of-week) with `*`, lists, ranges, steps and month/day names, `$` for the last day of the
/// month, the @-shorthands pg_cron knows, or an interval of 1 to 59 seconds (`30 seconds`).
/// The parsing is `CronExpression`'s, so every schedule accepted here has a next run to show.
public enum CronSchedule {
    /// nil when valid, else what is wrong.
    public static func problem(in schedule: String) -> String? {
        do {
            _ = try CronExpression.parse(schedule)
            return nil
        } catch {
            return error.message
        }
    }
}

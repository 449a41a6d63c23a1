/// Validates schedules the way pg_cron parses them: five fields (minute hour day-of-month month
/// day-of-week) with `*`, lists, ranges, steps and month/day names, `$` for the last day of the
/// month, the @-shorthands pg_cron knows, or an interval of 1 to 59 seconds (`30 seconds`).
public enum CronSchedule {
    /// nil when valid, else what is wrong.
    public static func problem(in schedule: String) -> String? {
        let trimmed = schedule.trimmingCharacters(in: " \t")
        if trimmed.isEmpty { return "the schedule is empty" }
        let lower = trimmed.lowercased()
        if lower.hasPrefix("@") {
            let known = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly", "@reboot"]
            return known.contains(lower) ? nil : "unknown shorthand \(trimmed); pg_cron knows \(known.joined(separator: ", "))"
        }
        let words = lower.split(separator: " ", omittingEmptySubsequences: true)
        if words.count == 2, words[1] == "seconds" || words[1] == "second" {
            guard let n = Int(words[0]), (1...59).contains(n) else { return "an interval schedule takes 1 to 59 seconds" }
            return nil
        }
        guard words.count == 5 else {
            return "a cron schedule has 5 fields (minute hour day-of-month month day-of-week), found \(words.count)"
        }
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        let days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
        let fields: [(String, ClosedRange<Int>, [String], Int)] = [
            ("minute", 0...59, [], 0), ("hour", 0...23, [], 0), ("day of month", 1...31, [], 1),
            ("month", 1...12, months, 1), ("day of week", 0...7, days, 0),
        ]
        for (word, field) in zip(words, fields) {
            if let problem = fieldProblem(String(word), name: field.0, range: field.1, names: field.2, nameBase: field.3) {
                return problem
            }
        }
        return nil
    }

    private static func fieldProblem(_ text: String, name: String, range: ClosedRange<Int>, names: [String], nameBase: Int) -> String? {
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            if part.isEmpty { return "empty list item in the \(name) field '\(text)'" }
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2 else { return "more than one / in the \(name) field '\(text)'" }
            if pieces.count == 2 {
                guard let step = Int(pieces[1]), step >= 1, step <= range.upperBound + 1 else {
                    return "the step '\(pieces[1])' in the \(name) field must be a number from 1 to \(range.upperBound + 1)"
                }
            }
            let base = pieces[0]
            if base == "*" { continue }
            if name == "day of month" && base == "$" { continue }
            let bounds = base.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count <= 2 else { return "bad range '\(base)' in the \(name) field" }
            var values: [Int] = []
            for bound in bounds {
                if let n = Int(bound) {
                    guard range.contains(n) else { return "\(n) is out of range for the \(name) field (\(range.lowerBound)-\(range.upperBound))" }
                    values.append(n)
                } else if let i = names.firstIndex(of: String(bound)) {
                    values.append(i + nameBase)
                } else {
                    return "'\(bound)' is not valid in the \(name) field"
                }
            }
            if values.count == 2 && values[0] > values[1] { return "the range \(base) in the \(name) field runs backwards" }
        }
        return nil
    }
}

private extension String {
    func trimmingCharacters(in set: String) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}

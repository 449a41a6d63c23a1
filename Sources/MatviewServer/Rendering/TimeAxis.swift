import Foundation

/// The x axis of a time chart: tick times on round UTC boundaries and their labels.
///
/// The spacing is the smallest of a fixed ladder (seconds, minutes, hours, days, weeks) that keeps
/// the ticks at most `maxTicks`; ticks sit on multiples of the spacing since the Unix epoch, so
/// hour ticks fall on the hour and day ticks at midnight UTC. Labels name what changes across the
/// window: `14:00` for up to two days, `11-24` beyond that, `2026-11-24` beyond a year.
enum TimeAxis {
    struct Tick: Equatable {
        var time: Date
        var label: String
    }

    static let spacings: [Double] = [
        1, 2, 5, 10, 15, 30,
        60, 120, 300, 600, 900, 1800,
        3600, 7200, 10_800, 21_600, 43_200,
        86_400, 172_800, 604_800, 1_209_600, 2_592_000, 7_776_000, 31_536_000,
    ]

    static func ticks(start: Date, end: Date, maxTicks: Int) -> [Tick] {
        let from = start.timeIntervalSince1970
        let to = end.timeIntervalSince1970
        let span = to - from
        guard span > 0, span.isFinite else { return [] }
        let limit = max(maxTicks, 2)
        var chosen = spacings.last!
        for spacing in spacings {
            let count = (to / spacing).rounded(.down) - (from / spacing).rounded(.up) + 1
            if count <= Double(limit) {
                chosen = spacing
                break
            }
        }
        // A window longer than the ladder's last rung: spread `limit` ticks evenly instead.
        if ((to / chosen).rounded(.down) - (from / chosen).rounded(.up) + 1) > Double(limit) {
            chosen = (span / Double(limit - 1)).rounded(.up)
        }
        let label: (Date) -> String
        if chosen < 60 {
            label = UTCTime.hourMinuteSecond
        } else if span <= 48 * 3600 {
            label = UTCTime.hourMinute
        } else if span <= 366 * 86_400 {
            label = UTCTime.monthDay
        } else {
            label = UTCTime.date
        }
        var ticks: [Tick] = []
        var index = (from / chosen).rounded(.up)
        while index * chosen <= to, ticks.count <= limit {
            let time = Date(timeIntervalSince1970: index * chosen)
            ticks.append(Tick(time: time, label: label(time)))
            index += 1
        }
        return ticks
    }
}

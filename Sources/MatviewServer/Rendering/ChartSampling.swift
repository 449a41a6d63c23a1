import Foundation

/// What a time chart draws for its points: every point with its own tooltip, or, when there are
/// more than `TimeSeriesChart.maxMarks` in the window, one mark per column of the plot.
///
/// A week of refreshes every second is 600,000 points; drawing each one would make a page of
/// tens of megabytes that shows nothing more than a few hundred pixels can. So above the limit
/// the window is cut into at most `maxMarks` equal time columns (never more than one per pixel),
/// and each column is drawn as its largest value — the worst refresh or the stalest moment is
/// what a monitoring chart must not hide — with a tooltip giving the column's time range, its
/// maximum, how many points it holds and how many failed. A column with a failure that is not
/// its maximum also gets a failure marker at its largest failed point, so bucketing never hides
/// a failure. The output is then bounded by 2 × maxMarks marks whatever the input.
struct ChartSampling {
    struct Mark: Equatable {
        var time: Date
        var value: Double
        var failed: Bool
        var tooltip: String
        /// Whether the series line passes through this mark (the extra failure markers of a
        /// column do not: the line follows the column maxima).
        var onLine: Bool
    }

    var start: Date
    var end: Date
    var unit: String

    /// Whether the chart draws `point`: inside [start, end], with a finite value.
    func shows(_ point: TimeSeriesChart.Point) -> Bool {
        point.time >= start && point.time <= end && point.value.isFinite
    }

    /// The points inside [start, end] with a finite value, in time order (ties by value then
    /// failure, so the same points in any order give the same chart).
    func visible(_ points: [TimeSeriesChart.Point]) -> [TimeSeriesChart.Point] {
        points
            .filter(shows)
            .sorted { a, b in
                if a.time != b.time { return a.time < b.time }
                if a.value != b.value { return a.value < b.value }
                return !a.failed && b.failed
            }
    }

    /// The marks for `visible` (sorted), one per point up to `limit`, else per column.
    func marks(_ visible: [TimeSeriesChart.Point], limit: Int, columns: Int) -> [Mark] {
        if visible.count <= limit {
            return visible.map { point in
                Mark(
                    time: point.time, value: point.value, failed: point.failed,
                    tooltip: "\(UTCTime.timestamp(point.time)) UTC: \(valueText(point.value))\(point.failed ? " (failed)" : "")",
                    onLine: true
                )
            }
        }
        let count = max(1, min(limit, columns))
        let span = end.timeIntervalSince(start)
        var buckets: [Bucket?] = Array(repeating: nil, count: count)
        for point in visible {
            let offset = span > 0 ? point.time.timeIntervalSince(start) / span : 0
            let index = min(count - 1, max(0, Int(offset * Double(count))))
            if buckets[index] == nil { buckets[index] = Bucket(first: point) }
            buckets[index]!.add(point)
        }
        var marks: [Mark] = []
        for bucket in buckets {
            guard let bucket else { continue }
            let range = bucket.first.time == bucket.last.time
                ? "\(UTCTime.timestamp(bucket.first.time)) UTC"
                : "\(UTCTime.timestamp(bucket.first.time)) to \(UTCTime.timestamp(bucket.last.time)) UTC"
            let failures = bucket.failures == 0 ? "" : ", \(bucket.failures) failed"
            marks.append(Mark(
                time: bucket.largest.time, value: bucket.largest.value, failed: bucket.largest.failed,
                tooltip: "\(range): max \(valueText(bucket.largest.value)) of \(bucket.count) points\(failures)",
                onLine: true
            ))
            if let failed = bucket.largestFailed, !bucket.largest.failed {
                marks.append(Mark(
                    time: failed.time, value: failed.value, failed: true,
                    tooltip: "\(UTCTime.timestamp(failed.time)) UTC: \(valueText(failed.value)) (failed; \(bucket.failures) failed of \(bucket.count) points here)",
                    onLine: false
                ))
            }
        }
        return marks
    }

    func valueText(_ value: Double) -> String {
        let number = ValueText.decimal(value, maxFractionDigits: 2)
        return unit.isEmpty ? number : "\(number) \(unit)"
    }

    /// One column's summary. Points arrive in time order, so `first` and `last` are its range.
    private struct Bucket {
        var first: TimeSeriesChart.Point
        var last: TimeSeriesChart.Point
        var largest: TimeSeriesChart.Point
        var largestFailed: TimeSeriesChart.Point?
        var count = 0
        var failures = 0

        init(first: TimeSeriesChart.Point) {
            self.first = first
            last = first
            largest = first
        }

        mutating func add(_ point: TimeSeriesChart.Point) {
            count += 1
            last = point
            // Strictly greater: the earliest of equal maxima wins, whatever the input order was.
            if point.value > largest.value { largest = point }
            if point.failed {
                failures += 1
                if largestFailed == nil || point.value > largestFailed!.value { largestFailed = point }
            }
        }
    }
}

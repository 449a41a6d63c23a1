/// The y axis of a chart: from 0 to a round maximum in round steps.
///
/// The step is 1, 2 or 5 times a power of ten, the smallest such step that covers the value in
/// at most `maxIntervals` intervals; the maximum is the first multiple of the step at or above
/// the value. That gives 3 to 5 gridlines above zero, labels a reader can interpolate between
/// (0, 20, 40, 60 rather than 0, 17, 34, 51), and a plot that uses at least 40% of its height for
/// the largest value (a pure 1-2-5 maximum would leave 101 ms on a 200 ms axis).
public struct NiceScale: Sendable, Equatable {
    /// The top of the axis, a multiple of `step`, at or above the value covered.
    public var max: Double
    /// The spacing of the gridlines: 1, 2 or 5 times a power of ten.
    public var step: Double

    public init(max: Double, step: Double) {
        self.max = max
        self.step = step
    }

    /// The intervals from 0 to `max`.
    public var intervals: Int { Int((max / step).rounded()) }

    /// The gridline values from 0 to `max` inclusive.
    public var ticks: [Double] { (0...intervals).map { Double($0) * step } }

    /// The scale for values from 0 to `value`. A value that is zero, negative or not finite gets
    /// the scale 0 to 1, so an empty or all-zero series still draws an axis.
    public static func covering(_ value: Double, maxIntervals: Int = 5) -> NiceScale {
        let maxIntervals = Swift.max(maxIntervals, 1)
        guard value.isFinite, value > 0 else { return NiceScale(max: 1, step: 0.2) }
        // Past 1e300 the next steps overflow to infinity; no chart measures anything that large.
        let value = Swift.min(value, 1e300)
        // Start one decade below the smallest step that could do and walk up 1, 2, 5, 10, ...
        var exponent = Int((value / Double(maxIntervals)).exponentOfTen) - 1
        while true {
            let decade = powerOfTen(exponent)
            for mantissa in [1.0, 2.0, 5.0] {
                let step = mantissa * decade
                let count = (value / step).rounded(.up)
                if count <= Double(maxIntervals) {
                    return NiceScale(max: count * step, step: step)
                }
            }
            exponent += 1
        }
    }

    /// 10^exponent, built from exact powers so 10^-1 is the same double as the literal 0.1.
    private static func powerOfTen(_ exponent: Int) -> Double {
        var result = 1.0
        if exponent >= 0 {
            for _ in 0..<exponent { result *= 10 }
            return result
        }
        for _ in 0..<(-exponent) { result *= 10 }
        return 1 / result
    }
}

private extension Double {
    /// floor(log10(self)) for a positive finite value, without Foundation's rounding surprises
    /// near powers of ten (it is only a starting point for the search above).
    var exponentOfTen: Int {
        var exponent = 0
        var x = self
        while x >= 10 { x /= 10; exponent += 1 }
        while x < 1 { x *= 10; exponent -= 1 }
        return exponent
    }
}

import Foundation

/// Numbers as text for markup: SVG coordinates, axis labels, table cells.
///
/// Formatting is done by hand rather than with NumberFormatter or `String(format:)` so the output
/// never depends on a locale (no decimal commas, no grouping) or a Foundation version: the same
/// number always gives the same bytes.
public enum ValueText {
    /// `value` with at most `maxFractionDigits` decimals, trailing zeros dropped: 3, 0.5, 12.25,
    /// -1.5. No exponent, no grouping. Not-a-number and infinities give "0", so a bad value cannot
    /// produce an unreadable SVG coordinate.
    public static func decimal(_ value: Double, maxFractionDigits: Int = 2) -> String {
        guard value.isFinite else { return "0" }
        let digits = min(max(maxFractionDigits, 0), 9)
        var scale: Int64 = 1
        for _ in 0..<digits { scale *= 10 }
        let scaled = (value.magnitude * Double(scale)).rounded()
        // Past 2^53 a Double has no fraction left to print; past Int64 it cannot be converted.
        guard scaled < 9.0e15 else {
            let whole = value.rounded()
            if whole.magnitude < 9.0e18 { return String(Int64(whole)) }
            return value < 0 ? "-" + String(describing: value.magnitude) : String(describing: value)
        }
        let units = Int64(scaled)
        let sign = units != 0 && value < 0 ? "-" : ""
        let whole = units / scale
        var fraction = units % scale
        guard fraction != 0 else { return sign + String(whole) }
        var fractionDigits = digits
        while fraction % 10 == 0 {
            fraction /= 10
            fractionDigits -= 1
        }
        var fractionText = String(fraction)
        while fractionText.count < fractionDigits { fractionText = "0" + fractionText }
        return sign + String(whole) + "." + fractionText
    }

    /// `value` shortened for an axis label: 0.5, 12, 950, 1.2k, 15k, 3.4M, 2G.
    ///
    /// `resolution` is the spacing between the labels (an axis step); it decides the decimals so
    /// that neighbouring labels never round to the same text (a 0.005 step gets three decimals,
    /// a 500 step gets "1.5k"). Without it: two decimals below 10, one below 100, none above.
    public static func compact(_ value: Double, resolution: Double? = nil) -> String {
        guard value.isFinite else { return "0" }
        let magnitude = value.magnitude
        let (divisor, suffix): (Double, String) =
            magnitude >= 1e9 ? (1e9, "G") : magnitude >= 1e6 ? (1e6, "M") : magnitude >= 1e3 ? (1e3, "k") : (1, "")
        let scaled = value / divisor
        let digits: Int
        if let resolution, resolution.isFinite, resolution > 0 {
            // ceil(-log10(step)): 1 -> 0, 0.5 -> 1, 0.2 -> 1, 0.05 -> 2. The small allowance keeps
            // 0.1, which is not exact in binary, at one decimal.
            let needed = (-log10(resolution / divisor) - 1e-9).rounded(.up)
            digits = Int(min(max(needed, 0), 6))
        } else {
            let m = scaled.magnitude
            digits = m < 10 ? 2 : m < 100 ? 1 : 0
        }
        return decimal(scaled, maxFractionDigits: digits) + suffix
    }
}

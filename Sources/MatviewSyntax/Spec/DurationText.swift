import Foundation

/// Durations as users write them in specs: `90` (seconds), `30s`, `10m`, `1h`, `1d`, `1h30m`.
public enum DurationText {
    public static func seconds(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let plain = Int(trimmed), plain >= 0 { return plain }
        var total = 0
        var digits = ""
        var sawUnit = false
        for character in trimmed {
            if character.isNumber {
                digits.append(character)
                continue
            }
            guard let value = Int(digits) else { return nil }
            let unit: Int
            switch character {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3600
            case "d": unit = 86_400
            default: return nil
            }
            // Huge numbers are rejected, not trapped on: the text comes from a user's spec.
            let (product, productOverflow) = value.multipliedReportingOverflow(by: unit)
            let (sum, sumOverflow) = total.addingReportingOverflow(product)
            if productOverflow || sumOverflow { return nil }
            total = sum
            digits = ""
            sawUnit = true
        }
        guard digits.isEmpty, sawUnit else { return nil }
        return total
    }

    /// The shortest form that reads back to `seconds`, e.g. 600 -> "10m".
    public static func format(_ seconds: Int) -> String {
        if seconds == 0 { return "0s" }
        var rest = seconds
        var out = ""
        for (unit, letter) in [(86_400, "d"), (3600, "h"), (60, "m"), (1, "s")] where rest >= unit {
            out += "\(rest / unit)\(letter)"
            rest %= unit
        }
        return out
    }
}

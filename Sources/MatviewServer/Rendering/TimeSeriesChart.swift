import Foundation

/// A time series drawn as inline SVG on the server: refresh durations, staleness, row counts over
/// a window such as the last 24 hours.
///
/// The SVG has no colours of its own beyond `currentColor`: the stylesheet's `.chart` rules colour
/// it from the page's custom properties, so it follows dark mode, and it still reads (in the text
/// colour) where that stylesheet is absent. It has no `xmlns` either: it is meant to be inlined in
/// an HTML page, where the HTML parser puts it in the SVG namespace, and leaving it out keeps the
/// page free of any `http` URL.
public struct TimeSeriesChart: Sendable {
    public struct Point: Sendable, Equatable {
        public var time: Date
        public var value: Double
        /// A failed refresh: drawn as a cross (class `failed`) instead of a dot.
        public var failed: Bool

        public init(time: Date, value: Double, failed: Bool = false) {
            self.time = time
            self.value = value
            self.failed = failed
        }
    }

    public enum Style: Sendable, Equatable {
        /// Points joined in time order, each also drawn as a dot.
        case line
        /// Dots only (events, such as individual refreshes).
        case points
        /// A value that holds until the next point (a level, such as pending changes).
        case steps
    }

    /// The chart's accessible name (`<title>` and `aria-label`).
    public var title: String
    /// Appended to the y labels and tooltips: "ms", "s", "rows". May be empty.
    public var unit: String
    /// The x window; points outside it are not drawn.
    public var start: Date
    public var end: Date
    public var points: [Point]
    /// A dashed horizontal line, such as the view's max_staleness; the y axis always reaches it.
    public var threshold: Double?
    /// The threshold line's label; without one the line is labelled with its value and unit.
    public var thresholdLabel: String?
    public var style: Style

    /// The most points drawn one by one with a tooltip each; above it the chart draws each column's
    /// maximum (see `ChartSampling`), so its size stays bounded for any number of points.
    public static let maxMarks = 500

    public init(
        title: String, unit: String, start: Date, end: Date, points: [Point],
        threshold: Double? = nil, thresholdLabel: String? = nil, style: Style = .line
    ) {
        self.title = title
        self.unit = unit
        self.start = start
        self.end = end
        self.points = points
        self.threshold = threshold
        self.thresholdLabel = thresholdLabel
        self.style = style
    }

    /// The y scale: from 0 to a round value covering the largest visible point and the threshold.
    public var scale: NiceScale {
        let sampling = ChartSampling(start: window.start, end: window.end, unit: unit)
        return scale(largestValue: points.lazy.filter(sampling.shows).map(\.value).max())
    }

    private func scale(largestValue: Double?) -> NiceScale {
        var largest = largestValue ?? 0
        if let threshold, threshold.isFinite { largest = max(largest, threshold) }
        return NiceScale.covering(largest)
    }

    /// The window to draw: `end` before or at `start` would divide by zero, so such a window is
    /// taken to be the hour after `start`.
    private var window: (start: Date, end: Date) {
        end > start ? (start, end) : (start, start.addingTimeInterval(3600))
    }

    /// The chart as an `<svg class="chart">` element sized by its `viewBox` (the stylesheet makes
    /// it as wide as its container). `width` and `height` are the viewBox's, in the units the
    /// 12-unit font is measured in.
    public func svg(width: Int = 720, height: Int = 220) -> String {
        let frame = ChartFrame(width: max(width, 240), height: max(height, 120))
        let window = self.window
        let sampling = ChartSampling(start: window.start, end: window.end, unit: unit)
        let visible = sampling.visible(points)
        let marks = sampling.marks(visible, limit: Self.maxMarks, columns: Int(frame.plotWidth))
        let scale = scale(largestValue: visible.map(\.value).max())
        let span = window.end.timeIntervalSince(window.start)
        func x(_ time: Date) -> Double { frame.left + time.timeIntervalSince(window.start) / span * frame.plotWidth }
        func y(_ value: Double) -> Double {
            let clamped = min(max(value, 0), scale.max)
            return frame.top + frame.plotHeight - clamped / scale.max * frame.plotHeight
        }
        let n = { (value: Double) in ValueText.decimal(value, maxFractionDigits: 1) }

        var out = "<svg class=\"chart\" viewBox=\"0 0 \(frame.width) \(frame.height)\" role=\"img\""
        out += " aria-label=\"\(HTML.escape(title))\" font-size=\"12\" font-family=\"system-ui, sans-serif\">"
        out += "<title>\(HTML.escape(title))</title>"

        // Gridlines and y labels, one per step from 0 to the scale's maximum.
        out += "<g class=\"grid\" stroke=\"currentColor\" stroke-opacity=\"0.15\">"
        for tick in scale.ticks {
            out += "<line x1=\"\(n(frame.left))\" y1=\"\(n(y(tick)))\" x2=\"\(n(frame.left + frame.plotWidth))\" y2=\"\(n(y(tick)))\" />"
        }
        out += "</g><g class=\"axis y\" fill=\"currentColor\" text-anchor=\"end\">"
        for tick in scale.ticks {
            let label = ValueText.compact(tick, resolution: scale.step)
            out += "<text x=\"\(n(frame.left - 6))\" y=\"\(n(y(tick) + 4))\">\(HTML.escape(unit.isEmpty ? label : "\(label) \(unit)"))</text>"
        }

        // Time ticks below the plot: a mark on the baseline and a UTC label.
        let baseline = frame.top + frame.plotHeight
        out += "</g><g class=\"axis x\" fill=\"currentColor\" text-anchor=\"middle\">"
        out += "<line x1=\"\(n(frame.left))\" y1=\"\(n(baseline))\" x2=\"\(n(frame.left + frame.plotWidth))\" y2=\"\(n(baseline))\" stroke=\"currentColor\" />"
        for tick in TimeAxis.ticks(start: window.start, end: window.end, maxTicks: Int(frame.plotWidth / 70)) {
            let tx = n(x(tick.time))
            out += "<line x1=\"\(tx)\" y1=\"\(n(baseline))\" x2=\"\(tx)\" y2=\"\(n(baseline + 4))\" stroke=\"currentColor\" />"
            out += "<text x=\"\(tx)\" y=\"\(n(baseline + 17))\">\(HTML.escape(tick.label))</text>"
        }
        out += "</g>"

        if let threshold, threshold.isFinite {
            let ty = n(y(threshold))
            let label = thresholdLabel ?? sampling.valueText(threshold)
            out += "<g class=\"threshold-group\">"
            out += "<line class=\"threshold\" x1=\"\(n(frame.left))\" y1=\"\(ty)\" x2=\"\(n(frame.left + frame.plotWidth))\" y2=\"\(ty)\" stroke=\"currentColor\" stroke-dasharray=\"6 4\" />"
            out += "<text class=\"threshold-label\" x=\"\(n(frame.left + frame.plotWidth - 4))\" y=\"\(n(y(threshold) - 4))\" text-anchor=\"end\" fill=\"currentColor\">\(HTML.escape(label))</text>"
            out += "</g>"
        }

        if marks.isEmpty {
            out += "<text class=\"empty\" x=\"\(n(frame.left + frame.plotWidth / 2))\" y=\"\(n(frame.top + frame.plotHeight / 2))\" text-anchor=\"middle\" fill=\"currentColor\">no data in this period</text>"
            return out + "</svg>"
        }

        let onLine = marks.filter(\.onLine)
        if style != .points, onLine.count > 1 {
            var d = "M\(n(x(onLine[0].time))) \(n(y(onLine[0].value)))"
            for mark in onLine.dropFirst() {
                switch style {
                case .steps: d += "H\(n(x(mark.time)))V\(n(y(mark.value)))"
                default: d += "L\(n(x(mark.time))) \(n(y(mark.value)))"
                }
            }
            out += "<path class=\"series\" d=\"\(d)\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\" stroke-linejoin=\"round\" />"
        }

        // Dots get smaller as they crowd, so a dense series stays a line rather than a smear.
        let radius = marks.count > 150 ? "1.5" : "2.5"
        out += "<g class=\"marks\">"
        for mark in marks {
            let mx = x(mark.time), my = y(mark.value)
            let tooltip = "<title>\(HTML.escape(mark.tooltip))</title>"
            if mark.failed {
                let s = 4.0
                let d = "M\(n(mx - s)) \(n(my - s))L\(n(mx + s)) \(n(my + s))M\(n(mx - s)) \(n(my + s))L\(n(mx + s)) \(n(my - s))"
                out += "<path class=\"failed\" d=\"\(d)\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\">\(tooltip)</path>"
            } else {
                out += "<circle class=\"point\" cx=\"\(n(mx))\" cy=\"\(n(my))\" r=\"\(radius)\" fill=\"currentColor\">\(tooltip)</circle>"
            }
        }
        return out + "</g></svg>"
    }
}

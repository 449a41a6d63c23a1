/// Where the plot sits inside the chart's viewBox: room on the left for the y labels, below for
/// the time labels, and a little above and to the right so the top label and the last time label
/// are not clipped.
struct ChartFrame {
    var width: Int
    var height: Int
    let left = 60.0
    let right = 24.0
    let top = 18.0
    let bottom = 26.0

    var plotWidth: Double { Double(width) - left - right }
    var plotHeight: Double { Double(height) - top - bottom }
}

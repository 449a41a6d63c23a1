import Foundation
import MatviewServer
import XCTest

final class TimeSeriesChartRenderingTests: XCTestCase {
    /// 2025-11-24 00:00:00 UTC.
    let midnight = Date(timeIntervalSince1970: 1_763_942_400)

    func day(_ points: [TimeSeriesChart.Point], threshold: Double? = nil, style: TimeSeriesChart.Style = .line) -> TimeSeriesChart {
        TimeSeriesChart(
            title: "Refresh duration", unit: "ms", start: midnight, end: midnight.addingTimeInterval(86_400),
            points: points, threshold: threshold, style: style
        )
    }

    func point(_ hours: Double, _ value: Double, failed: Bool = false) -> TimeSeriesChart.Point {
        .init(time: midnight.addingTimeInterval(hours * 3600), value: value, failed: failed)
    }

    func testChartIsWellFormedWithAnAccessibleNameForHostileText() throws {
        for name in hostileRenderingNames {
            let chart = TimeSeriesChart(
                title: name, unit: name, start: midnight, end: midnight.addingTimeInterval(86_400),
                points: [point(1, 5), point(2, 7, failed: true)], threshold: 6, thresholdLabel: name
            )
            let svg = chart.svg()
            let root = try XCTUnwrap(RenderedXML.parse(svg), name)
            XCTAssertEqual(root.name, "svg")
            XCTAssertEqual(root.attributes["class"], "chart")
            XCTAssertEqual(root.attributes["role"], "img")
            XCTAssertEqual(root.attributes["viewBox"], "0 0 720 220")
            XCTAssertNotNil(root.attributes["aria-label"])
            XCTAssertEqual(root.child("title")?.text, root.attributes["aria-label"])
            XCTAssertFalse(svg.contains("<script"), name)
            XCTAssertFalse(svg.contains("<svg onload"), name)
        }
        let plain = try XCTUnwrap(RenderedXML.parse(day([point(1, 5)]).svg()))
        XCTAssertEqual(plain.attributes["aria-label"], "Refresh duration")
    }

    func testRenderingIsDeterministicAndIndependentOfPointOrder() {
        var points: [TimeSeriesChart.Point] = (0..<300).map { (i: Int) -> TimeSeriesChart.Point in
            point(Double(i) * 0.08, Double((i * 37) % 101) + 0.25, failed: i % 17 == 0)
        }
        let chart = day(points, threshold: 80)
        let first = chart.svg()
        XCTAssertEqual(first, chart.svg())
        points.reverse()
        XCTAssertEqual(first, day(points, threshold: 80).svg())
    }

    func testYAxisIsNiceAndCoversDataAndThreshold() throws {
        let chart = day([point(1, 101), point(2, 40)])
        XCTAssertEqual(chart.scale, NiceScale(max: 150, step: 50))
        XCTAssertEqual(day([point(1, 12)], threshold: 300).scale, NiceScale(max: 300, step: 100))
        XCTAssertEqual(day([point(1, 0.37)]).scale, NiceScale(max: 0.4, step: 0.1))

        let root = try XCTUnwrap(RenderedXML.parse(chart.svg()))
        let axis = try XCTUnwrap(root.descendants("g", class: "y").first)
        XCTAssertEqual(axis.descendants("text").map(\.text), ["0 ms", "50 ms", "100 ms", "150 ms"])
        XCTAssertEqual(root.descendants("g", class: "grid").first?.descendants("line").count, 4)
    }

    func testNiceScaleStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        XCTAssertEqual(NiceScale.covering(100), NiceScale(max: 100, step: 20))
        XCTAssertEqual(NiceScale.covering(7), NiceScale(max: 8, step: 2))
        XCTAssertEqual(NiceScale.covering(0), NiceScale(max: 1, step: 0.2))
        XCTAssertEqual(NiceScale.covering(-3), NiceScale(max: 1, step: 0.2))
        XCTAssertEqual(NiceScale.covering(.nan), NiceScale(max: 1, step: 0.2))
        for value in [0.0003, 0.013, 0.99, 1, 1.01, 2.5, 9.99, 47, 86_400, 123_456.7, 9e12] {
            let scale = NiceScale.covering(value)
            XCTAssertGreaterThanOrEqual(scale.max, value)
            XCTAssert((3...5).contains(scale.intervals), "\(value): \(scale)")
            var mantissa = scale.step
            while mantissa >= 10 { mantissa /= 10 }
            while mantissa < 1 { mantissa *= 10 }
            XCTAssert([1, 2, 5].contains { abs($0 - mantissa) < 1e-9 }, "\(value): step \(scale.step)")
            XCTAssertEqual(scale.max, Double(scale.intervals) * scale.step, accuracy: scale.step * 1e-9)
        }
    }

    func testPointsOutsideTheWindowAreDropped() throws {
        let inside = [point(1, 5), point(23.5, 8)]
        let outside = [point(-1, 10_000), point(25, 20_000), point(3, .nan), point(4, .infinity)]
        let chart = day(inside + outside)
        XCTAssertEqual(chart.scale, NiceScale(max: 8, step: 2))
        let root = try XCTUnwrap(RenderedXML.parse(chart.svg()))
        XCTAssertEqual(root.descendants("circle", class: "point").count, 2)
        XCTAssertFalse(chart.svg().contains("10000"))
    }

    func testFailedPointsHaveTheirOwnMarkersAndEveryPointATooltip() throws {
        let chart = day([point(14, 12.5), point(15.5, 30, failed: true), point(16, 9)])
        let root = try XCTUnwrap(RenderedXML.parse(chart.svg()))
        let failed = root.descendants("path", class: "failed")
        XCTAssertEqual(failed.count, 1)
        XCTAssertEqual(failed.first?.child("title")?.text, "2025-11-24 15:30:00 UTC: 30 ms (failed)")
        let dots = root.descendants("circle", class: "point")
        XCTAssertEqual(dots.map { $0.child("title")?.text }, ["2025-11-24 14:00:00 UTC: 12.5 ms", "2025-11-24 16:00:00 UTC: 9 ms"])
        XCTAssertEqual(root.descendants("path", class: "series").count, 1)
    }

    func testStylesChangeOnlyTheSeriesLine() throws {
        let points = [point(1, 1), point(2, 3), point(3, 2)]
        let dotsOnly = try XCTUnwrap(RenderedXML.parse(day(points, style: .points).svg()))
        XCTAssertTrue(dotsOnly.descendants("path", class: "series").isEmpty)
        XCTAssertEqual(dotsOnly.descendants("circle").count, 3)
        let steps = try XCTUnwrap(RenderedXML.parse(day(points, style: .steps).svg()))
        let d = try XCTUnwrap(steps.descendants("path", class: "series").first?.attributes["d"])
        XCTAssertTrue(d.contains("H") && d.contains("V"), d)
    }

    func testThresholdIsADashedLabelledLine() throws {
        let chart = TimeSeriesChart(
            title: "Staleness", unit: "s", start: midnight, end: midnight.addingTimeInterval(86_400),
            points: [point(1, 20)], threshold: 300, thresholdLabel: "max_staleness 5 min"
        )
        let root = try XCTUnwrap(RenderedXML.parse(chart.svg()))
        let line = try XCTUnwrap(root.descendants("line", class: "threshold").first)
        XCTAssertNotNil(line.attributes["stroke-dasharray"])
        XCTAssertEqual(root.descendants("text", class: "threshold-label").first?.text, "max_staleness 5 min")
        // The threshold is the axis's maximum here, so its line is the top gridline.
        XCTAssertEqual(line.attributes["y1"], "18")
        let unlabelled = try XCTUnwrap(RenderedXML.parse(day([point(1, 2)], threshold: 2.5).svg()))
        XCTAssertEqual(unlabelled.descendants("text", class: "threshold-label").first?.text, "2.5 ms")
    }

    func testEmptyChartDrawsAxesAndSaysSo() throws {
        for points in [[], [point(-5, 3)]] {
            let svg = day(points).svg()
            let root = try XCTUnwrap(RenderedXML.parse(svg))
            XCTAssertEqual(root.descendants("text", class: "empty").first?.text, "no data in this period")
            XCTAssertFalse(root.descendants("g", class: "y").first?.descendants("text").isEmpty ?? true)
            XCTAssertFalse(root.descendants("g", class: "x").first?.descendants("text").isEmpty ?? true)
            XCTAssertTrue(root.descendants("circle").isEmpty)
        }
        // A window that ends before it starts still renders.
        let backwards = TimeSeriesChart(title: "t", unit: "", start: midnight, end: midnight.addingTimeInterval(-10), points: [])
        XCTAssertNotNil(RenderedXML.parse(backwards.svg()))
    }

    func testTimeLabelsAreHoursForADayAndDatesForAWeek() throws {
        let dayRoot = try XCTUnwrap(RenderedXML.parse(day([]).svg()))
        let hours = dayRoot.descendants("g", class: "x").first?.descendants("text").map(\.text) ?? []
        XCTAssertEqual(hours, ["00:00", "03:00", "06:00", "09:00", "12:00", "15:00", "18:00", "21:00", "00:00"])

        let week = TimeSeriesChart(title: "w", unit: "s", start: midnight.addingTimeInterval(-6.5 * 86_400), end: midnight.addingTimeInterval(12 * 3600), points: [])
        let weekRoot = try XCTUnwrap(RenderedXML.parse(week.svg()))
        let dates = weekRoot.descendants("g", class: "x").first?.descendants("text").map(\.text) ?? []
        XCTAssertEqual(dates, ["11-18", "11-19", "11-20", "11-21", "11-22", "11-23", "11-24"])
    }

    func testHundredThousandPointsAreBucketedToABoundedSize() throws {
        let start = midnight.addingTimeInterval(-7 * 86_400)
        var points: [TimeSeriesChart.Point] = []
        for i in 0..<100_000 {
            let time = start.addingTimeInterval(Double(i) * 6.048)
            points.append(.init(time: time, value: Double(i % 977) / 10, failed: i % 9_973 == 0))
        }
        let spike = TimeSeriesChart.Point(time: start.addingTimeInterval(3 * 86_400 + 17), value: 4321)
        let chart = TimeSeriesChart(title: "Week", unit: "ms", start: start, end: midnight, points: points + [spike])
        let svg = chart.svg()
        XCTAssertLessThan(svg.utf8.count, 400_000)
        let root = try XCTUnwrap(RenderedXML.parse(svg))
        let marks = root.descendants("circle").count + root.descendants("path", class: "failed").count
        XCTAssertLessThanOrEqual(marks, 2 * TimeSeriesChart.maxMarks)
        XCTAssertGreaterThan(marks, 100)
        // The largest value and the failures survive bucketing.
        XCTAssertTrue(root.all.contains { $0.name == "title" && $0.text.contains("max 4321 ms") })
        XCTAssertEqual(root.descendants("path", class: "failed").count, 11)
        XCTAssertEqual(chart.scale, NiceScale(max: 5000, step: 1000))
        XCTAssertEqual(svg, chart.svg())
    }

    func testNumbersHaveAtMostTwoDecimalsAndTheColoursComeFromCSS() {
        let points: [TimeSeriesChart.Point] = (0..<50).map { (i: Int) -> TimeSeriesChart.Point in
            point(Double(i) * 0.37 + 0.001, Double(i) / 3, failed: i % 7 == 0)
        }
        let svg = day(points, threshold: 7.777).svg()
        XCTAssertNil(svg.range(of: #"\d\.\d{3,}"#, options: .regularExpression), "a number with more than two decimals")
        XCTAssertNil(svg.range(of: #"\de[+-]?\d"#, options: .regularExpression), "a number in exponent notation")
        XCTAssertNil(svg.range(of: #"(fill|stroke)="(#|rgb|black|white)"#, options: .regularExpression), "a hard-coded colour")
        XCTAssertFalse(svg.contains("http"))
    }
}

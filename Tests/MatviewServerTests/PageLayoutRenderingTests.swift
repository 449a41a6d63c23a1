import Foundation
import MatviewServer
import XCTest

final class PageLayoutRenderingTests: XCTestCase {
    func page(_ current: NavigationItem = .overview, status: String? = nil, body: String = "<h1>Views</h1>") -> String {
        PageLayout.document(title: "Overview", current: current, body: body, status: status)
    }

    func testDocumentHasTheHeadAPhoneNeeds() {
        let html = page()
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        XCTAssertTrue(html.contains("<meta charset=\"utf-8\" />"))
        XCTAssertTrue(html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />"))
        XCTAssertTrue(html.contains("<title>Overview · matview</title>"))
        XCTAssertTrue(html.contains("<style>"))
        XCTAssertTrue(html.contains("<main>\n<h1>Views</h1>\n</main>"))
    }

    func testNoOutsideRequestOfAnyKind() {
        let graph = LineageGraph(nodes: [.init(id: "t", label: "t", kind: .table)], edges: [])
        let chart = TimeSeriesChart(title: "c", unit: "ms", start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 3600), points: [])
        let html = page(status: "down", body: graph.svg() + chart.svg())
        for forbidden in ["http://", "https://", "//cdn", "@import", "url(http", "@font-face", "<script", "<link", "<img"] {
            XCTAssertFalse(html.lowercased().contains(forbidden), forbidden)
        }
        XCTAssertNil(PageLayout.stylesheet.range(of: #"url\((?!#)"#, options: .regularExpression))
    }

    func testStylesheetFollowsTheColourSchemeAndCoversTheClassesPagesUse() {
        let css = PageLayout.stylesheet
        XCTAssertTrue(css.contains("@media (prefers-color-scheme: dark)"))
        XCTAssertTrue(css.contains("--bg:"))
        XCTAssertTrue(css.contains("system-ui"))
        for selector in [".health-ok", ".health-stale", ".health-failing", ".health-uncaptured", ".health-never", ".num", "pre.sql", ".banner", ".chart", ".lineage"] {
            XCTAssertTrue(css.contains(selector), selector)
        }
        XCTAssertTrue(css.contains(".table-wrap { overflow-x: auto;"))
        XCTAssertTrue(css.contains(".chart { display: block; width: 100%; height: auto;"))
        XCTAssertTrue(css.contains("pre.sql {"))
        XCTAssertTrue(css.contains("font-variant-numeric: tabular-nums"))
        XCTAssertEqual(css.components(separatedBy: "{").count, css.components(separatedBy: "}").count, "unbalanced braces")
        XCTAssertTrue(page().contains(css))
    }

    func testCurrentPageIsMarkedInTheNavigation() throws {
        let overview = page(.overview)
        XCTAssertTrue(overview.contains("<a href=\"/\" aria-current=\"page\">Overview</a>"))
        XCTAssertTrue(overview.contains("<a href=\"/lineage\">Lineage</a>"))
        XCTAssertTrue(overview.contains("<a href=\"/metrics\">Metrics</a>"))
        XCTAssertTrue(overview.contains("<a href=\"/healthz\">Health</a>"))
        XCTAssertTrue(page(.lineage).contains("<a href=\"/lineage\" aria-current=\"page\">Lineage</a>"))
        XCTAssertFalse(page(.view).contains(" aria-current=\"page\">"))
        XCTAssertEqual(overview.components(separatedBy: " aria-current=\"page\">").count, 2)
    }

    func testTitleAndStatusAreEscapedAndTheBannerIsAnAlert() throws {
        for name in hostileRenderingNames {
            let html = PageLayout.document(title: name, current: .view, body: "", status: "connection refused: \(name)")
            XCTAssertFalse(html.contains("<script>"), name)
            XCTAssertFalse(html.contains("<svg onload"), name)
            let root = try XCTUnwrap(RenderedXML.parse(html), name)
            let banner = try XCTUnwrap(root.descendants("p", class: "banner").first)
            XCTAssertEqual(banner.classes, ["banner", "error"])
            XCTAssertEqual(banner.attributes["role"], "alert")
            XCTAssertEqual(banner.parent?.name, "main")
            XCTAssertEqual(root.descendants("main").first?.children.first?.name, "p")
        }
        XCTAssertFalse(page().contains("class=\"banner"))
    }

    func testAPageOfChartsAndGraphIsWellFormedAndDeterministic() throws {
        let start = Date(timeIntervalSince1970: 1_763_942_400)
        let chart = TimeSeriesChart(
            title: "Refresh <duration>", unit: "ms", start: start, end: start.addingTimeInterval(86_400),
            points: [.init(time: start.addingTimeInterval(3600), value: 3), .init(time: start.addingTimeInterval(7200), value: 9, failed: true)],
            threshold: 5, thresholdLabel: "objective"
        )
        let graph = LineageGraph(
            nodes: [.init(id: "t", label: "orders & <co>", kind: .table), .init(id: "v", label: "v", kind: .view(health: "failing"), link: "/views/v")],
            edges: [.init(from: "t", to: "v")]
        )
        let body = "<h1>\(HTML.escape("a <b> & c"))</h1><div class=\"chart-wrap\">\(chart.svg())</div><div class=\"lineage-wrap\">\(graph.svg())</div>"
        let html = PageLayout.document(title: "v", current: .view, body: body, headExtra: "<meta http-equiv=\"refresh\" content=\"30\" />")
        XCTAssertNotNil(RenderedXML.parse(html))
        XCTAssertEqual(html, PageLayout.document(title: "v", current: .view, body: body, headExtra: "<meta http-equiv=\"refresh\" content=\"30\" />"))
        XCTAssertTrue(html.contains("<meta http-equiv=\"refresh\" content=\"30\" />\n</head>"))
    }
}

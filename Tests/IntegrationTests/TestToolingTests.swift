import Foundation
import MatviewTestSupport
import XCTest

/// The tools the dashboard tests lean on work here: headless Chromium runs a page's scripts
/// before its DOM is read and takes PNG screenshots, and prometheus_client's parser accepts a
/// valid exposition and refuses a broken one.
final class TestToolingTests: XCTestCase {
    /// A page whose visible text only a script writes, after a timer: a DOM read before the
    /// scripts ran would lack it.
    static let scriptedPage = """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>tooling</title></head>
        <body><p id="out">static text</p>
        <script>
        setTimeout(function () {
          document.getElementById('out').textContent = 'written by the script: ' + (6 * 7);
          document.body.style.background = '#2a6';
        }, 500);
        </script>
        </body></html>
        """

    func pageFile() throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("matview-tooling-\(UUID().uuidString).html")
        try Self.scriptedPage.write(to: file, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(at: file) }
        return file
    }

    func testChromiumDumpsTheDOMAfterThePageScriptsRan() throws {
        let dom = try Chromium.dumpDOM(url: try pageFile().absoluteString)
        XCTAssertTrue(dom.contains("<p id=\"out\">written by the script: 42</p>"), dom)
        XCTAssertFalse(dom.contains("static text"), dom)
    }

    func testChromiumWritesAPNGScreenshotAmongTheTestArtifacts() throws {
        let artifacts = Chromium.artifactsDirectory()
        XCTAssertTrue(artifacts.path.hasSuffix(".build/test-artifacts"), artifacts.path)
        let file = artifacts.appendingPathComponent("test-tooling-screenshot.png")
        try Chromium.screenshot(url: try pageFile().absoluteString, to: file, width: 400, height: 300)
        let png = try Data(contentsOf: file)
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG signature")
        // The IHDR chunk holds the size: 400 x 300 as asked.
        XCTAssertEqual(png.count > 24 ? png[16..<24].map { $0 } : [], [0, 0, 0x01, 0x90, 0, 0, 0x01, 0x2C])
    }

    func testChromiumReportsAScreenshotItCouldNotWrite() throws {
        _ = try Chromium.executable()
        let nowhere = Chromium.artifactsDirectory().appendingPathComponent("no/such/folder/x.png")
        XCTAssertThrowsError(try Chromium.screenshot(url: try pageFile().absoluteString, to: nowhere)) { error in
            XCTAssertTrue("\(error)".contains("chromium"), "\(error)")
        }
    }

    func testPrometheusTextParsesAValidExposition() throws {
        let parsed = try PrometheusText.parse("""
            # HELP matview_view_rows Rows in the view.
            # TYPE matview_view_rows gauge
            matview_view_rows{view="dashboard_summary_mv"} 200
            matview_view_rows{view="quote \\" and \\\\ backslash"} 3
            # TYPE matview_refresh_failures_total counter
            matview_refresh_failures_total{view="a"} 1
            # TYPE matview_refresh_duration_seconds histogram
            matview_refresh_duration_seconds_bucket{view="a",le="0.1"} 1
            matview_refresh_duration_seconds_bucket{view="a",le="+Inf"} 2
            matview_refresh_duration_seconds_sum{view="a"} 0.35
            matview_refresh_duration_seconds_count{view="a"} 2
            # TYPE matview_view_seconds_stale gauge
            matview_view_seconds_stale{view="never"} NaN

            """)
        XCTAssertEqual(parsed.families, ["matview_view_rows": "gauge", "matview_refresh_failures": "counter",
                                         "matview_refresh_duration_seconds": "histogram", "matview_view_seconds_stale": "gauge"])
        XCTAssertEqual(parsed.samples.count, 8)
        XCTAssertEqual(parsed.samples[0].labels, ["view": "dashboard_summary_mv"])
        XCTAssertEqual(parsed.samples[0].value, 200)
        XCTAssertEqual(parsed.samples[1].labels["view"], "quote \" and \\ backslash")
        XCTAssertEqual(parsed.samples.first { $0.labels["le"] == "+Inf" }?.value, 2)
        XCTAssertEqual(parsed.samples.first { $0.name == "matview_refresh_duration_seconds_sum" }?.value, 0.35)
        XCTAssertTrue(parsed.samples.last?.value.isNaN == true)
    }

    func testPrometheusTextRejectsAnInvalidExposition() throws {
        XCTAssertThrowsError(try PrometheusText.parse("matview_view_rows{view=\"a\" 200\n")) { error in
            XCTAssertTrue("\(error)".hasPrefix("prometheus_client rejects the exposition: "), "\(error)")
        }
        XCTAssertThrowsError(try PrometheusText.parse("# TYPE x gauge\nx not_a_number\n"))
    }
}

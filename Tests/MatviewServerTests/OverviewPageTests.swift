import Foundation
@testable import MatviewLive
@testable import MatviewServer
import XCTest

/// The overview's sorting, filtering and escaping, rendered from status rows (no server).
final class OverviewPageTests: XCTestCase {
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    func render(_ views: [StatusReport.ViewStatus], _ parameters: [(String, String)] = [], error: String? = nil) throws -> String {
        OverviewPage(status: error == nil ? StatusReport(views: views) : nil, databaseError: error,
                     query: try OverviewQuery(parameters: parameters), clock: ScheduleClock(cronTimeZone: nil), now: now).html()
    }

    /// The views in the order the table lists them.
    func order(_ html: String) -> [String] {
        html.components(separatedBy: "data-view=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    let views = [
        StatusFixtures.view("b_ok", age: 10, rows: 5),
        StatusFixtures.view("a_failing", health: "failing", age: 50, rows: 100, failures: 3, lastError: "boom <script>"),
        StatusFixtures.view("c_stale", health: "stale", age: 5000, rows: 1),
        StatusFixtures.view("d_never", health: "never refreshed", rows: nil),
    ]

    func testDefaultOrderIsByNameAndEveryViewIsListed() throws {
        XCTAssertEqual(order(try render(views)), ["a_failing", "b_ok", "c_stale", "d_never"])
    }

    func testSortingByHealthPutsTheWorstFirstAndTiesStayAlphabetical() throws {
        XCTAssertEqual(order(try render(views, [("sort", "health"), ("order", "desc")])), ["d_never", "a_failing", "c_stale", "b_ok"])
        XCTAssertEqual(order(try render(views, [("sort", "health")])), ["b_ok", "c_stale", "a_failing", "d_never"])
    }

    func testSortingByFiguresAndFilteringByHealth() throws {
        XCTAssertEqual(order(try render(views, [("sort", "age"), ("order", "desc")])), ["d_never", "c_stale", "a_failing", "b_ok"],
                       "never refreshed counts as oldest")
        XCTAssertEqual(order(try render(views, [("sort", "rows"), ("order", "desc")])), ["a_failing", "b_ok", "c_stale", "d_never"])
        XCTAssertEqual(order(try render(views, [("health", "unhealthy")])), ["a_failing", "c_stale", "d_never"])
        XCTAssertEqual(order(try render(views, [("health", "never")])), ["d_never"])
        XCTAssertTrue(try render(views, [("health", "uncaptured")]).contains("No view matches this filter."))
    }

    func testHeaderLinksKeepTheFilterAndFlipTheOrder() throws {
        let html = try render(views, [("sort", "age"), ("order", "desc"), ("health", "unhealthy")])
        XCTAssertTrue(html.contains("href=\"/?sort=age&amp;health=unhealthy\""), "clicking the sorted column flips it to ascending")
        XCTAssertTrue(html.contains("href=\"/?sort=rows&amp;order=desc&amp;health=unhealthy\""), "figures start worst-first")
        XCTAssertTrue(html.contains("aria-sort=\"descending\""))
        XCTAssertTrue(html.contains("<option value=\"unhealthy\" selected>"))
    }

    func testNamesAndErrorsAreEscapedAndLinksPercentEncoded() throws {
        let hostile = StatusFixtures.view("we<ird> \"v&w\"", health: "failing", lastError: "x <script>alert(1)</script> & y")
        let html = try render([hostile])
        XCTAssertFalse(html.contains("<script>alert"))
        XCTAssertTrue(html.contains("we&lt;ird&gt; &quot;v&amp;w&quot;"))
        XCTAssertTrue(html.contains("href=\"/views/we%3Cird%3E%20%22v%26w%22\""))
        XCTAssertTrue(html.contains("x &lt;script&gt;alert(1)&lt;/script&gt; &amp; y"))
    }

    func testAnUnreachableDatabaseIsABannerNotAnError() throws {
        let html = try render([], error: "cannot connect to 127.0.0.1:5432: connection refused (is the server running?)")
        XCTAssertTrue(html.contains("role=\"alert\">Cannot read the database: cannot connect to 127.0.0.1:5432"))
        XCTAssertTrue(html.contains("No figures: the database could not be read."))
    }

    func testTheNextRunComesFromTheSchedule() throws {
        // 1_795_000_000 is 2026-11-18 11:06:40 UTC.
        let html = try render([StatusFixtures.view("hourly", schedule: "0 * * * *")])
        XCTAssertTrue(html.contains("2026-11-18 12:00:00 UTC"), html)
    }

    func testWorksWithoutJavaScriptAndPollsWithIt() throws {
        let html = try render(views)
        XCTAssertTrue(html.contains("<noscript><meta http-equiv=\"refresh\""))
        XCTAssertTrue(html.contains("window.setInterval(poll, 5000)"))
        XCTAssertTrue(html.contains("<form class=\"filters\" method=\"get\" action=\"/\">"))
    }

    func testBadQueryValuesAreRejected() {
        XCTAssertThrowsError(try OverviewQuery(parameters: [("sort", "bogus")]))
        XCTAssertThrowsError(try OverviewQuery(parameters: [("order", "up")]))
        XCTAssertThrowsError(try OverviewQuery(parameters: [("health", "fine")]))
        XCTAssertNoThrow(try OverviewQuery(parameters: [("_", "1700000000")]), "unknown parameters (cache-busters) are ignored")
    }

    func testTheSameInputGivesTheSameBytes() throws {
        XCTAssertEqual(try render(views), try render(views))
    }
}

import MatviewSema
import MatviewSyntax
import XCTest

/// The refresh policy the checker derives: min_interval's default and value, and the warning for
/// a min_interval that nothing uses.
final class RefreshPolicyTests: XCTestCase {
    func policy(_ refresh: String) -> (RefreshPolicy?, [String]) {
        let output = Fixtures.compile("view: v_mv\nfrom: users u\nselect:\n  id: u.id\nrefresh:\n\(refresh)")
        return (output.project.views.first?.refresh, output.diagnostics.map(Fixtures.render))
    }

    func testAQueuedViewRefreshesAtMostOnceAMinuteByDefault() {
        let (refresh, diagnostics) = policy("  on_change: queue\n")
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(refresh?.minIntervalSeconds, 60)
        XCTAssertEqual(RefreshPolicy.defaultMinIntervalSeconds(.full), 60)
    }

    func testMinIntervalIsTakenAsWritten() {
        XCTAssertEqual(policy("  on_change: queue\n  min_interval: 1s\n").0?.minIntervalSeconds, 1)
        XCTAssertEqual(policy("  on_change: queue\n  min_interval: 0s\n").0?.minIntervalSeconds, 0)
        XCTAssertEqual(policy("  on_change: queue\n  min_interval: 2m30s\n").0?.minIntervalSeconds, 150)
    }

    func testMinIntervalWithoutOnChangeQueueIsAWarningAtTheKey() {
        let (_, diagnostics) = policy("  schedule: \"0 * * * *\"\n  min_interval: 5s\n")
        XCTAssertEqual(diagnostics, ["specs/v.yaml:7:17: warning: min_interval has no effect: v_mv is not refreshed on change [invalid-value]"])
    }

    func testAMinIntervalThatIsNotADurationIsAnError() {
        let (_, diagnostics) = policy("  on_change: queue\n  min_interval: often\n")
        XCTAssertEqual(diagnostics, ["specs/v.yaml:7:17: error: min_interval must be a duration such as 30s, 10m, 1h or 1h30m, found 'often' [invalid-value]"])
    }
}

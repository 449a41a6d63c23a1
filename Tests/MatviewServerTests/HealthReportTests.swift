import Foundation
@testable import MatviewLive
@testable import MatviewServer
import XCTest

final class HealthReportTests: XCTestCase {
    func testHealthyOnlyWhenEveryViewIs() throws {
        let healthy = HealthReport(status: StatusReport(views: [StatusFixtures.view("a"), StatusFixtures.view("b")]))
        XCTAssertTrue(healthy.healthy)
        let one = HealthReport(status: StatusReport(views: [StatusFixtures.view("a"), StatusFixtures.view("b", health: "stale")]))
        XCTAssertFalse(one.healthy)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(one.json().utf8)) as? [String: Any])
        XCTAssertEqual(json["status"] as? String, "unhealthy")
        XCTAssertEqual(json["database"] as? String, "up")
        let views = try XCTUnwrap(json["views"] as? [[String: Any]])
        XCTAssertEqual(views.map { $0["health"] as? String }, ["ok", "stale"])
        XCTAssertEqual(views[1]["max_staleness_seconds"] as? Double, 600)
    }

    func testAFailingViewCarriesItsError() throws {
        let report = HealthReport(status: StatusReport(views: [StatusFixtures.view("a", health: "failing", lastError: "lock timeout")]))
        XCTAssertTrue(report.json().contains("\"last_error\" : \"lock timeout\""))
    }

    func testDatabaseDown() throws {
        let report = HealthReport(databaseError: "connection refused")
        XCTAssertFalse(report.healthy)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        XCTAssertEqual(json["status"] as? String, "database unavailable")
        XCTAssertEqual(json["error"] as? String, "connection refused")
    }

    func testNoViewsIsHealthy() {
        XCTAssertTrue(HealthReport(status: StatusReport(views: [])).healthy, "nothing deployed is nothing unhealthy")
    }
}

import MatviewLowering
@testable import MatviewSQL
import XCTest

/// The hash `matview.views.spec_hash` records and apply compares: if it changed between
/// versions (or runs, as Swift's seeded `Hasher` would), every deployed view would be rebuilt.
/// The vectors were computed independently (FNV-1a 64 over UTF-8 in the first lane; the first
/// lane of "a" is FNV-1a's published value af63dc4c8601ec8c).
final class StableHashTests: XCTestCase {
    func testKnownVectors() {
        XCTAssertEqual(StableHash.hex(""), "cbf29ce48422232584222325cbf29ce4")
        XCTAssertEqual(StableHash.hex("a"), "af63dc4c8601ec8c16d5b7f30c8a7214")
        XCTAssertEqual(StableHash.hex("dashboard_summary_mv"), "d5904cb412187f86f5c16d96fc662727")
        XCTAssertEqual(StableHash.hex("é"), "0ac21707b7181e01f49244b7cd7beefe", "hashes UTF-8 bytes")
    }

    func testLengthTakesAPrefix() {
        XCTAssertEqual(StableHash.hex("public.dashboard_summary_mv", length: 16), "495810ec4a8e36d1")
        XCTAssertEqual(SQLText.hashedName("matview_new", "public.dashboard_summary_mv"), "matview_new_495810ec4a8e36d1")
    }

    func testAnyChangeToTheInputChangesTheHash() {
        let base = StableHash.hex("SELECT 1")
        XCTAssertNotEqual(StableHash.hex("SELECT 2"), base)
        XCTAssertNotEqual(StableHash.hex("SELECT 1 "), base)
        XCTAssertNotEqual(StableHash.hex("select 1"), base)
        XCTAssertEqual(StableHash.hex("SELECT 1"), base)
    }
}

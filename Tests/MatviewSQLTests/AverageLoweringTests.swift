import MatviewDriver
import MatviewLowering
import XCTest

/// Whether a view keeps hidden sums and counts for its averages is decided once
/// (LoweredIncremental.averages), and a one-group write's in-place forms follow that decision:
/// an average is set from the hidden sum and count only where the table exists, and recomputed
/// over the group's rows elsewhere.
final class AverageLoweringTests: XCTestCase {
    private let schema = """
    CREATE TABLE owners (id bigint PRIMARY KEY);
    CREATE TABLE items (id bigint PRIMARY KEY, owner_id bigint NOT NULL REFERENCES owners(id), weight integer);
    """

    private func lowered(onChange: String) throws -> LoweredIncremental {
        let spec = """
        view: owner_weights
        from: owners o
        join:
          - left: items i
            on: i.owner_id = o.id
        group_by: [o.id]
        select:
          owner_id: o.id
          items: count(i.id)
          mean_weight: avg(i.weight)
        refresh:
          strategy: incremental
          on_change: \(onChange)

        """
        let output = Compiler().compile(specFiles: [("specs/owner_weights.yaml", spec)], schemaFiles: [("specs/schema.sql", schema)])
        XCTAssertFalse(output.hasErrors, "\(output.diagnostics)")
        return try XCTUnwrap(LoweredProject(output.project, supportSchema: "matview").views.first?.incremental)
    }

    /// The in-place form of each column of the rows-alone write, as a word.
    private func inPlace(_ incremental: LoweredIncremental) throws -> [String] {
        try XCTUnwrap(incremental.delta?.rowsAlone).inPlace.map {
            switch $0 {
            case nil: "none"
            case .recomputed?: "recomputed"
            case .average?: "hidden"
            }
        }
    }

    func testAnImmediateViewSetsItsAverageFromTheHiddenSumAndCount() throws {
        let incremental = try lowered(onChange: "immediate")
        XCTAssertEqual(incremental.averages?.tableColumns, ["owner_id", "matview_s3", "matview_n3"])
        XCTAssertEqual(try inPlace(incremental), ["none", "none", "hidden"])
    }

    func testAQueuedViewKeepsNoneAndRecomputesItsAverage() throws {
        let incremental = try lowered(onChange: "queue")
        XCTAssertNil(incremental.averages)
        XCTAssertNil(incremental.queryWithAverages)
        XCTAssertEqual(try inPlace(incremental), ["none", "none", "recomputed"])
    }
}

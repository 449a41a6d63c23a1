import Foundation

/// What the server says a statement cost it, from `EXPLAIN (ANALYZE, FORMAT JSON)`: its own
/// execution and planning time, without the round trip, the protocol and the client's decoding
/// that a time measured by the client includes (for a one-row lookup those are most of it).
struct ServerTiming: Sendable {
    var executionMs: Double
    var planningMs: Double
    /// Rows the statement's top plan node returned.
    var rows: Double

    private struct Explained: Decodable {
        struct Plan: Decodable {
            var actualRows: Double
            enum CodingKeys: String, CodingKey { case actualRows = "Actual Rows" }
        }
        var plan: Plan
        var planningTime: Double
        var executionTime: Double
        enum CodingKeys: String, CodingKey {
            case plan = "Plan", planningTime = "Planning Time", executionTime = "Execution Time"
        }
    }

    /// Parses the one-element array EXPLAIN's JSON format prints.
    init(explainJSON: String) throws {
        guard let explained = try JSONDecoder().decode([Explained].self, from: Data(explainJSON.utf8)).first else {
            throw LiveConnection.Failure("EXPLAIN printed no plan")
        }
        executionMs = explained.executionTime
        planningMs = explained.planningTime
        rows = explained.plan.actualRows
    }
}

extension LiveConnection {
    /// Runs `statement` (e.g. `EXECUTE name(...)`) under EXPLAIN ANALYZE. TIMING OFF: the total
    /// execution time is still measured, but not each plan node's, whose clock reads would add
    /// per-row overhead to a scan of the whole view.
    func serverTiming(_ statement: String) async throws -> ServerTiming {
        guard let json = try await rows("EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) \(statement)").first?.first ?? nil else {
            throw Failure("EXPLAIN printed nothing for \(statement)")
        }
        return try ServerTiming(explainJSON: json)
    }
}

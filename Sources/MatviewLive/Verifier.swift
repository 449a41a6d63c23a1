import Foundation
import MatviewLowering
import MatviewSyntax

/// `verify`: each deployed view against its defining query, both directions (EXCEPT ALL), with
/// a few sample rows of each difference. The seed's "zero data inconsistency" check. An
/// incremental view that keeps hidden sums and counts for its averages (LoweredAverages) has
/// them compared too: the view can match its query while they are wrong (a write that bypassed
/// the triggers), and the next write of the group would then set a wrong average.
public struct Verifier: Sendable {
    public struct Result: Sendable, Codable {
        public var view: String
        public var missing: Int
        public var extra: Int
        /// Rows the query returns that the view lacks, as JSON.
        public var missingSamples: [String]
        /// Rows the view has that the query does not return, as JSON.
        public var extraSamples: [String]
        /// The hidden sums and counts of the view's averages against the query's; nil (absent
        /// from JSON) for a view that keeps none.
        public var hiddenAverages: HiddenAverages?
        public var equal: Bool { missing == 0 && extra == 0 && hiddenAverages?.equal != false }
    }

    /// The rows of a view's hidden sums and counts table (its grain's columns, then
    /// `matview_s<i>`, `matview_n<i>`) against what its defining query gives, compared as text.
    public struct HiddenAverages: Sendable, Codable {
        public var table: String
        /// The statement that rewrites them (and any row of the view that differs).
        public var repair: String
        /// False when the connected role may not execute the comparison (the support schema's
        /// functions are the deploying role's): the counts are then 0, and nothing is claimed.
        public var compared: Bool
        public var missing: Int
        public var extra: Int
        public var missingSamples: [String]
        public var extraSamples: [String]
        public var equal: Bool { missing == 0 && extra == 0 }
    }

    public let supportSchema: String
    public let sampleSize: Int

    public init(supportSchema: String, sampleSize: Int = 3) {
        self.supportSchema = supportSchema
        self.sampleSize = sampleSize
    }

    public func verify(on connection: LiveConnection, only view: String? = nil) async throws -> [Result] {
        let deployed = try await DeployedView.load(on: connection, supportSchema: supportSchema, only: view)
        var results: [Result] = []
        for deployedView in deployed {
            let name = deployedView.name, table = deployedView.qualifiedName, query = deployedView.definition
            let missingSQL = "(\(query)) EXCEPT ALL TABLE \(table)"
            let extraSQL = "TABLE \(table) EXCEPT ALL (\(query))"
            let missing = Int(try await connection.rows("SELECT count(*)::text FROM (\(missingSQL)) d").first?.first.flatMap { $0 } ?? "0") ?? 0
            let extra = Int(try await connection.rows("SELECT count(*)::text FROM (\(extraSQL)) d").first?.first.flatMap { $0 } ?? "0") ?? 0
            let missingSamples = missing == 0 ? [] : try await connection.rows("SELECT row_to_json(d)::text FROM (\(missingSQL)) d LIMIT \(sampleSize)").compactMap { $0.first ?? nil }
            let extraSamples = extra == 0 ? [] : try await connection.rows("SELECT row_to_json(d)::text FROM (\(extraSQL)) d LIMIT \(sampleSize)").compactMap { $0.first ?? nil }
            results.append(Result(view: name, missing: missing, extra: extra, missingSamples: missingSamples, extraSamples: extraSamples,
                                  hiddenAverages: try await hiddenAverages(of: deployedView, on: connection)))
        }
        return results
    }

    /// Calls the view's generated comparison (IncrementalMaintenance.averagesDifferences), which
    /// exists only where the view keeps hidden sums and counts.
    private func hiddenAverages(of view: DeployedView, on connection: LiveConnection) async throws -> HiddenAverages? {
        guard view.strategy == "incremental", let prefix = view.maintenancePrefix else { return nil }
        let function = "\(SQLPrinter.identifier(supportSchema)).\(SQLPrinter.identifier(IncrementalNames.averagesDifferences(prefix: prefix)))"
        let signature = SQLPrinter.literal(function + "(integer)")
        let found = try await connection.rows("""
            SELECT (to_regprocedure(\(signature)) IS NOT NULL)::text,
                   (to_regprocedure(\(signature)) IS NOT NULL AND has_function_privilege(to_regprocedure(\(signature)), 'EXECUTE'))::text
            """).first
        guard found?[0] == "true" else { return nil }
        let schema = SQLPrinter.identifier(supportSchema)
        let table = "\(schema).\(SQLPrinter.identifier(IncrementalNames.averages(prefix: prefix)))"
        let repair = "SELECT \(schema).refresh(\(SQLPrinter.literal(view.name)))"
        guard found?[1] == "true" else {
            return HiddenAverages(table: table, repair: repair, compared: false, missing: 0, extra: 0, missingSamples: [], extraSamples: [])
        }
        guard let row = try await connection.rows("""
            SELECT matview_missing::text, matview_extra::text, array_to_json(matview_missing_rows)::text, array_to_json(matview_extra_rows)::text
            FROM \(function)(\(sampleSize))
            """).first else { return nil }
        func samples(_ json: String?) -> [String] {
            guard let json, let data = json.data(using: .utf8), let rows = try? JSONDecoder().decode([String].self, from: data) else { return [] }
            return rows
        }
        return HiddenAverages(table: table, repair: repair, compared: true,
                              missing: Int(row[0] ?? "0") ?? 0, extra: Int(row[1] ?? "0") ?? 0,
                              missingSamples: samples(row[2]), extraSamples: samples(row[3]))
    }

    public static func text(_ results: [Result]) -> String {
        var out = ""
        for result in results {
            if result.equal {
                out += "\(result.view): equal\n"
            } else {
                out += "\(result.view): \(result.missing) missing, \(result.extra) extra\n"
                for sample in result.missingSamples { out += "  missing: \(sample)\n" }
                for sample in result.extraSamples { out += "  extra:   \(sample)\n" }
            }
            if let hidden = result.hiddenAverages, !hidden.compared {
                out += "  hidden sums and counts of its averages (\(hidden.table)): not compared, this role may not execute their comparison\n"
            } else if let hidden = result.hiddenAverages, !hidden.equal {
                out += "  hidden sums and counts of its averages (\(hidden.table)): \(hidden.missing) missing, \(hidden.extra) extra;"
                    + " `\(hidden.repair)` rewrites them\n"
                for sample in hidden.missingSamples { out += "    missing: \(sample)\n" }
                for sample in hidden.extraSamples { out += "    extra:   \(sample)\n" }
            }
        }
        return out
    }
}

import MatviewSyntax

/// `verify`: each deployed view against its defining query, both directions (EXCEPT ALL), with
/// a few sample rows of each difference. The seed's "zero data inconsistency" check.
public struct Verifier: Sendable {
    public struct Result: Sendable, Codable {
        public var view: String
        public var missing: Int
        public var extra: Int
        /// Rows the query returns that the view lacks, as JSON.
        public var missingSamples: [String]
        /// Rows the view has that the query does not return, as JSON.
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
            results.append(Result(view: name, missing: missing, extra: extra, missingSamples: missingSamples, extraSamples: extraSamples))
        }
        return results
    }

    public static func text(_ results: [Result]) -> String {
        var out = ""
        for result in results {
            if result.equal {
                out += "\(result.view): equal\n"
                continue
            }
            out += "\(result.view): \(result.missing) missing, \(result.extra) extra\n"
            for sample in result.missingSamples { out += "  missing: \(sample)\n" }
            for sample in result.extraSamples { out += "  extra:   \(sample)\n" }
        }
        return out
    }
}

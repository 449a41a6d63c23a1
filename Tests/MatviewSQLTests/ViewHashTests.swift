import MatviewLowering
import MatviewDriver
import MatviewSQL
import XCTest

/// A view's deployment hash covers everything apply would have to rebuild for: the query, the
/// indexes, the comments (descriptions), the grants, and the hashes of the views it reads.
final class ViewHashTests: XCTestCase {
    static let schema = """
    CREATE TABLE accounts (id bigint PRIMARY KEY, name text NOT NULL);
    CREATE TABLE entries (id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts(id), amount numeric NOT NULL);
    """

    static let totals = """
    view: account_totals
    description: One row per account.
    from: accounts a
    join:
      - left: entries e
        on: e.account_id = a.id
    group_by: [a.id]
    select:
      account_id: a.id
      total: coalesce(sum(e.amount), 0)
    indexes:
      - columns: [account_id]
        unique: true

    """

    static let ranked = """
    view: ranked_accounts
    from: account_totals t
    select:
      account_id: t.account_id
      total: t.total

    """

    func hashes(totals: String = totals, ranked: String = ranked) throws -> [String: String] {
        let output = Compiler().compile(specFiles: [("specs/account_totals.yaml", totals), ("specs/ranked_accounts.yaml", ranked)],
                                        schemaFiles: [("specs/schema.sql", Self.schema)])
        XCTAssertFalse(output.hasErrors, "\(output.diagnostics)")
        let generator = SQLGenerator(LoweredProject(output.project, supportSchema: "matview"), specPaths: [])
        return Dictionary(uniqueKeysWithValues: generator.definitions.map { ($0.name, $0.hash) })
    }

    func testSameSpecsGiveTheSameHashes() throws {
        let first = try hashes(), second = try hashes()
        XCTAssertEqual(first.count, 2)
        XCTAssertEqual(first, second)
        XCTAssertEqual(first["account_totals"]?.count, 32)
    }

    func testADescriptionChangeChangesTheViewAndItsDependents() throws {
        let base = try hashes()
        let changed = try hashes(totals: Self.totals.replacingOccurrences(of: "One row per account.", with: "One row per account, with totals."))
        XCTAssertNotEqual(changed["account_totals"], base["account_totals"])
        XCTAssertNotEqual(changed["ranked_accounts"], base["ranked_accounts"], "a dependent view's hash includes its upstream's")
    }

    func testAQueryOrIndexChangeChangesTheHash() throws {
        let base = try hashes()
        let query = try hashes(totals: Self.totals.replacingOccurrences(of: "coalesce(sum(e.amount), 0)", with: "coalesce(sum(e.amount), 1)"))
        XCTAssertNotEqual(query["account_totals"], base["account_totals"])
        let index = try hashes(totals: Self.totals + "  - columns: [total]\n")
        XCTAssertNotEqual(index["account_totals"], base["account_totals"])
    }

    func testAChangeDownstreamLeavesTheUpstreamAlone() throws {
        let base = try hashes()
        let changed = try hashes(ranked: Self.ranked + "description: Accounts by total.\n")
        XCTAssertEqual(changed["account_totals"], base["account_totals"])
        XCTAssertNotEqual(changed["ranked_accounts"], base["ranked_accounts"])
    }
}

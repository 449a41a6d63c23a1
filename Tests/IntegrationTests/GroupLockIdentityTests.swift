import Foundation
import MatviewTestSupport
import XCTest

/// The lock of an immediate view's group is taken on the key's value, not on how it prints:
/// `1.0` and `1.00` are one numeric group (one row of the grain index), so their writers must
/// wait for each other, or two statements recompute one group at once and the second one's
/// insert of the group's row fails on the unique index (or the row misses the first's change).
final class GroupLockIdentityTests: XCTestCase {
    private let spec = """
    view: reading_buckets
    from: readings r
    group_by: [r.bucket]
    select:
      bucket: r.bucket
      readings: count(*)
      total: sum(r.v)
    refresh:
      strategy: incremental
      on_change: immediate

    """

    func testEqualNumericKeysThatPrintDifferentlyLockOneGroup() throws {
        let server = try PostgresServer.fromEnvironment()
        let fixture = try DeploymentFixture.deployed(
            extraSpec: "reading_buckets.yaml", spec,
            tables: "CREATE TABLE readings (id bigserial PRIMARY KEY, bucket numeric NOT NULL, v integer NOT NULL);",
            dropping: ["readings"], rows: "INSERT INTO readings (bucket, v) VALUES (1.0, 1), (2, 1);", server: server)
        defer {
            fixture.remove()
            _ = try? server.execute("DROP TABLE IF EXISTS readings CASCADE")
        }

        // One session writes bucket 1.0 and keeps its transaction open: it holds that group.
        let holder = try PsqlSession(server, name: "bucket_holder")
        holder.send("BEGIN; INSERT INTO readings (bucket, v) VALUES (1.0, 10);")
        try server.waitFor("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'bucket_holder' AND state = 'idle in transaction'",
                           "1", "the holder has written bucket 1.0")
        // Another group goes through without waiting.
        do {
            try server.run(["-c", "SET lock_timeout = '100ms'", "-c", "INSERT INTO readings (bucket, v) VALUES (2.000, 5)"])
        } catch {
            XCTFail("a writer of another group waited: \(error)")
        }
        // 1.00 is the holder's group, printed differently: its writer waits for the group's lock
        // before it recomputes (not for the holder's row of the view, after recomputing without
        // the holder's change).
        let waiter = try PsqlSession(server, name: "bucket_waiter")
        waiter.send("INSERT INTO readings (bucket, v) VALUES (1.00, 100);")
        try server.waitFor("""
            SELECT string_agg(l.locktype, ',') FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE a.application_name = 'bucket_waiter' AND NOT l.granted
            """, "advisory", "the writer of 1.00 waits for the group lock of 1.0", timeout: 20)
        holder.send("COMMIT;")
        XCTAssertEqual(holder.finish().status, 0)
        let waited = waiter.finish()
        XCTAssertEqual(waited.status, 0, waited.stderr)

        let difference = try server.differencesFromDefiningQuery("reading_buckets")
        XCTAssertEqual(difference.missing, 0)
        XCTAssertEqual(difference.extra, 0)
        XCTAssertEqual(try server.value("SELECT readings || ' ' || total FROM reading_buckets WHERE bucket = 1"), "3 111")
    }
}

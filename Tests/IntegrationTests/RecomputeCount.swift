import MatviewLowering
import MatviewTestSupport

extension PostgresServer {
    /// How many times `statements`, run in one transaction after `settings` (SET LOCAL
    /// statements), recomputed groups of the incremental view `view` in schema public: its
    /// `_apply` function's calls, counted by track_functions.
    func recomputes(of view: String, _ statements: [String], settings: [String] = []) throws -> Int {
        let apply = IncrementalNames(schema: "public", view: view, supportSchema: "matview").apply
        let output = try run(["-c", "BEGIN", "-c", "SET LOCAL track_functions = 'pl'"] + (settings + statements).flatMap { ["-c", $0] }
            + ["-c", "SELECT coalesce(sum(calls), 0) FROM pg_stat_xact_user_functions WHERE funcname = '\(apply)'", "-c", "COMMIT"])
        return Int(output.stdout.split(separator: "\n").last.map(String.init) ?? "") ?? -1
    }
}

import Foundation
import Logging
import MatviewRuntime
import PostgresNIO

/// Prints one user's dashboard row: `DATABASE_URL=postgres://... swift run DashboardApp 42`.
/// `DashboardSummaryMv` is generated at build time from specs/dashboard_summary.yaml.
@main
struct DashboardApp {
    static func main() async throws {
        let arguments = CommandLine.arguments.dropFirst()
        guard let userID = arguments.first.flatMap(Int64.init),
              let url = ProcessInfo.processInfo.environment["DATABASE_URL"] else {
            FileHandle.standardError.write(Data("usage: DATABASE_URL=postgres://user@host/db DashboardApp USER_ID\n".utf8))
            exit(2)
        }
        let client = PostgresClient(configuration: try DatabaseURL(url).clientConfiguration(), backgroundLogger: Logger(label: "dashboard.pg"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            let reader = ViewReader(database: client, logger: Logger(label: "dashboard"))
            if let row = try await DashboardSummaryMv.find(userId: userID, on: reader) {
                print("\(row.name): \(row.totalProjects) projects, \(row.completedTasks) of \(row.totalTasks) tasks completed, last active \(row.lastActivity)")
                if let seconds = row.avgCompletionSeconds { print("average completion: \(seconds) s") }
            } else {
                print("no dashboard row for user \(userID)")
            }
            group.cancelAll()
        }
    }
}

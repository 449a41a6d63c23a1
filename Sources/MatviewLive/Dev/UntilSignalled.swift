import Foundation
import Logging
import ServiceLifecycle

/// Runs a command's whole life as the one service of a ServiceGroup that turns SIGTERM and SIGINT
/// into graceful shutdown (as `worker` and `serve` do), for `matview dev`, which must clean up
/// whenever the signal comes: while the cluster starts, it finishes the step under way and then
/// stops; once it is ready, it stops at once. The group ignores the signals' default action, so
/// the process is never killed halfway, with a server running and its folder left behind.
public enum UntilSignalled {
    /// Runs `body` to its end inside the group; its result is returned once the group is done.
    public static func run<Result: Sendable>(_ body: @escaping @Sendable () async -> Result) async throws -> Result {
        let service = BodyService(body: body)
        // The body returns on its own when the start fails: that ends the group, it is no error.
        let configuration = ServiceGroupConfiguration(
            services: [.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: Logger(label: "matview.dev", factory: { _ in SwiftLogNoOpLogHandler() }))
        let group = ServiceGroup(configuration: configuration)
        try await group.run()
        guard let result = service.result else { throw CancellationError() }
        return result
    }

    /// True once SIGTERM or SIGINT arrived (inside `run`'s body).
    public static var signalled: Bool { Task.isShuttingDownGracefully }

    /// Returns when SIGTERM or SIGINT arrives (at once if one already has).
    public static func waitForSignal() async {
        try? await gracefulShutdown()
    }

    /// Runs `operation`, cancelling it when SIGTERM or SIGINT arrives.
    public static func cancellingOnSignal<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await cancelWhenGracefulShutdown(operation)
    }

    /// The body as a service; its result is kept under a lock (the group runs it on a task of its own).
    private final class BodyService<Result: Sendable>: Service, @unchecked Sendable {
        let body: @Sendable () async -> Result
        private let lock = NSLock()
        private var stored: Result?

        init(body: @escaping @Sendable () async -> Result) { self.body = body }

        var result: Result? { lock.withLock { stored } }

        func run() async {
            let value = await body()
            lock.withLock { stored = value }
        }
    }
}

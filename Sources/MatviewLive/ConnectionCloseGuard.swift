import Foundation
import NIOCore

/// Makes a query fail when its connection closes, rather than wait forever.
///
/// postgres-nio (1.33) never answers a query sent once the server has closed the connection:
/// the write fails on the closed channel and the query's promise is dropped. A command whose
/// server restarted between two statements, or `matview worker` whose session was terminated
/// while it slept, would hang there for good. So each query runs in a task of its own, raced
/// against the connection's close, and whichever comes first answers; a query left hanging keeps
/// only its own small task suspended.
final class ConnectionCloseGuard: @unchecked Sendable {
    private let lock = NSLock()
    private var closed = false
    /// How to fail each query in flight, by number.
    private var inFlight: [Int: @Sendable (Error) -> Void] = [:]
    private var lastNumber = 0
    private let failure: @Sendable () -> Error

    init(closeFuture: EventLoopFuture<Void>, failure: @escaping @Sendable () -> Error) {
        self.failure = failure
        // One callback for the connection's life, not one per query: they would pile up.
        closeFuture.whenComplete { [weak self] _ in self?.connectionClosed() }
    }

    var isClosed: Bool { lock.withLock { closed } }

    func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            let answer = AnswerOnce(continuation)
            let number: Int? = lock.withLock {
                guard !closed else { return nil }
                lastNumber += 1
                inFlight[lastNumber] = { answer.resume(with: .failure($0)) }
                return lastNumber
            }
            guard let number else {
                answer.resume(with: .failure(failure()))
                return
            }
            Task {
                let result: Result<T, Error>
                do { result = .success(try await body()) } catch { result = .failure(error) }
                self.lock.withLock { _ = self.inFlight.removeValue(forKey: number) }
                answer.resume(with: result)
            }
        }
    }

    private func connectionClosed() {
        let waiting: [@Sendable (Error) -> Void] = lock.withLock {
            closed = true
            defer { inFlight = [:] }
            return Array(inFlight.values)
        }
        for fail in waiting { fail(failure()) }
    }
}

/// A continuation that the query's answer and the connection's close may both try to resume:
/// the first wins, the second is ignored.
private final class AnswerOnce<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, Error>?

    init(_ continuation: CheckedContinuation<T, Error>) {
        self.continuation = continuation
    }

    func resume(with result: Result<T, Error>) {
        let pending: CheckedContinuation<T, Error>? = lock.withLock {
            defer { continuation = nil }
            return continuation
        }
        pending?.resume(with: result)
    }
}

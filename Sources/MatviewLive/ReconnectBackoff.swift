/// Waits between connection attempts: 1 s, doubling, at most 15 s, so a server that comes
/// back is found soon and one that stays down is not hammered.
struct ReconnectBackoff {
    static let first: Duration = .seconds(1)
    static let cap: Duration = .seconds(15)

    private var current: Duration?

    mutating func next() -> Duration {
        let delay = current.map { min($0 * 2, Self.cap) } ?? Self.first
        current = delay
        return delay
    }

    mutating func reset() { current = nil }
}

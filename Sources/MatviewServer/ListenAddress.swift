/// Where `serve` listens: `HOST:PORT`, `[IPv6]:PORT`, or just `PORT` (on loopback). Loopback by
/// default, because the pages show view definitions and errors that need not leave the machine;
/// listening wider is a choice an operator makes explicitly (`--listen 0.0.0.0:8080`).
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public static let `default` = ListenAddress(host: "127.0.0.1", port: 8080)

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public struct Invalid: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public init(parsing text: String) throws(Invalid) {
        var host = "127.0.0.1"
        var portText = text
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw Invalid(description: "--listen takes HOST:PORT, [IPv6]:PORT or PORT, not '\(text)'")
            }
            host = String(text[text.index(after: text.startIndex)..<close])
            portText = String(text[text.index(close, offsetBy: 2)...])
        } else if let colon = text.lastIndex(of: ":") {
            host = String(text[..<colon])
            portText = String(text[text.index(after: colon)...])
            guard !host.contains(":") else {
                throw Invalid(description: "write an IPv6 address in brackets, e.g. [::1]:8080, not '\(text)'")
            }
        }
        guard !host.isEmpty, !host.contains(where: { $0 == " " || $0 == "/" }) else {
            throw Invalid(description: "--listen needs a host before the colon, e.g. 127.0.0.1:8080, not '\(text)'")
        }
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw Invalid(description: "the port in --listen must be a number from 0 to 65535 (0: any free port), not '\(portText)'")
        }
        self.host = host
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

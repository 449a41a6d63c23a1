import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Plain GET requests to a server a test started, answered synchronously.
public enum HTTPClient {
    public struct Response: Sendable {
        public var status: Int
        public var contentType: String?
        public var body: String
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func get(_ url: String, timeout: TimeInterval = 30) throws -> Response {
        guard let target = URL(string: url) else { throw Failure(description: "not a URL: \(url)") }
        var request = URLRequest(url: target, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = "GET"
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox()
        let task = URLSession.shared.dataTask(with: request) { data, response, error in
            if let error {
                box.result = .failure(Failure(description: "GET \(url): \(error)"))
            } else if let http = response as? HTTPURLResponse {
                box.result = .success(Response(status: http.statusCode, contentType: http.value(forHTTPHeaderField: "Content-Type"),
                                               body: String(decoding: data ?? Data(), as: UTF8.self)))
            } else {
                box.result = .failure(Failure(description: "GET \(url): no HTTP response"))
            }
            done.signal()
        }
        task.resume()
        guard done.wait(timeout: .now() + timeout + 5) == .success, let result = box.result else {
            task.cancel()
            throw Failure(description: "GET \(url): no answer within \(Int(timeout)) s")
        }
        return try result.get()
    }

    private final class ResultBox: @unchecked Sendable {
        var result: Result<Response, Failure>?
    }
}

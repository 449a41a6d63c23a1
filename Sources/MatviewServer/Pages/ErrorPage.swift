import Hummingbird

/// A 4xx answer as a page: what was wrong with the request, and the way back.
struct ErrorPage {
    var status: HTTPResponse.Status
    var message: String

    func html() -> String {
        let body = "<h1>\(status.code) \(HTML.escape(status.reasonPhrase))</h1>\n<p>\(HTML.escape(message))</p>\n<p><a href=\"/\">Back to the overview</a></p>\n"
        return PageLayout.document(title: "matview: \(status.code)", current: .view, body: body)
    }
}

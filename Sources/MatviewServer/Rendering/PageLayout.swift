/// The frame every dashboard page shares: the HTML5 document, the inline stylesheet, the header
/// navigation and an optional alert banner.
///
/// The page makes no outside request of any kind (no CDN, web font, script or image URL): the
/// dashboard runs next to a database, often on a network without internet access, and a page
/// that waits for a blocked font server is a page that does not load during an incident.
public enum PageLayout {
    /// The header links, in order. Metrics and Health are the machine endpoints (Prometheus text
    /// and the health check), linked so a person can find them.
    static let navigation: [(label: String, path: String, item: NavigationItem?)] = [
        ("Overview", "/", .overview),
        ("Lineage", "/lineage", .lineage),
        ("Metrics", "/metrics", nil),
        ("Health", "/healthz", nil),
    ]

    /// A complete HTML document.
    ///
    /// - Parameters:
    ///   - title: plain text (escaped here), shown in the browser tab as "title · matview".
    ///   - current: the page, whose header link gets `aria-current="page"`.
    ///   - body: the markup inside `<main>`, already escaped by the caller.
    ///   - headExtra: markup appended to `<head>` (a refresh `<meta>`, say), not escaped.
    ///   - status: plain text (escaped here) shown as an alert banner at the top of `<main>`,
    ///     for example when the database cannot be reached and the page shows what it last knew.
    public static func document(
        title: String, current: NavigationItem, body: String, headExtra: String = "", status: String? = nil
    ) -> String {
        var links = ""
        for link in navigation {
            var attributes = [("href", link.path)]
            if let item = link.item, item == current { attributes.append(("aria-current", "page")) }
            links += "<li>\(HTML.text("a", attributes: attributes, link.label))</li>"
        }
        var banner = ""
        if let status {
            banner = HTML.text("p", attributes: [("class", "banner error"), ("role", "alert")], status) + "\n"
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <meta name="color-scheme" content="light dark" />
            <title>\(HTML.escape(title)) · matview</title>
            <style>
            \(stylesheet)</style>
            \(headExtra.isEmpty ? "" : headExtra + "\n")</head>
            <body>
            <header class="site">
            <span class="brand">matview</span>
            <nav aria-label="Main"><ul>\(links)</ul></nav>
            </header>
            <main>
            \(banner)\(body)
            </main>
            </body>
            </html>

            """
    }
}

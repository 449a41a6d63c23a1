import Foundation
import MatviewLive

/// `/`: one row per view with its health against its objective, refresh figures, failures,
/// backlog and schedule. Sorting and filtering are links and a GET form; a small inline script
/// re-fetches the page every few seconds and swaps the table in, and without JavaScript the page
/// reloads itself (a `<noscript>` refresh), so it stays current either way.
struct OverviewPage {
    var status: StatusReport?
    var databaseError: String?
    var query: OverviewQuery
    var clock: ScheduleClock
    var now: Date

    static let pollSeconds = 5

    func html() -> String {
        var body = "<h1>Materialized views</h1>\n"
        body += "<p class=\"meta\">Updated <time id=\"updated\" datetime=\"\(DisplayFormat.isoTime(now))\">\(HTML.escape(DisplayFormat.time(now)))</time>"
        body += " · refreshes every \(Self.pollSeconds) s</p>\n"
        body += filterForm()
        body += "<div id=\"overview\">\n"
        if let status {
            body += summary(status) + table(status)
        } else {
            body += "<p class=\"empty\">No figures: the database could not be read.</p>\n"
        }
        body += "</div>\n"
        let head = """
            <noscript><meta http-equiv="refresh" content="\(Self.pollSeconds * 3)"></noscript>
            <script>\(Self.pollScript)</script>
            """
        return PageLayout.document(title: "matview: overview", current: .overview, body: body, headExtra: head,
                                   status: DisplayFormat.databaseBanner(databaseError))
    }

    private func filterForm() -> String {
        var form = "<form class=\"filters\" method=\"get\" action=\"/\">\n<label>Health <select name=\"health\">"
        for filter in OverviewQuery.HealthFilter.allCases {
            let label = filter == .never ? "never refreshed" : filter.rawValue
            form += "<option value=\"\(filter.rawValue)\"\(filter == query.health ? " selected" : "")>\(label)</option>"
        }
        form += "</select></label>\n"
        if query.sort != .view { form += "<input type=\"hidden\" name=\"sort\" value=\"\(query.sort.rawValue)\">" }
        if query.descending { form += "<input type=\"hidden\" name=\"order\" value=\"desc\">" }
        form += "<button type=\"submit\">Filter</button>\n</form>\n"
        return form
    }

    private func summary(_ status: StatusReport) -> String {
        let unhealthy = status.views.filter { !$0.healthy }.count
        let text = status.views.isEmpty ? "No views deployed."
            : unhealthy == 0 ? "All \(status.views.count) views healthy."
            : "\(unhealthy) of \(status.views.count) views need attention."
        return "<p class=\"summary \(unhealthy == 0 ? "health-ok" : "health-failing")\" id=\"summary\">\(HTML.escape(text))</p>\n"
    }

    private func rows(_ status: StatusReport) -> [StatusReport.ViewStatus] {
        let shown = status.views.filter { query.health.admits($0.health) }
        func key(_ v: StatusReport.ViewStatus) -> (Double, String) {
            switch query.sort {
            case .view: return (0, v.view)
            case .health: return (Double(Self.healthSeverity.count - (Self.healthSeverity.firstIndex(of: v.health) ?? 0)), v.view)
            case .age: return (v.ageSeconds ?? .infinity, v.view)
            case .duration: return (v.lastDurationMs ?? -1, v.view)
            case .rows: return (Double(v.rows ?? -1), v.view)
            case .failures: return (Double(v.failures24h), v.view)
            case .pending: return (Double(v.pendingChanges), v.view)
            case .next: return (clock.nextRun(of: v.schedule, after: now)?.timeIntervalSince1970 ?? .infinity, v.view)
            }
        }
        // Ties keep alphabetical order whichever way the column sorts.
        return shown.sorted { a, b in
            let (ka, kb) = (key(a), key(b))
            if ka.0 != kb.0 { return query.descending ? ka.0 > kb.0 : ka.0 < kb.0 }
            return ka.1 < kb.1
        }
    }

    private func header(_ title: String, _ column: OverviewQuery.Column, numeric: Bool = false) -> String {
        let target = query.sorting(by: column)
        let marker = query.sort == column ? (query.descending ? " ▼" : " ▲") : ""
        let sortState = query.sort == column ? " aria-sort=\"\(query.descending ? "descending" : "ascending")\"" : ""
        let link = target.queryString.isEmpty ? "/" : "/?" + target.queryString
        return "<th scope=\"col\"\(numeric ? " class=\"num\"" : "")\(sortState)><a href=\"\(HTML.escape(link))\">\(HTML.escape(title))\(marker)</a></th>"
    }

    private func table(_ status: StatusReport) -> String {
        let shown = rows(status)
        var html = "<div class=\"table-wrap\"><table class=\"overview\">\n<thead><tr>"
        html += header("View", .view) + header("Health", .health) + header("Age / objective", .age, numeric: true)
        html += header("Last refresh (24 h mean)", .duration, numeric: true)
        html += header("Rows", .rows, numeric: true) + header("Failures 24 h", .failures, numeric: true)
        html += header("Pending", .pending, numeric: true) + "<th scope=\"col\">Refresh</th>" + header("Next run", .next)
        html += "</tr></thead>\n<tbody>\n"
        for v in shown {
            html += "<tr data-view=\"\(HTML.escape(v.view))\" data-health=\"\(HTML.escape(v.health))\">"
            html += "<th scope=\"row\"><a href=\"/views/\(HTML.escape(HTML.queryEscape(v.view)))\">\(HTML.escape(v.view))</a></th>"
            html += "<td>\(HealthBadge.html(v.health))</td>"
            html += "<td class=\"num\">\(DisplayFormat.age(v.ageSeconds)) / \(v.maxStalenessSeconds.map { DisplayFormat.age($0) } ?? "none")</td>"
            var last = DisplayFormat.duration(milliseconds: v.lastDurationMs)
            if v.lastStatus == "failed" { last = "failed, " + last }
            if v.averageDurationMs != nil { last += " (\(DisplayFormat.duration(milliseconds: v.averageDurationMs)))" }
            html += "<td class=\"num\">\(HTML.escape(last))<br><small>\(HTML.escape(DisplayFormat.postgresTime(v.lastRefresh)))</small></td>"
            html += "<td class=\"num\">\(DisplayFormat.count(v.rows))</td>"
            html += "<td class=\"num\">\(v.failures24h)"
            if let error = v.lastError, v.lastStatus == "failed" {
                html += "<br><small class=\"error\" title=\"\(HTML.escape(error))\">\(HTML.escape(Self.shortened(error)))</small>"
            }
            html += "</td>"
            html += "<td class=\"num\">\(DisplayFormat.count(v.pendingChanges))"
            if v.pendingChanges > 0 { html += "<br><small>oldest \(DisplayFormat.age(v.oldestPendingSeconds))</small>" }
            html += "</td>"
            html += "<td>\(HTML.escape(v.strategy)), \(HTML.escape(v.onChange == "none" ? "on schedule" : v.onChange))</td>"
            if let schedule = v.schedule {
                let next = clock.nextRun(of: schedule, after: now).map { DisplayFormat.time($0) } ?? "-"
                html += "<td><code>\(HTML.escape(schedule))</code><br><small>\(HTML.escape(next))</small></td>"
            } else {
                html += "<td>none</td>"
            }
            html += "</tr>\n"
        }
        if shown.isEmpty {
            html += "<tr><td colspan=\"9\" class=\"empty\">\(status.views.isEmpty ? "No views deployed: run <code>matview apply</code>." : "No view matches this filter.")</td></tr>\n"
        }
        html += "</tbody></table></div>\n"
        return html
    }

    /// StatusReport's health words, worst first: sorting by health puts the worst on top.
    static let healthSeverity = ["never refreshed", "uncaptured", "failing", "stale", "ok"]

    static func shortened(_ text: String, to limit: Int = 80) -> String {
        let line = text.split(separator: "\n").first.map(String.init) ?? text
        return line.count <= limit ? line : String(line.prefix(limit - 1)) + "…"
    }

    /// Re-fetches this same URL and swaps in the new table and timestamp: the state stays in the
    /// URL, so sorting and filtering survive. Failures leave the page as it is.
    static let pollScript = """
        (function () {
          function poll() {
            fetch(window.location.href, {headers: {'Accept': 'text/html'}, cache: 'no-store'})
              .then(function (r) { return r.text(); })
              .then(function (text) {
                var next = new DOMParser().parseFromString(text, 'text/html');
                ['overview', 'updated'].forEach(function (id) {
                  var fresh = next.getElementById(id), old = document.getElementById(id);
                  if (fresh && old) { old.replaceWith(fresh); }
                });
                var banner = next.querySelector('.banner'), oldBanner = document.querySelector('.banner');
                if (oldBanner) { oldBanner.remove(); }
                if (banner) { document.querySelector('main').prepend(banner); }
              })
              .catch(function () {});
          }
          window.setInterval(poll, \(pollSeconds * 1000));
          document.addEventListener('DOMContentLoaded', function () {
            var select = document.querySelector('form.filters select');
            if (select) { select.addEventListener('change', function () { select.form.submit(); }); }
          });
        })();
        """
}

/// A view's health (`StatusReport.ViewStatus.health`: "ok", "stale", "failing", "uncaptured",
/// "never refreshed") as a CSS class and as a badge.
///
/// The badge always carries the word itself: the colour repeats it for a quick scan, but a reader
/// who cannot tell red from green (or a screen reader) gets the same information.
public enum HealthBadge {
    /// The class the stylesheet colours: `health-ok`, `health-stale`, `health-failing`,
    /// `health-uncaptured`, `health-never`. Anything else gets `health-unknown` (grey), so a new
    /// health word shows up plainly instead of breaking the page.
    public static func cssClass(_ health: String) -> String {
        switch health {
        case "ok": return "health-ok"
        case "stale": return "health-stale"
        case "failing": return "health-failing"
        case "uncaptured": return "health-uncaptured"
        case "never refreshed", "never": return "health-never"
        default: return "health-unknown"
        }
    }

    /// `<span class="badge health-…">word</span>`.
    public static func html(_ health: String) -> String {
        HTML.text("span", attributes: [("class", "badge \(cssClass(health))")], health)
    }
}

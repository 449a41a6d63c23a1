/// Which tables feed which views, drawn as inline SVG: tables on the left, each view one column
/// past its deepest input, edges as curves with arrowheads (layout in `LineageLayout`).
///
/// Like the charts it colours itself only through CSS classes and `currentColor` (the view's
/// health class sets the colour of its border and health word), and has no `xmlns`, being meant
/// for inlining in an HTML page. The arrowhead marker has the fixed id `lineage-arrow`, so a page
/// shows one lineage graph.
public struct LineageGraph: Sendable {
    public enum Kind: Sendable, Equatable {
        case table
        /// `health` is `StatusReport.ViewStatus.health`: "ok", "stale", "failing", "uncaptured" or
        /// "never refreshed".
        case view(health: String)
    }

    public struct Node: Sendable, Equatable {
        public var id: String
        public var label: String
        public var kind: Kind
        /// Where clicking the node goes (a view's page), already URL-encoded by the caller.
        public var link: String?

        public init(id: String, label: String, kind: Kind, link: String? = nil) {
            self.id = id
            self.label = label
            self.kind = kind
            self.link = link
        }
    }

    /// `from` is read by `to`: a table or view feeding a view.
    public struct Edge: Sendable, Equatable {
        public var from: String
        public var to: String

        public init(from: String, to: String) {
            self.from = from
            self.to = to
        }
    }

    public var nodes: [Node]
    public var edges: [Edge]

    public init(nodes: [Node], edges: [Edge]) {
        self.nodes = nodes
        self.edges = edges
    }

    public func layout() -> LineageLayout {
        LineageLayout(self)
    }

    public func svg() -> String {
        let layout = self.layout()
        let n = { (value: Double) in ValueText.decimal(value, maxFractionDigits: 1) }
        guard !layout.placements.isEmpty else {
            return "<svg class=\"lineage\" viewBox=\"0 0 320 48\" width=\"320\" height=\"48\" role=\"img\" aria-label=\"Lineage: nothing deployed\" font-size=\"13\" font-family=\"system-ui, sans-serif\">"
                + "<title>Lineage: nothing deployed</title>"
                + "<text class=\"empty\" x=\"160\" y=\"28\" text-anchor=\"middle\" fill=\"currentColor\">nothing deployed</text></svg>"
        }
        let tables = layout.placements.count(where: { $0.node.isTable })
        let views = layout.placements.count - tables
        let summary = "Lineage of \(tables) \(tables == 1 ? "table" : "tables") and \(views) \(views == 1 ? "view" : "views")"
        let (width, height) = (n(layout.width), n(layout.height))
        var out = "<svg class=\"lineage\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" role=\"img\""
        out += " aria-label=\"\(HTML.escape(summary))\" font-size=\"13\" font-family=\"system-ui, sans-serif\">"
        out += "<title>\(HTML.escape(summary))</title>"
        out += "<defs><marker id=\"lineage-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"9\" markerHeight=\"9\" orient=\"auto\">"
        out += "<path class=\"arrow\" d=\"M0 0L10 5L0 10z\" fill=\"currentColor\" /></marker></defs>"

        let w = LineageLayout.nodeWidth, h = LineageLayout.nodeHeight
        out += "<g class=\"edges\">"
        for link in layout.links {
            let (source, target) = (layout.placements[link.from], layout.placements[link.to])
            // A curve from each column's right edge to the next column's left edge; across the
            // columns an edge skips, a straight run at the height the layout reserved for it.
            var (x, y) = (source.x + w, source.y + h / 2)
            var d = "M\(n(x)) \(n(y))"
            func curve(toX x2: Double, y y2: Double) {
                let bend = max(24, (x2 - x) / 2)
                d += "C\(n(x + bend)) \(n(y)) \(n(x2 - bend)) \(n(y2)) \(n(x2)) \(n(y2))"
                (x, y) = (x2, y2)
            }
            for pass in link.passes {
                curve(toX: x + LineageLayout.columnGap, y: pass)
                x += w
                d += "H\(n(x))"
            }
            curve(toX: target.x, y: target.y + h / 2)
            out += "<path class=\"edge\" d=\"\(d)\" fill=\"none\" stroke=\"currentColor\" stroke-opacity=\"0.6\" stroke-width=\"1.25\" marker-end=\"url(#lineage-arrow)\">"
            out += "<title>\(HTML.escape("\(source.node.label) → \(target.node.label)"))</title></path>"
        }
        out += "</g><g class=\"nodes\">"
        for placement in layout.placements {
            let node = placement.node
            let kindText: String, classes: String, description: String
            switch node.kind {
            case .table:
                (kindText, classes, description) = ("table", "node table", "table")
            case .view(let health):
                (kindText, classes, description) = (health, "node view \(HealthBadge.cssClass(health))", "view, \(health)")
            }
            var group = "<g class=\"\(classes)\"><title>\(HTML.escape("\(node.label) (\(description))"))</title>"
            group += "<rect x=\"\(n(placement.x))\" y=\"\(n(placement.y))\" width=\"\(n(w))\" height=\"\(n(h))\" rx=\"6\" fill=\"transparent\" stroke=\"currentColor\" />"
            group += "<text class=\"label\" x=\"\(n(placement.x + 10))\" y=\"\(n(placement.y + 18))\" fill=\"currentColor\">\(HTML.escape(Self.fitted(node.label, width: w - 20)))</text>"
            group += "<text class=\"kind\" x=\"\(n(placement.x + 10))\" y=\"\(n(placement.y + 35))\" font-size=\"11\" fill=\"currentColor\">\(HTML.escape(kindText))</text></g>"
            if let link = node.link {
                group = "<a href=\"\(HTML.escape(link))\">\(group)</a>"
            }
            out += group
        }
        return out + "</g></svg>"
    }

    /// `label` cut to fit `width` units of a 13-unit proportional font, ending in "…" when cut.
    ///
    /// SVG text does not wrap or clip, and the server cannot measure the browser's font, so the
    /// width is estimated per character, generously for wide ones (capitals, CJK), which errs on
    /// cutting a little early rather than running past the box. The full label stays in the
    /// node's `<title>`.
    static func fitted(_ label: String, width: Double) -> String {
        let widths = label.map(estimatedWidth)
        guard widths.reduce(0, +) > width else { return label }
        let budget = width - estimatedWidth("…")
        var used = 0.0
        var kept = ""
        for (character, characterWidth) in zip(label, widths) {
            if used + characterWidth > budget { break }
            used += characterWidth
            kept.append(character)
        }
        return kept + "…"
    }

    static func estimatedWidth(_ character: Character) -> Double {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        switch scalar.value {
        case 0x20...0x7E:
            if "ijlI.,:;'|!`".contains(character) { return 4 }
            if character.isUppercase || "mwMW@%".contains(character) { return 10 }
            return 7.5
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0x1F300...0x1FAFF, 0x20000...0x3FFFD:
            return 14
        default:
            return 9
        }
    }
}

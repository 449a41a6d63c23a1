import MatviewLive

/// `/lineage`: tables → views → views as one SVG graph, each view coloured by its health and
/// linked to its page, with the same edges as a list for readers that cannot see the picture.
struct LineagePage {
    var lineage: DeployedLineage?
    var health: [String: String]
    var databaseError: String?

    func graph(_ lineage: DeployedLineage) -> LineageGraph {
        var nodes = lineage.tables.map { LineageGraph.Node(id: "table:\($0)", label: $0, kind: .table, link: nil) }
        nodes += lineage.views.map {
            LineageGraph.Node(id: "view:\($0.name)", label: $0.name, kind: .view(health: health[$0.name] ?? "never refreshed"),
                              link: "/views/" + HTML.queryEscape($0.name))
        }
        let tables = Set(lineage.tables)
        var edges: [LineageGraph.Edge] = []
        for view in lineage.views {
            // A view that reads another view is drawn from that view, not from its tables too.
            let inherited = Set(lineage.views.filter { view.readsViews.contains($0.name) }.flatMap(\.sourceTables))
            for table in view.sourceTables where tables.contains(table) && !inherited.contains(table) {
                edges.append(LineageGraph.Edge(from: "table:\(table)", to: "view:\(view.name)"))
            }
            for upstream in view.readsViews {
                edges.append(LineageGraph.Edge(from: "view:\(upstream)", to: "view:\(view.name)"))
            }
        }
        return LineageGraph(nodes: nodes, edges: edges)
    }

    func html() -> String {
        var body = "<h1>Lineage</h1>\n"
        guard let lineage else {
            body += "<p class=\"empty\">No lineage: the database could not be read.</p>\n"
            return PageLayout.document(title: "matview: lineage", current: .lineage, body: body,
                                       status: DisplayFormat.databaseBanner(databaseError))
        }
        let drawn = graph(lineage)
        body += "<p>Tables on the left; each view to the right of what it reads. Views link to their pages.</p>\n"
        body += "<figure class=\"lineage\">\(drawn.svg())</figure>\n"
        body += "<h2>As a list</h2>\n<ul class=\"edges\">\n"
        let labels = Dictionary(drawn.nodes.map { ($0.id, $0.label) }, uniquingKeysWith: { first, _ in first })
        for edge in drawn.edges {
            body += "<li>\(HTML.escape(labels[edge.from] ?? edge.from)) → \(HTML.escape(labels[edge.to] ?? edge.to))</li>\n"
        }
        if drawn.edges.isEmpty { body += "<li>No views deployed.</li>\n" }
        body += "</ul>\n"
        return PageLayout.document(title: "matview: lineage", current: .lineage, body: body,
                                   status: DisplayFormat.databaseBanner(databaseError))
    }
}

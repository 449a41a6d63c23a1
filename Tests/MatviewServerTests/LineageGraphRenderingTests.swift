import Foundation
import MatviewServer
import XCTest

final class LineageGraphRenderingTests: XCTestCase {
    func table(_ name: String) -> LineageGraph.Node {
        .init(id: "table:\(name)", label: name, kind: .table)
    }

    func view(_ name: String, _ health: String = "ok") -> LineageGraph.Node {
        .init(id: "view:\(name)", label: name, kind: .view(health: health), link: "/views/\(HTML.queryEscape(name))")
    }

    func edge(_ from: String, _ to: String) -> LineageGraph.Edge {
        .init(from: from, to: to)
    }

    /// orders and customers feed order_totals; order_totals feeds customer_rank (a view on a view).
    var shop: LineageGraph {
        LineageGraph(
            nodes: [table("orders"), table("customers"), view("order_totals"), view("customer_rank", "stale")],
            edges: [
                edge("table:orders", "view:order_totals"), edge("table:customers", "view:order_totals"),
                edge("view:order_totals", "view:customer_rank"), edge("table:customers", "view:customer_rank"),
            ]
        )
    }

    func testEmptyGraphSaysNothingIsDeployed() throws {
        let svg = LineageGraph(nodes: [], edges: [edge("a", "b")]).svg()
        let root = try XCTUnwrap(RenderedXML.parse(svg))
        XCTAssertEqual(root.attributes["class"], "lineage")
        XCTAssertEqual(root.descendants("text").first?.text, "nothing deployed")
    }

    func testAViewOnAViewSitsOneLayerFurtherRight() throws {
        let layout = shop.layout()
        let orders = try XCTUnwrap(layout.placement(of: "table:orders"))
        let totals = try XCTUnwrap(layout.placement(of: "view:order_totals"))
        let rank = try XCTUnwrap(layout.placement(of: "view:customer_rank"))
        XCTAssertEqual([orders.layer, totals.layer, rank.layer], [0, 1, 2])
        XCTAssertLessThan(orders.x, totals.x)
        XCTAssertLessThan(totals.x, rank.x)

        // The same in the drawing: each node's rectangle, found by the node's title.
        let root = try XCTUnwrap(RenderedXML.parse(shop.svg()))
        var x: [String: Double] = [:]
        for node in root.descendants("g", class: "node") {
            let title = try XCTUnwrap(node.child("title")?.text)
            x[String(title.prefix { $0 != " " })] = Double(try XCTUnwrap(node.child("rect")?.attributes["x"]))
        }
        XCTAssertLessThan(try XCTUnwrap(x["orders"]), try XCTUnwrap(x["order_totals"]))
        XCTAssertLessThan(try XCTUnwrap(x["order_totals"]), try XCTUnwrap(x["customer_rank"]))
        XCTAssertEqual(root.descendants("path", class: "edge").count, 4)
    }

    func testAnEdgeThatSkipsALayerIsRoutedAroundItsNodes() throws {
        let layout = shop.layout()
        let customers = try XCTUnwrap(layout.placements.firstIndex { $0.node.id == "table:customers" })
        let rank = try XCTUnwrap(layout.placements.firstIndex { $0.node.id == "view:customer_rank" })
        let long = try XCTUnwrap(layout.links.first { $0.from == customers && $0.to == rank })
        XCTAssertEqual(long.passes.count, 1)
        for node in layout.placements where node.layer == 1 {
            XCTAssertFalse((node.y...(node.y + LineageLayout.nodeHeight)).contains(long.passes[0]), "the edge crosses \(node.node.label)")
        }
        XCTAssertTrue(layout.links.filter { $0 != long }.allSatisfy(\.passes.isEmpty))
        XCTAssertGreaterThanOrEqual(long.passes[0], 0)
        XCTAssertLessThanOrEqual(long.passes[0], layout.height)
    }

    func testNodesCarryKindHealthLinkAndArrowheads() throws {
        let svg = shop.svg()
        let root = try XCTUnwrap(RenderedXML.parse(svg))
        XCTAssertEqual(root.attributes["role"], "img")
        XCTAssertEqual(root.attributes["aria-label"], "Lineage of 2 tables and 2 views")
        XCTAssertNotNil(root.attributes["viewBox"])
        XCTAssertNotNil(root.descendants("marker").first)
        XCTAssertTrue(root.descendants("path", class: "edge").allSatisfy { $0.attributes["marker-end"] == "url(#lineage-arrow)" })
        let stale = try XCTUnwrap(root.descendants("g", class: "health-stale").first)
        XCTAssertEqual(stale.descendants("text", class: "kind").first?.text, "stale")
        XCTAssertEqual(stale.parent?.name, "a")
        XCTAssertEqual(stale.parent?.attributes["href"], "/views/customer_rank")
        XCTAssertEqual(root.descendants("g", class: "table").count, 2)
        XCTAssertTrue(root.descendants("g", class: "table").allSatisfy { $0.parent?.name != "a" })
        let never = LineageGraph(nodes: [view("v", "never refreshed")], edges: []).svg()
        XCTAssertTrue(never.contains("node view health-never"))
        XCTAssertTrue(never.contains(">never refreshed</text>"))
    }

    func testHostileLabelsAreEscapedTruncatedAndKeptWholeInTheTitle() throws {
        for name in hostileRenderingNames {
            let long = name + String(repeating: "x", count: 60)
            let graph = LineageGraph(
                nodes: [table(name), view(long, name)],
                edges: [edge("table:\(name)", "view:\(long)")]
            )
            let svg = graph.svg()
            XCTAssertFalse(svg.contains("<script"), name)
            let root = try XCTUnwrap(RenderedXML.parse(svg), name)
            let viewNode = try XCTUnwrap(root.descendants("g", class: "view").first)
            let label = try XCTUnwrap(viewNode.descendants("text", class: "label").first?.text)
            XCTAssertTrue(label.hasSuffix("…"), label)
            XCTAssertLessThan(label.count, long.count)
            let link = try XCTUnwrap(viewNode.parent?.attributes["href"])
            XCTAssertFalse(link.contains("<") || link.contains("\"") || link.contains(" "), link)
            if !name.unicodeScalars.contains(where: { $0.value < 0x20 }) {
                XCTAssertEqual(viewNode.child("title")?.text.hasPrefix(long), true)
            }
        }
        XCTAssertEqual(LineageGraph(nodes: [table("short")], edges: []).svg().contains(">short</text>"), true)
    }

    func testWideCharactersAreCutEarlier() {
        let wide = String(repeating: "名", count: 20)
        let fitted = try? XCTUnwrap(RenderedXML.parse(LineageGraph(nodes: [table(wide)], edges: []).svg()))?
            .descendants("text", class: "label").first?.text
        XCTAssertEqual(fitted?.hasSuffix("…"), true)
        XCTAssertLessThanOrEqual(fitted?.count ?? 99, 12)
    }

    func testCyclesAndBadEdgesAreIgnoredWithoutHanging() throws {
        let graph = LineageGraph(
            nodes: [table("t"), view("a"), view("b"), view("c"), view("a")],
            edges: [
                edge("table:t", "view:a"), edge("view:a", "view:b"), edge("view:b", "view:c"), edge("view:c", "view:a"),
                edge("view:a", "view:a"), edge("view:a", "table:t"), edge("view:a", "view:missing"), edge("ghost", "view:b"),
                edge("view:a", "view:b"),
            ]
        )
        let layout = graph.layout()
        XCTAssertEqual(layout.placements.count, 4)
        XCTAssertEqual(layout.links.count, 3)  // t→a, a→b, b→c; c→a closes the cycle
        XCTAssertEqual(layout.placement(of: "view:c")?.layer, 3)
        XCTAssertNotNil(RenderedXML.parse(graph.svg()))

        let loop = LineageGraph(nodes: [view("x"), view("y")], edges: [edge("view:x", "view:y"), edge("view:y", "view:x")])
        XCTAssertEqual(loop.layout().placements.map(\.layer).sorted(), [0, 1])
    }

    func testLayoutIsDeterministicWhateverTheInputOrder() {
        let graph = shop
        let reversed = LineageGraph(nodes: graph.nodes.reversed(), edges: graph.edges.reversed())
        XCTAssertEqual(graph.svg(), graph.svg())
        XCTAssertEqual(graph.svg(), reversed.svg())
    }

    func testOrderingFollowsInputsToAvoidCrossings() throws {
        // Tables sort a, b; view "first" reads b and "second" reads a, so by label they would cross.
        let graph = LineageGraph(
            nodes: [table("a"), table("b"), view("first"), view("second")],
            edges: [edge("table:b", "view:first"), edge("table:a", "view:second")]
        )
        let layout = graph.layout()
        let a = try XCTUnwrap(layout.placement(of: "table:a")), b = try XCTUnwrap(layout.placement(of: "table:b"))
        let first = try XCTUnwrap(layout.placement(of: "view:first")), second = try XCTUnwrap(layout.placement(of: "view:second"))
        XCTAssertEqual(a.y < b.y, second.y < first.y, "the edges cross")
    }

    func testFiftyNodesGetDistinctPlacesInsideTheDrawing() throws {
        var nodes = (0..<20).map { table("t\($0)") }
        var edges: [LineageGraph.Edge] = []
        for i in 0..<40 {
            nodes.append(view("v\(i)", ["ok", "stale", "failing", "uncaptured", "never refreshed"][i % 5]))
            edges.append(edge("table:t\(i % 20)", "view:v\(i)"))
            edges.append(edge("table:t\((i * 7) % 20)", "view:v\(i)"))
            if i >= 8 { edges.append(edge("view:v\(i - 8)", "view:v\(i)")) }
        }
        let graph = LineageGraph(nodes: nodes, edges: edges)
        let layout = graph.layout()
        XCTAssertEqual(layout.placements.count, 60)
        XCTAssertEqual(layout.placement(of: "view:v39")?.layer, 5)
        var corners = Set<[Double]>()
        for placement in layout.placements {
            XCTAssertTrue(corners.insert([placement.x, placement.y]).inserted)
            XCTAssertGreaterThanOrEqual(placement.x, 0)
            XCTAssertGreaterThanOrEqual(placement.y, 0)
            XCTAssertLessThanOrEqual(placement.x + LineageLayout.nodeWidth, layout.width)
            XCTAssertLessThanOrEqual(placement.y + LineageLayout.nodeHeight, layout.height)
        }
        let root = try XCTUnwrap(RenderedXML.parse(graph.svg()))
        XCTAssertEqual(root.descendants("g", class: "node").count, 60)
        XCTAssertEqual(root.attributes["viewBox"], "0 0 \(ValueText.decimal(layout.width, maxFractionDigits: 1)) \(ValueText.decimal(layout.height, maxFractionDigits: 1))")
    }

    func testLongChainDoesNotOverflowTheStack() {
        let count = 3000
        let nodes = [table("t")] + (0..<count).map { view("v\($0)") }
        let edges = [edge("table:t", "view:v0")] + (1..<count).map { edge("view:v\($0 - 1)", "view:v\($0)") }
        let layout = LineageGraph(nodes: nodes, edges: edges).layout()
        XCTAssertEqual(layout.placement(of: "view:v\(count - 1)")?.layer, count)
    }
}

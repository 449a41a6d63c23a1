/// Where each node of a `LineageGraph` goes: a layered, left-to-right layout (tables on the left,
/// each view one column past its deepest input).
///
/// The steps, each kept simple and deterministic:
/// 1. Nodes with a repeated id keep their first occurrence. Edges from or to an unknown id, from a
///    node to itself, into a table (tables are sources) or repeated are ignored.
/// 2. Cycles (which deployed views cannot have, but a bad catalogue read could) are broken by a
///    depth-first search in label order that drops each edge back to a node still on its path;
///    the search is iterative, so a long chain cannot overflow the stack.
/// 3. A node's layer is its longest path from a source: tables and views with no inputs are in
///    layer 0, a view one past its deepest input.
/// 4. An edge that skips layers gets a waypoint in each layer it crosses, ordered with the nodes
///    (the long-edge dummies of a Sugiyama layout), so it is routed around them rather than
///    drawn through them.
/// 5. Within each layer, nodes are ordered by the mean position of their inputs (the barycentre
///    heuristic: fewer crossings), refined by a few sweeps that alternately use inputs and
///    outputs; ties go to label then id, so the layout never depends on the input's order.
/// 6. Columns are a node's width plus a gap apart; each layer is centred vertically.
public struct LineageLayout: Sendable {
    public struct Placement: Sendable, Equatable {
        public var node: LineageGraph.Node
        public var layer: Int
        /// The node's top-left corner in the SVG's coordinates.
        public var x: Double
        public var y: Double
    }

    /// An edge kept by the layout, as indices into `placements`.
    public struct Link: Sendable, Equatable {
        public var from: Int
        public var to: Int
        /// For an edge that skips layers: the height at which it crosses each layer in between
        /// (straight across the column, clear of that layer's nodes), in order.
        public var passes: [Double]
    }

    public static let nodeWidth = 184.0
    public static let nodeHeight = 44.0
    public static let columnGap = 72.0
    public static let rowGap = 14.0
    public static let margin = 12.0
    /// The room a long edge takes where it crosses a layer.
    public static let waypointHeight = 4.0
    static let sweeps = 4

    /// The nodes by layer, then top to bottom.
    public var placements: [Placement]
    /// The edges drawn, in the order of their source then target placement.
    public var links: [Link]
    /// The size the drawing needs (0 by 0 for an empty graph).
    public var width: Double
    public var height: Double

    public func placement(of id: String) -> Placement? {
        placements.first { $0.node.id == id }
    }

    public init(_ graph: LineageGraph) {
        // 1. Unique nodes, and a rank that orders them by (tables first, label, id).
        var nodes: [LineageGraph.Node] = []
        var indexOf: [String: Int] = [:]
        for node in graph.nodes where indexOf[node.id] == nil {
            indexOf[node.id] = nodes.count
            nodes.append(node)
        }
        let count = nodes.count
        let byRank = nodes.indices.sorted { a, b in
            let (na, nb) = (nodes[a], nodes[b])
            if na.isTable != nb.isTable { return na.isTable }
            if na.label != nb.label { return na.label < nb.label }
            return na.id < nb.id
        }
        var rank = [Int](repeating: 0, count: count)
        for (position, node) in byRank.enumerated() { rank[node] = position }

        var successors = [[Int]](repeating: [], count: count)
        var seen = Set<[Int]>()
        for edge in graph.edges {
            guard let from = indexOf[edge.from], let to = indexOf[edge.to], from != to, !nodes[to].isTable,
                  seen.insert([from, to]).inserted else { continue }
            successors[from].append(to)
        }
        for node in 0..<count { successors[node].sort { rank[$0] < rank[$1] } }

        // 2. Drop the edges that close a cycle.
        var state = [UInt8](repeating: 0, count: count)  // 0 unvisited, 1 on the path, 2 done
        var kept = [[Int]](repeating: [], count: count)
        for root in byRank where state[root] == 0 {
            var stack: [(node: Int, next: Int)] = [(root, 0)]
            state[root] = 1
            while let top = stack.last {
                if top.next < successors[top.node].count {
                    let child = successors[top.node][top.next]
                    stack[stack.count - 1].next += 1
                    switch state[child] {
                    case 0:
                        kept[top.node].append(child)
                        state[child] = 1
                        stack.append((child, 0))
                    case 1:
                        continue  // back to a node on the current path: the edge closes a cycle
                    default:
                        kept[top.node].append(child)
                    }
                } else {
                    state[top.node] = 2
                    stack.removeLast()
                }
            }
        }
        var predecessors = [[Int]](repeating: [], count: count)
        for from in 0..<count { for to in kept[from] { predecessors[to].append(from) } }

        // 3. Longest path from a source, in topological order (Kahn's algorithm).
        var layerOf = [Int](repeating: 0, count: count)
        var remaining = predecessors.map(\.count)
        var ready = byRank.filter { remaining[$0] == 0 }
        var cursor = 0
        while cursor < ready.count {
            let node = ready[cursor]
            cursor += 1
            for child in kept[node] {
                layerOf[child] = max(layerOf[child], layerOf[node] + 1)
                remaining[child] -= 1
                if remaining[child] == 0 { ready.append(child) }
            }
        }

        // 4. An edge that spans several layers passes through a waypoint in each layer between
        //    its ends; the waypoints are ordered like nodes, so long edges go around the nodes
        //    in between instead of through them.
        var layerOfSlot = layerOf
        var up = predecessors.map { _ in [Int]() }
        var down = up
        var slotRank = rank
        var routes: [(from: Int, to: Int, waypoints: [Int])] = []
        for from in byRank {
            for to in kept[from] {
                var previous = from
                var waypoints: [Int] = []
                for layer in (layerOf[from] + 1)..<max(layerOf[from] + 1, layerOf[to]) {
                    let waypoint = layerOfSlot.count
                    layerOfSlot.append(layer)
                    slotRank.append(slotRank.count)
                    up.append([previous])
                    down.append([])
                    down[previous].append(waypoint)
                    waypoints.append(waypoint)
                    previous = waypoint
                }
                down[previous].append(to)
                up[to].append(previous)
                routes.append((from, to, waypoints))
            }
        }
        let slots = layerOfSlot.count

        // 5. Order within layers.
        let layerCount = (layerOf.max() ?? -1) + 1
        var layers = [[Int]](repeating: [], count: layerCount)
        for node in byRank { layers[layerOf[node]].append(node) }
        for waypoint in count..<slots { layers[layerOfSlot[waypoint]].append(waypoint) }
        var position = [Double](repeating: 0, count: slots)
        func place(_ layer: Int) {
            let members = layers[layer]
            let middle = Double(members.count - 1) / 2
            for (index, slot) in members.enumerated() { position[slot] = Double(index) - middle }
        }
        func reorder(_ layer: Int, by neighbours: [[Int]]) {
            let centre = layers[layer].map { slot -> (slot: Int, centre: Double) in
                let around = neighbours[slot]
                guard !around.isEmpty else { return (slot, position[slot]) }
                return (slot, around.reduce(0) { $0 + position[$1] } / Double(around.count))
            }
            layers[layer] = centre.sorted { a, b in
                a.centre != b.centre ? a.centre < b.centre : slotRank[a.slot] < slotRank[b.slot]
            }.map(\.slot)
            place(layer)
        }
        if layerCount > 0 { place(0) }
        for layer in layers.indices.dropFirst() { place(layer); reorder(layer, by: up) }
        for _ in 0..<Self.sweeps {
            for layer in layers.indices.reversed().dropFirst() { reorder(layer, by: down) }
            for layer in layers.indices.dropFirst() { reorder(layer, by: up) }
        }

        // 6. Coordinates: nodes and waypoints stacked with a gap between, each layer centred.
        func size(_ slot: Int) -> Double { slot < count ? Self.nodeHeight : Self.waypointHeight }
        let extents = layers.map { members in
            members.reduce(0) { $0 + size($1) } + Double(max(members.count - 1, 0)) * Self.rowGap
        }
        let tallest = extents.max() ?? 0
        var top = [Double](repeating: 0, count: slots)
        for (layer, members) in layers.enumerated() {
            var y = Self.margin + (tallest - extents[layer]) / 2
            for slot in members {
                top[slot] = y
                y += size(slot) + Self.rowGap
            }
        }
        func columnX(_ layer: Int) -> Double { Self.margin + Double(layer) * (Self.nodeWidth + Self.columnGap) }
        var placements: [Placement] = []
        var placementOf = [Int](repeating: 0, count: count)
        for (layer, members) in layers.enumerated() {
            for node in members where node < count {
                placementOf[node] = placements.count
                placements.append(Placement(node: nodes[node], layer: layer, x: columnX(layer), y: top[node]))
            }
        }
        var links = routes.map { route in
            Link(
                from: placementOf[route.from], to: placementOf[route.to],
                passes: route.waypoints.map { top[$0] + Self.waypointHeight / 2 }
            )
        }
        links.sort { $0.from != $1.from ? $0.from < $1.from : $0.to < $1.to }

        self.placements = placements
        self.links = links
        if count == 0 {
            width = 0
            height = 0
        } else {
            width = 2 * Self.margin + Double(layerCount) * Self.nodeWidth + Double(layerCount - 1) * Self.columnGap
            height = 2 * Self.margin + tallest
        }
    }
}

extension LineageGraph.Node {
    var isTable: Bool {
        if case .table = kind { return true }
        return false
    }
}

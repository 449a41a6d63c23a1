/// A lineage graph as a Mermaid flowchart, which GitHub renders inside a ```mermaid block.
/// Node IDs are made from the names (ASCII letters, digits and `_`, prefixed by the kind, with a
/// number added when two names make the same ID), since Mermaid's IDs cannot hold most
/// characters and some words (`end`) break the parser; the real name is the quoted label, with
/// the characters Mermaid would read as markup written as its entity codes.
public enum MermaidLineage {
    public static func render(_ graph: LineageGraph) -> String {
        let ids = nodeIDs(graph.nodes)
        // The comment follows the diagram type: some Mermaid versions reject one before it.
        var out = "flowchart LR\n"
        out += "    %% The lineage of the project's views (matview graph): tables -> views -> views.\n"
        for node in graph.nodes {
            let label = "\"" + escaped(node.name) + "\""
            // [( )] is Mermaid's cylinder (a table), ([ ]) its rounded box (a view).
            out += node.kind == .table ? "    \(ids[node]!)[(\(label))]\n" : "    \(ids[node]!)([\(label)])\n"
        }
        for edge in graph.edges {
            out += "    \(ids[edge.from]!) --> \(ids[edge.to]!)\n"
        }
        return out
    }

    /// Distinct IDs in node order: `table_orders`, `view_customer_totals_mv`, `view_a_b_2`
    /// (after `view_a_b`, from `a-b` and `a_b`).
    static func nodeIDs(_ nodes: [LineageGraph.Node]) -> [LineageGraph.Node: String] {
        var ids: [LineageGraph.Node: String] = [:]
        var used = Set<String>()
        for node in nodes where ids[node] == nil {
            // Each run of other characters becomes one `_`: `"top ""x"""` gives `top_x`.
            var word = ""
            for scalar in node.name.unicodeScalars {
                let keep = scalar.isASCII && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_")
                if keep { word.unicodeScalars.append(scalar) } else if !word.hasSuffix("_") { word += "_" }
            }
            let trimmed = word.drop { $0 == "_" }.reversed().drop { $0 == "_" }.reversed()
            let base = node.kind.rawValue + (trimmed.isEmpty ? "" : "_" + String(trimmed))
            var id = base
            var number = 2
            while used.contains(id) {
                id = "\(base)_\(number)"
                number += 1
            }
            used.insert(id)
            ids[node] = id
        }
        return ids
    }

    /// A label's text inside double quotes: `#` starts Mermaid's entity codes, so it goes first;
    /// `"` would end the label; `<`, `>` and `&` would be read as HTML; a line break is a space.
    static func escaped(_ name: String) -> String {
        var out = ""
        for scalar in name.unicodeScalars {
            switch scalar {
            case "#": out += "#35;"
            case "\"": out += "#quot;"
            case "<": out += "#lt;"
            case ">": out += "#gt;"
            case "&": out += "#amp;"
            case "`": out += "#96;"
            case "\n", "\r": out += " "
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// A lineage graph in Graphviz DOT (`matview graph --format dot | dot -Tsvg > lineage.svg`).
/// Every name is a double-quoted ID, so any name is safe: `"` and `\` are escaped, and a line
/// break (which only a table name from the DDL could hold) is written as `\n`.
public enum DOTLineage {
    public static func render(_ graph: LineageGraph) -> String {
        var out = "// The lineage of the project's views (matview graph): tables -> views -> views.\n"
        out += "digraph lineage {\n"
        out += "    rankdir=LR;\n"
        out += "    node [fontname=\"Helvetica\"];\n"
        for node in graph.nodes {
            let shape = node.kind == .table ? "cylinder" : "box, style=rounded"
            out += "    \(id(node)) [shape=\(shape)];\n"
        }
        for edge in graph.edges {
            out += "    \(id(edge.from)) -> \(id(edge.to));\n"
        }
        out += "}\n"
        return out
    }

    /// A table and a view cannot share a name (a view spec shadows the table of its name), so
    /// the quoted name is the node's ID and its label.
    static func id(_ node: LineageGraph.Node) -> String {
        quoted(node.name)
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

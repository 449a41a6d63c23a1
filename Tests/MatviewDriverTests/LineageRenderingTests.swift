import Foundation
import MatviewDriver
import XCTest

/// `matview graph`'s two formats on names that would break them: DOT keeps any name inside an
/// escaped double-quoted ID; Mermaid gets distinct IDs made of safe characters, and labels whose
/// markup characters are entity codes. (CommandCases/graph-* show whole graphs.)
final class LineageRenderingTests: XCTestCase {
    func graph(_ specs: [(String, String)], _ ddl: String) throws -> LineageGraph {
        let output = Compiler().compile(specFiles: specs, schemaFiles: [("specs/schema.sql", ddl)])
        XCTAssertFalse(output.hasErrors, "\(output.diagnostics)")
        return LineageGraph(output.project)
    }

    let ddl = "CREATE TABLE t (id bigint PRIMARY KEY);\n"

    func testDOTEscapesQuotesAndBackslashes() throws {
        let lineage = try graph([("specs/a.yaml", "view: 'a\"b\\c'\nfrom: t\nselect:\n  id: t.id\n")], ddl)
        let dot = DOTLineage.render(lineage)
        // The view's name is a"b\c, quoted as SQL would ("a""b\c"), then escaped for DOT.
        XCTAssertTrue(dot.contains(#"    "t" -> "\"a\"\"b\\c\"";"#), dot)
    }

    func testMermaidIDsAreDistinctAndSafe() throws {
        let specs = [("specs/a.yaml", "view: a-b\nfrom: t\nselect:\n  id: t.id\n"),
                     ("specs/b.yaml", "view: aé b\nfrom: t\nselect:\n  id: t.id\n"),
                     ("specs/c.yaml", "view: end\nfrom: t\nselect:\n  id: t.id\n")]
        let mermaid = MermaidLineage.render(try graph(specs, ddl))
        let ids = mermaid.split(separator: "\n").compactMap { line -> Substring? in
            guard line.hasPrefix("    "), !line.contains("-->"), !line.contains("%%") else { return nil }
            return line.dropFirst(4).prefix { $0 != "[" && $0 != "(" }
        }
        XCTAssertEqual(ids.count, 4, mermaid)
        // a-b and "aé b" both reduce to a_b; the second gets a number.
        XCTAssertEqual(ids, ["table_t", "view_a_b", "view_a_b_2", "view_end"], mermaid)
        for id in ids {
            XCTAssertTrue(id.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_") }, String(id))
        }
        XCTAssertTrue(mermaid.contains("view_end([\"#quot;end#quot;\"])"), "end is a keyword, so SQL quotes it; the label shows that: \(mermaid)")
    }

    func testMermaidLabelsWriteMarkupAsEntityCodes() throws {
        let lineage = try graph([("specs/a.yaml", "view: 'x <b>&#1 `y`'\nfrom: t\nselect:\n  id: t.id\n")], ddl)
        let mermaid = MermaidLineage.render(lineage)
        XCTAssertTrue(mermaid.contains(##"(["#quot;x #lt;b#gt;#amp;#35;1 #96;y#96;#quot;"])"##), mermaid)
    }
}

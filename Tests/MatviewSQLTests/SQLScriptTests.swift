import MatviewSQL
import XCTest

/// The live commands send scripts one statement at a time (postgres-nio's extended protocol takes
/// one per message), so a semicolon inside a string, a dollar-quoted body, a comment or a quoted
/// name must not split a statement.
final class SQLScriptTests: XCTestCase {
    func statements(_ script: String) -> [String] {
        SQLScript.statements(script).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    func testSplitsAtTopLevelSemicolons() {
        XCTAssertEqual(statements("SELECT 1; SELECT 2;\nSELECT 3"), ["SELECT 1", "SELECT 2", "SELECT 3"])
    }

    func testEmptyStatementsAndBlankScriptsGiveNothing() {
        XCTAssertEqual(statements(""), [])
        XCTAssertEqual(statements(" ;\n; ;"), [])
        XCTAssertEqual(statements("-- only a comment\n"), [])
    }

    func testDollarQuotedBodiesStayWhole() {
        let function = """
        CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $fn$
        BEGIN
            PERFORM 1; RAISE NOTICE '$$;';
        END
        $fn$
        """
        XCTAssertEqual(statements(function + ";\nDO $$ BEGIN PERFORM 2; END $$; SELECT 3;"),
                       [function, "DO $$ BEGIN PERFORM 2; END $$", "SELECT 3"])
    }

    func testCommentsDoNotSplit() {
        let script = """
        -- a line comment; with a semicolon
        SELECT 1 /* a block; comment */ + 1;
        /* leading; */ SELECT 2;
        """
        let result = statements(script)
        XCTAssertEqual(result.count, 2, "\(result)")
        XCTAssertTrue(result.first?.hasPrefix("SELECT 1 /* a block; comment */ + 1") == true, "\(result)")
        XCTAssertEqual(result.last, "SELECT 2")
    }

    func testNestedBlockCommentsDoNotSplit() {
        // PostgreSQL's block comments nest: the first */ does not end this one.
        XCTAssertEqual(statements("SELECT /* outer /* inner; */ still; */ 1; SELECT 2"), ["SELECT /* outer /* inner; */ still; */ 1", "SELECT 2"])
    }

    func testStringLiteralsWithSemicolonsAndDoubledQuotes() {
        XCTAssertEqual(statements("SELECT 'a;b', 'it''s; here'; SELECT 2"), ["SELECT 'a;b', 'it''s; here'", "SELECT 2"])
    }

    func testEscapeStringsWithBackslashQuotes() {
        XCTAssertEqual(statements(#"SELECT E'it\'s; here', e'\\'; SELECT 2"#), [#"SELECT E'it\'s; here', e'\\'"#, "SELECT 2"])
    }

    func testQuotedIdentifiersWithSemicolons() {
        XCTAssertEqual(statements(#"CREATE TABLE "a;b" ("c;""d" int); SELECT 2"#), [#"CREATE TABLE "a;b" ("c;""d" int)"#, "SELECT 2"])
    }
}

import MatviewDriver
import MatviewSema
import MatviewSyntax
import XCTest

/// The reason the checker records beside each output column's type (what `matview explain`
/// prints before the nullability reason): the declared column type, the function overload that
/// matched, the operator, the cast, the common type of coalesce or CASE, the literal.
final class TypeReasonTests: XCTestCase {
    /// The single column `c` of a view that selects `expr`; fails on errors.
    private func column(_ expr: String, from: String = "users u", groupBy: String? = nil, with: String = "",
                        file: StaticString = #filePath, line: UInt = #line) -> OutputColumn? {
        let spec = """
        view: v_mv
        \(with)from: \(from)
        \(groupBy.map { "group_by: \($0)\n" } ?? "")select:
          c: \(expr)
        """
        let output = Fixtures.compile(spec)
        XCTAssertEqual(Fixtures.errors(output).map(Fixtures.render), [], file: file, line: line)
        guard let column = output.project.views.first?.columns.first else {
            XCTFail("the view was not checked", file: file, line: line)
            return nil
        }
        return column
    }

    func testAColumnReferenceHasItsDeclaredType() {
        let id = column("u.id")
        XCTAssertEqual(id?.type, .bigint)
        XCTAssertEqual(id?.typeReason, .reference("u.id", because: .tableColumn(table: "users", type: .bigint)))
        XCTAssertEqual(id?.typeReason.description, "u.id is bigint in users")
        XCTAssertEqual(column("m.visits", from: "daily_metrics m")?.typeReason.description, "m.visits is integer in daily_metrics")
    }

    func testACTEColumnCarriesItsReasonFromTheCTE() {
        let total = column("x.total", from: "totals x", with: """
        with:
          totals:
            from: daily_metrics m
            group_by: [m.user_id]
            select:
              total: sum(m.visits)

        """)
        XCTAssertEqual(total?.type, .bigint)
        XCTAssertEqual(total?.typeReason, .reference("x.total", because: .queryColumn(source: "totals", type: .bigint,
                                                                                       because: .function(signature: "sum(integer)", result: .bigint))))
        XCTAssertEqual(total?.typeReason.description, "x.total is bigint in totals: sum(integer) returns bigint")
    }

    func testAnAggregateNamesTheOverloadThatMatched() {
        XCTAssertEqual(column("sum(m.visits)", from: "daily_metrics m", groupBy: "[m.user_id]")?.typeReason.description, "sum(integer) returns bigint")
        let amount = column("sum(t.amount)", from: "transactions t", groupBy: "[t.user_id]")
        XCTAssertEqual(amount?.type, .numeric)
        XCTAssertEqual(amount?.typeReason.description, "sum(numeric) returns numeric")
        XCTAssertEqual(column("count(*)", groupBy: "[u.id]")?.typeReason.description, "count(*) returns bigint")
        XCTAssertEqual(column("max(m.day)", from: "daily_metrics m", groupBy: "[m.user_id]")?.typeReason.description,
                       "max(anyelement) returns its argument's type (date)")
    }

    func testACastDecidesTheType() {
        let day = column("u.created_at::date")
        XCTAssertEqual(day?.type, .date)
        XCTAssertEqual(day?.typeReason, .cast(.date))
        XCTAssertEqual(day?.typeReason.description, "cast to date")
    }

    func testCoalesceAndCaseTakeTheCommonTypeOfTheirArguments() {
        let bytes = column("coalesce(m.bytes, m.visits)", from: "daily_metrics m")
        XCTAssertEqual(bytes?.type, .bigint)
        XCTAssertEqual(bytes?.typeReason.description, "coalesce(...) returns the common type of its arguments (bigint, integer → bigint)")
        let zero = column("coalesce(sum(t.amount), 0)", from: "transactions t", groupBy: "[t.user_id]")
        XCTAssertEqual(zero?.typeReason, .commonArgumentType(function: "coalesce", arguments: [.numeric, .integer], result: .numeric))
        let branches = column("case when u.id > 1 then 1 else 0.5 end")
        XCTAssertEqual(branches?.type, .numeric)
        XCTAssertEqual(branches?.typeReason.description, "CASE returns the common type of its branches (integer, numeric → numeric)")
    }

    func testAnOperatorsResultFollowsItsOperandTypes() {
        XCTAssertEqual(column("m.visits + 1", from: "daily_metrics m")?.typeReason.description, "integer + integer returns integer")
        let scaled = column("m.visits * 1.5", from: "daily_metrics m")
        XCTAssertEqual(scaled?.type, .numeric)
        XCTAssertEqual(scaled?.typeReason, .binaryOperator(left: .integer, op: "*", right: .numeric, result: .numeric))
        XCTAssertEqual(column("-m.visits", from: "daily_metrics m")?.typeReason.description, "-integer returns integer")
        XCTAssertEqual(column("u.id > 1")?.typeReason.description, "a comparison (>) is boolean")
        XCTAssertEqual(column("u.last_login is null")?.typeReason.description, "IS NULL is boolean")
    }

    func testLiteralsAndKeywords() {
        XCTAssertEqual(column("1")?.typeReason.description, "an integer literal")
        XCTAssertEqual(column("1.5")?.typeReason.description, "a numeric literal")
        let text = column("\"'x'\"")
        XCTAssertEqual(text?.type, .text)
        XCTAssertEqual(text?.typeReason.description, "a string literal (untyped, so text)")
        XCTAssertEqual(column("date '2024-01-01'")?.typeReason.description, "a literal written as date '...'")
        XCTAssertEqual(column("null")?.typeReason, .nullLiteral)
        XCTAssertEqual(column("current_date")?.typeReason.description, "CURRENT_DATE is date")
        XCTAssertEqual(column("extract(epoch from u.created_at)")?.typeReason.description, "EXTRACT(...) returns numeric")
    }

    func testASetReturningFunctionsValuesHaveItsResultType() {
        XCTAssertEqual(column("g.n", from: "generate_series(1, 3) as g(n)")?.typeReason.description,
                       "g.n is a value of generate_series(integer, integer), integer")
    }

    /// Every column of the seed views gets a reason, and none says the checker gave up.
    func testEverySeedColumnHasATypeReason() {
        let output = Fixtures.compile(Fixtures.seedSpecNames.map { ("specs/\($0)", Fixtures.seedSpec($0)) })
        XCTAssertEqual(Fixtures.errors(output).map(Fixtures.render), [])
        var checked = 0
        for view in output.project.views {
            for column in view.columns {
                XCTAssertNotEqual(column.typeReason, .error, "\(view.name).\(column.name)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 15)
    }
}

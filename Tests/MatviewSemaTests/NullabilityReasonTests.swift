import MatviewDriver
import MatviewSema
import MatviewSyntax
import XCTest

/// The reason the checker records beside each output column's nullability (what `matview
/// explain` prints): the rule that decided it, through operands, aggregates, outer joins and
/// CTEs down to the column declarations of the schema files.
final class NullabilityReasonTests: XCTestCase {
    /// The single column `c` of a view that selects `expr`; fails on errors.
    private func column(_ expr: String, from: String = "users u", join: String = "", groupBy: String? = nil, with: String = "",
                        file: StaticString = #filePath, line: UInt = #line) -> OutputColumn? {
        let spec = """
        view: v_mv
        \(with)from: \(from)
        \(join)\(groupBy.map { "group_by: \($0)\n" } ?? "")select:
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

    private let leftJoinTransactions = """
    join:
      - left: transactions t
        on: t.user_id = u.id

    """

    // MARK: - Columns

    func testATableColumnIsAsDeclared() {
        let name = column("u.name")
        XCTAssertEqual(name?.nullable, false)
        XCTAssertEqual(name?.nullability, .reference("u.name", because: .tableColumn(table: "users", notNull: true)))
        XCTAssertEqual(name?.nullability.description, "u.name is NOT NULL in users")

        let lastLogin = column("u.last_login")
        XCTAssertEqual(lastLogin?.nullable, true)
        XCTAssertEqual(lastLogin?.nullability.description, "u.last_login is nullable in users (no NOT NULL)")
    }

    func testTheOptionalSideOfALeftJoinIsNullableWhateverItsDeclaration() {
        let amount = column("t.amount", join: leftJoinTransactions)
        XCTAssertEqual(amount?.nullable, true)
        XCTAssertEqual(amount?.nullability, .reference("t.amount", because: .outerJoin(join: "LEFT JOIN transactions t")))
        XCTAssertEqual(amount?.nullability.description, "t.amount is on the optional side of LEFT JOIN transactions t")
        // The preserved side keeps its declaration.
        XCTAssertEqual(column("u.name", join: leftJoinTransactions)?.nullability.description, "u.name is NOT NULL in users")
    }

    func testACTEColumnCarriesItsReasonFromTheCTE() {
        let c = column("x.last", from: "logins x", with: """
        with:
          logins:
            from: users u
            select:
              last: u.last_login

        """)
        XCTAssertEqual(c?.nullable, true)
        XCTAssertEqual(c?.nullability.description, "x.last is nullable in logins: u.last_login is nullable in users (no NOT NULL)")
    }

    func testASetReturningFunctionsValuesAreNeverNull() {
        let c = column("g.n", from: "generate_series(1, 3) as g(n)")
        XCTAssertEqual(c?.nullable, false)
        XCTAssertEqual(c?.nullability.description, "g.n is a value of generate_series(...), never NULL")
    }

    // MARK: - Operators and functions

    func testAStrictExpressionIsNullableThroughItsFirstNullableOperand() {
        let shifted = column("u.last_login + interval '1 day'")
        XCTAssertEqual(shifted?.nullable, true)
        XCTAssertEqual(shifted?.nullability, .reference("u.last_login", because: .tableColumn(table: "users", notNull: false)))
        let sum = column("u.id + 1")
        XCTAssertEqual(sum?.nullable, false)
        XCTAssertEqual(sum?.nullability, .operandsNotNull)
        XCTAssertEqual(column("lower(u.name)")?.nullability, .operandsNotNull)
    }

    func testCoalesceIsNotNullThroughAnArgumentThatNeverIs() {
        let trailing = column("coalesce(u.last_login, u.created_at)")
        XCTAssertEqual(trailing?.nullable, false)
        XCTAssertEqual(trailing?.nullability.description, "coalesce(..., u.created_at): u.created_at is NOT NULL in users")

        let zero = column("coalesce(sum(t.amount), 0)", join: leftJoinTransactions, groupBy: "[u.id]")
        XCTAssertEqual(zero?.type, .numeric)
        XCTAssertEqual(zero?.nullable, false)
        XCTAssertEqual(zero?.nullability.description, "coalesce(..., 0): 0 is never NULL")

        let leading = column("coalesce(0, u.id)")
        XCTAssertEqual(leading?.nullability.description, "coalesce(...): its argument 0 is never NULL")

        let allNullable = column("greatest(u.last_login, null)")
        XCTAssertEqual(allNullable?.nullable, true)
        XCTAssertEqual(allNullable?.nullability.description,
                       "every argument of greatest(...) can be NULL, e.g. u.last_login is nullable in users (no NOT NULL)")
    }

    func testFunctionsThatAreNeverOrMaybeNull() {
        XCTAssertEqual(column("concat(u.last_login, 'x')")?.nullability, .neverNull("concat(...)"))
        XCTAssertEqual(column("nullif(u.name, '')")?.nullability, .mayBeNull(function: "nullif"))
        XCTAssertEqual(column("now()")?.nullability, .neverNull("now(...)"))
        XCTAssertEqual(column("current_date")?.nullability, .neverNull("CURRENT_DATE"))
        XCTAssertEqual(column("u.last_login is null")?.nullability, .test)
        XCTAssertEqual(column("null")?.nullability, .nullLiteral)
    }

    func testCaseWithoutElseOrWithANullableBranch() {
        XCTAssertEqual(column("case when u.id > 1 then 'big' end")?.nullability, .caseWithoutElse)
        let branch = column("case when u.id > 1 then u.last_login else u.created_at end")
        XCTAssertEqual(branch?.nullable, true)
        XCTAssertEqual(branch?.nullability.description, "a CASE branch can be NULL: u.last_login is nullable in users (no NOT NULL)")
        let constants = column("case when u.id > 1 then 1 else 0 end")
        XCTAssertEqual(constants?.nullable, false)
        XCTAssertEqual(constants?.nullability, .everyBranchNotNull)
    }

    // MARK: - Aggregates

    func testCountIsNeverNull() {
        XCTAssertEqual(column("count(t.id)", join: leftJoinTransactions, groupBy: "[u.id]")?.nullability.description, "count(...) is never NULL")
        XCTAssertEqual(column("count(*)", groupBy: "[u.id]")?.nullability.description, "count(*) is never NULL")
    }

    func testSumOverTheOptionalSideOfALeftJoin() {
        let sum = column("sum(t.amount)", join: leftJoinTransactions, groupBy: "[u.id]")
        XCTAssertEqual(sum?.nullable, true)
        XCTAssertEqual(sum?.nullability, .aggregateInput(function: "sum", because: .reference("t.amount", because: .outerJoin(join: "LEFT JOIN transactions t"))))
        XCTAssertEqual(sum?.nullability.description,
                       "sum(...) is NULL when all its inputs are NULL, and t.amount is on the optional side of LEFT JOIN transactions t")
    }

    func testAnAggregateOfNotNullValuesOverAGroupIsNotNull() {
        let sum = column("sum(m.visits)", from: "daily_metrics m", groupBy: "[m.user_id]")
        XCTAssertEqual(sum?.nullable, false)
        XCTAssertEqual(sum?.nullability, .aggregateOverGroup(function: "sum"))
    }

    func testAnAggregateWithoutGroupByOrWithAFilterMayHaveNoRows() {
        let ungrouped = column("sum(m.visits)", from: "daily_metrics m")
        XCTAssertEqual(ungrouped?.nullable, true)
        XCTAssertEqual(ungrouped?.nullability.description, "sum(...) is NULL over no rows, and without GROUP BY the query may have none")
        let filtered = column("max(m.visits) filter (where m.errors > 0)", from: "daily_metrics m", groupBy: "[m.user_id]")
        XCTAssertEqual(filtered?.nullable, true)
        XCTAssertEqual(filtered?.nullability, .aggregateFilter(function: "max"))
    }

    /// The recorded reason never contradicts the nullability it explains.
    func testTheReasonAgreesWithTheNullabilityOfTheSeedViews() {
        let output = Fixtures.compile(Fixtures.seedSpecNames.map { ("specs/\($0)", Fixtures.seedSpec($0)) })
        XCTAssertEqual(Fixtures.errors(output).map(Fixtures.render), [])
        let nullableWords = ["nullable", "can be NULL", "is NULL when", "NULL over no rows", "optional side", "can return NULL"]
        var checked = 0
        for view in output.project.views {
            for column in view.columns {
                let text = column.nullability.description
                let saysNullable = nullableWords.contains { text.contains($0) } && !text.hasPrefix("coalesce(")
                XCTAssertEqual(saysNullable, column.nullable, "\(view.name).\(column.name): \(text)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 15)
    }
}

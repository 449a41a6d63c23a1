import XCTest
@testable import MatviewSyntax

/// Renders an expression as a compact S-expression so tests can state the tree shape in one line.
func sexpr(_ e: Expr) -> String {
    func name(_ i: Identifier) -> String { i.quoted ? "\"\(i.name)\"" : i.name }
    func all(_ list: [Expr]) -> String { list.map(sexpr).joined(separator: " ") }
    switch e.kind {
    case .column(let qualifiers, let n):
        return (qualifiers + [n]).map(name).joined(separator: ".")
    case .star(let q):
        return q.map { name($0) + ".*" } ?? "*"
    case .literal(let literal):
        switch literal {
        case .number(let n): return n
        case .string(let s): return "'\(s)'"
        case .boolean(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    case .typedLiteral(let type, let value):
        return "(\(type) '\(value)')"
    case .cast(let inner, let type):
        return "(cast \(sexpr(inner)) \(type))"
    case .unary(let op, let inner):
        return "(\(op.rawValue.lowercased()) \(sexpr(inner)))"
    case .binary(let op, let a, let b):
        return "(\(op.rawValue.lowercased()) \(sexpr(a)) \(sexpr(b)))"
    case .isNull(let inner, let negated):
        return "(\(negated ? "notnull" : "isnull") \(sexpr(inner)))"
    case .isBoolean(let inner, let value, let negated):
        return "(\(negated ? "isnot" : "is") \(sexpr(inner)) \(value))"
    case .isDistinctFrom(let a, let b, let negated):
        return "(\(negated ? "notdistinct" : "distinct") \(sexpr(a)) \(sexpr(b)))"
    case .inList(let inner, let list, let negated):
        return "(\(negated ? "notin" : "in") \(sexpr(inner)) \(all(list)))"
    case .between(let a, let low, let high, let negated):
        return "(\(negated ? "notbetween" : "between") \(sexpr(a)) \(sexpr(low)) \(sexpr(high)))"
    case .like(let a, let pattern, let insensitive, let negated):
        return "(\(negated ? "not" : "")\(insensitive ? "ilike" : "like") \(sexpr(a)) \(sexpr(pattern)))"
    case .caseWhen(let operand, let whens, let otherwise):
        var parts = ["case"]
        if let operand { parts.append(sexpr(operand)) }
        for w in whens { parts.append("(when \(sexpr(w.condition)) \(sexpr(w.result)))") }
        if let otherwise { parts.append("(else \(sexpr(otherwise)))") }
        return "(" + parts.joined(separator: " ") + ")"
    case .function(let call):
        var parts = [name(call.name)]
        if call.distinct { parts.append("distinct") }
        if call.star { parts.append("*") }
        parts += call.arguments.map(sexpr)
        if !call.orderBy.isEmpty {
            let items = call.orderBy.map { item -> String in
                var s = sexpr(item.expr) + (item.descending ? " desc" : " asc")
                if let nullsFirst = item.nullsFirst { s += nullsFirst ? " nulls first" : " nulls last" }
                return s
            }
            parts.append("(order " + items.joined(separator: ", ") + ")")
        }
        if let filter = call.filter { parts.append("(filter \(sexpr(filter)))") }
        return "{" + parts.joined(separator: " ") + "}"
    case .extract(let field, let inner):
        return "(extract \(field) \(sexpr(inner)))"
    case .special(let value):
        return value.rawValue
    case .parenthesized(let inner):
        return "[\(sexpr(inner))]"
    }
}

final class ExpressionParserTests: XCTestCase {
    private func source(_ text: String) -> SourceText { SourceText(path: "t.sql", text: text) }

    private func parse(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Expr? {
        switch Parser.parseExpression(text, locator: source(text)) {
        case .success(let expr): return expr
        case .failure(let error):
            XCTFail("\(text) did not parse: \(error.location): \(error.message)", file: file, line: line)
            return nil
        }
    }

    private func tree(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        parse(text, file: file, line: line).map(sexpr) ?? "<error>"
    }

    private func failure(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Parser.SyntaxError? {
        switch Parser.parseExpression(text, locator: source(text)) {
        case .success(let expr):
            XCTFail("\(text) parsed as \(sexpr(expr)) but should fail", file: file, line: line)
            return nil
        case .failure(let error): return error
        }
    }

    /// Asserts that `text` fails at `line:column` of t.sql with a message containing `fragment`.
    private func assertError(_ text: String, at expected: String, contains fragment: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        guard let error = failure(text, file: file, line: line) else { return }
        XCTAssertEqual(error.location.description, "t.sql:\(expected)", "location of: \(error.message)", file: file, line: line)
        XCTAssertTrue(error.message.contains(fragment), "message '\(error.message)' lacks '\(fragment)'", file: file, line: line)
    }

    // MARK: - Precedence

    func testAndBindsTighterThanOr() {
        XCTAssertEqual(tree("a OR b AND c"), "(or a (and b c))")
        XCTAssertEqual(tree("a AND b OR c"), "(or (and a b) c)")
        XCTAssertEqual(tree("a or b or c"), "(or (or a b) c)")
    }

    func testNotBindsLooserThanComparison() {
        XCTAssertEqual(tree("NOT a = b"), "(not (= a b))")
        XCTAssertEqual(tree("not a and b"), "(and (not a) b)")
        XCTAssertEqual(tree("not not a"), "(not (not a))")
        XCTAssertEqual(tree("NOT a IS NULL"), "(not (isnull a))")
    }

    func testMultiplicationBindsTighterThanAddition() {
        XCTAssertEqual(tree("a + b * c"), "(+ a (* b c))")
        XCTAssertEqual(tree("a * b + c"), "(+ (* a b) c)")
        XCTAssertEqual(tree("a - b - c"), "(- (- a b) c)")
        XCTAssertEqual(tree("a / b % c"), "(% (/ a b) c)")
    }

    func testUnaryMinusBindsTighterThanPower() {
        XCTAssertEqual(tree("-a ^ b"), "(^ (- a) b)")
        XCTAssertEqual(tree("a ^ b ^ c"), "(^ (^ a b) c)")
        XCTAssertEqual(tree("a * b ^ c"), "(* a (^ b c))")
        XCTAssertEqual(tree("+a"), "(+ a)")
    }

    func testNegativeNumberLiteralsAreFolded() {
        XCTAssertEqual(tree("-1"), "-1")
        XCTAssertEqual(tree("- 2.5"), "-2.5")
        XCTAssertEqual(tree("a*-1"), "(* a -1)")
        XCTAssertEqual(tree("a - -1"), "(- a -1)")
    }

    func testCastBindsTightest() {
        XCTAssertEqual(tree("x::date"), "(cast x date)")
        XCTAssertEqual(tree("a + x::date"), "(+ a (cast x date))")
        XCTAssertEqual(tree("-x::int"), "(- (cast x int))")
        XCTAssertEqual(tree("a.b::text || 'x'"), "(|| (cast a.b text) 'x')")
        XCTAssertEqual(tree("x::text::int"), "(cast (cast x text) int)")
        XCTAssertEqual(tree("(a + b)::numeric"), "(cast [(+ a b)] numeric)")
        XCTAssertEqual(tree("a ^ b::int"), "(^ a (cast b int))")
    }

    func testBetweenTakesItsOwnAnd() {
        XCTAssertEqual(tree("a BETWEEN b AND c AND d"), "(and (between a b c) d)")
        XCTAssertEqual(tree("a between b + 1 and c * 2"), "(between a (+ b 1) (* c 2))")
        XCTAssertEqual(tree("a NOT BETWEEN 1 AND 2"), "(notbetween a 1 2)")
        XCTAssertEqual(tree("x or a between 1 and 2"), "(or x (between a 1 2))")
    }

    func testConcatenationAndComparison() {
        XCTAssertEqual(tree("a || b = c"), "(= (|| a b) c)")
        XCTAssertEqual(tree("a || b + c"), "(|| a (+ b c))")
        XCTAssertEqual(tree("a <> b"), "(<> a b)")
        XCTAssertEqual(tree("a != b"), "(<> a b)")
        XCTAssertEqual(tree("a < b"), "(< a b)")
        XCTAssertEqual(tree("a <= b"), "(<= a b)")
        XCTAssertEqual(tree("a > b"), "(> a b)")
        XCTAssertEqual(tree("a >= b"), "(>= a b)")
    }

    func testParenthesesOverridePrecedenceAndAreKept() {
        XCTAssertEqual(tree("(a + b) * c"), "(* [(+ a b)] c)")
        XCTAssertEqual(tree("(a or b) and c"), "(and [(or a b)] c)")
        XCTAssertEqual(parse("((a))")?.unparenthesized.kind, parse("a")?.kind)
    }

    // MARK: - IS, IN, LIKE

    func testIsNullAndIsNotNull() {
        XCTAssertEqual(tree("a IS NULL"), "(isnull a)")
        XCTAssertEqual(tree("a is not null"), "(notnull a)")
        XCTAssertEqual(tree("a ISNULL"), "(isnull a)")
        XCTAssertEqual(tree("a NOTNULL"), "(notnull a)")
        XCTAssertEqual(tree("a = b IS NULL"), "(isnull (= a b))")
        XCTAssertEqual(tree("a + 1 is null and b"), "(and (isnull (+ a 1)) b)")
    }

    func testIsTrueAndIsFalse() {
        XCTAssertEqual(tree("a IS TRUE"), "(is a true)")
        XCTAssertEqual(tree("a IS NOT TRUE"), "(isnot a true)")
        XCTAssertEqual(tree("a is false"), "(is a false)")
        XCTAssertEqual(tree("a is not false"), "(isnot a false)")
    }

    func testIsDistinctFrom() {
        XCTAssertEqual(tree("a IS DISTINCT FROM b"), "(distinct a b)")
        XCTAssertEqual(tree("a IS NOT DISTINCT FROM b + 1"), "(notdistinct a (+ b 1))")
        XCTAssertEqual(tree("a is distinct from b and c"), "(and (distinct a b) c)")
    }

    func testInLists() {
        XCTAssertEqual(tree("a IN (1, 2, 3)"), "(in a 1 2 3)")
        XCTAssertEqual(tree("a NOT IN ('x')"), "(notin a 'x')")
        XCTAssertEqual(tree("a + 1 in (b, c * 2) and d"), "(and (in (+ a 1) b (* c 2)) d)")
    }

    func testLikeAndIlike() {
        XCTAssertEqual(tree("name LIKE 'a%'"), "(like name 'a%')")
        XCTAssertEqual(tree("name NOT LIKE 'a%'"), "(notlike name 'a%')")
        XCTAssertEqual(tree("name ILIKE '%x%'"), "(ilike name '%x%')")
        XCTAssertEqual(tree("name not ilike '%x%'"), "(notilike name '%x%')")
        XCTAssertEqual(tree("a like b || '%'"), "(like a (|| b '%'))")
        XCTAssertEqual(tree("a like 'x' or b"), "(or (like a 'x') b)")
    }

    // MARK: - CASE, CAST, typed literals, EXTRACT

    func testSearchedCase() {
        XCTAssertEqual(tree("case when t.status = 'completed' then 1 else 0 end"),
                       "(case (when (= t.status 'completed') 1) (else 0))")
        XCTAssertEqual(tree("CASE WHEN a THEN 1 WHEN b THEN 2 END"), "(case (when a 1) (when b 2))")
    }

    func testSimpleCase() {
        XCTAssertEqual(tree("case x when 1 then 'a' when 2 then 'b' else 'c' end"),
                       "(case x (when 1 'a') (when 2 'b') (else 'c'))")
        XCTAssertEqual(tree("case a + b when 0 then null end"), "(case (+ a b) (when 0 null))")
    }

    func testCaseInsideAggregate() {
        XCTAssertEqual(tree("sum(case when t.status = 'completed' then 1 else 0 end)"),
                       "{sum (case (when (= t.status 'completed') 1) (else 0))}")
    }

    func testCastCall() {
        XCTAssertEqual(tree("CAST(x AS numeric(12,2))"), "(cast x numeric(12,2))")
        XCTAssertEqual(tree("cast(a + b as double precision)"), "(cast (+ a b) double precision)")
        guard let expr = parse("cast(x as numeric(12, 2))"), case .cast(_, let type) = expr.kind else {
            return XCTFail("not a cast")
        }
        XCTAssertEqual(type.name, "numeric")
        XCTAssertEqual(type.modifiers, [12, 2])
        XCTAssertEqual(type.arrayDepth, 0)
    }

    func testTypeNames() {
        XCTAssertEqual(tree("x::timestamp with time zone"), "(cast x timestamptz)")
        XCTAssertEqual(tree("x::timestamp without time zone"), "(cast x timestamp)")
        XCTAssertEqual(tree("x::time with time zone"), "(cast x timetz)")
        XCTAssertEqual(tree("x::character varying(20)"), "(cast x character varying(20))")
        XCTAssertEqual(tree("x::text[]"), "(cast x text[])")
        XCTAssertEqual(tree("x::int[][]"), "(cast x int[][])")
        XCTAssertEqual(tree("x::pg_catalog.int4"), "(cast x int4)")
        XCTAssertEqual(tree("x::\"MyType\""), "(cast x MyType)")
    }

    func testTypedLiterals() {
        XCTAssertEqual(tree("interval '1 day'"), "(interval '1 day')")
        XCTAssertEqual(tree("date '2026-01-01'"), "(date '2026-01-01')")
        XCTAssertEqual(tree("timestamp with time zone '2026-01-01 00:00+00'"), "(timestamptz '2026-01-01 00:00+00')")
        XCTAssertEqual(tree("now() - interval '30 days'"), "(- {now} (interval '30 days'))")
        XCTAssertEqual(tree("INTERVAL '5 minutes' * 2"), "(* (interval '5 minutes') 2)")
    }

    func testTypeNamesAreStillUsableAsColumnsAndFunctions() {
        XCTAssertEqual(tree("date"), "date")
        XCTAssertEqual(tree("date + 1"), "(+ date 1)")
        XCTAssertEqual(tree("date(x)"), "{date x}")
        XCTAssertEqual(tree("t.date"), "t.date")
    }

    func testExtract() {
        XCTAssertEqual(tree("EXTRACT(epoch FROM a - b)"), "(extract epoch (- a b))")
        XCTAssertEqual(tree("extract(DAY from t.created_at)"), "(extract day t.created_at)")
        XCTAssertEqual(tree("extract('Hour' from x)"), "(extract hour x)")
        XCTAssertEqual(tree("avg(extract(epoch from t.completed_at - t.created_at))"),
                       "{avg (extract epoch (- t.completed_at t.created_at))}")
    }

    // MARK: - Calls

    func testCountStar() {
        guard let expr = parse("count(*)"), case .function(let call) = expr.kind else { return XCTFail("not a call") }
        XCTAssertEqual(call.name.name, "count")
        XCTAssertTrue(call.star)
        XCTAssertTrue(call.arguments.isEmpty)
        XCTAssertFalse(call.distinct)
        XCTAssertNil(call.filter)
    }

    func testCountDistinct() {
        XCTAssertEqual(tree("count(distinct p.id)"), "{count distinct p.id}")
        XCTAssertEqual(tree("COUNT(ALL p.id)"), "{count p.id}")
    }

    func testAggregateWithOrderByAndFilter() {
        XCTAssertEqual(tree("string_agg(x, ',' ORDER BY y DESC) FILTER (WHERE z)"),
                       "{string_agg x ',' (order y desc) (filter z)}")
        XCTAssertEqual(tree("array_agg(x order by y, z desc nulls first, w nulls last)"),
                       "{array_agg x (order y asc, z desc nulls first, w asc nulls last)}")
        XCTAssertEqual(tree("count(*) filter (where t.status = 'open')"), "{count * (filter (= t.status 'open'))}")
        XCTAssertEqual(tree("sum(x) filter (where y > 0) + 1"), "(+ {sum x (filter (> y 0))} 1)")
    }

    func testFunctionCallsOfAllArities() {
        XCTAssertEqual(tree("now()"), "{now}")
        XCTAssertEqual(tree("coalesce(a, 0)"), "{coalesce a 0}")
        XCTAssertEqual(tree("nullif(a, '')"), "{nullif a ''}")
        XCTAssertEqual(tree("max(greatest(u.updated_at, p.updated_at, t.updated_at))"),
                       "{max {greatest u.updated_at p.updated_at t.updated_at}}")
        XCTAssertEqual(tree("LEAST(a, b)"), "{least a b}")
        XCTAssertEqual(tree("pg_catalog.sum(x)"), "{sum x}")
        XCTAssertEqual(tree("\"MyFunc\"(x)"), "{\"MyFunc\" x}")
    }

    func testSpecialValues() {
        XCTAssertEqual(tree("current_date"), "current_date")
        XCTAssertEqual(tree("CURRENT_TIMESTAMP"), "current_timestamp")
        XCTAssertEqual(tree("current_timestamp(3)"), "current_timestamp")
        XCTAssertEqual(tree("localtimestamp"), "localtimestamp")
        XCTAssertEqual(tree("current_user"), "current_user")
        XCTAssertEqual(tree("current_date - interval '30 days'"), "(- current_date (interval '30 days'))")
    }

    // MARK: - Names and literals

    func testColumns() {
        XCTAssertEqual(tree("id"), "id")
        XCTAssertEqual(tree("U.Id"), "u.id")
        XCTAssertEqual(tree("public.users.id"), "public.users.id")
        XCTAssertEqual(tree("\"Weird Name\""), "\"Weird Name\"")
        XCTAssertEqual(tree("u.\"Weird Name\""), "u.\"Weird Name\"")
        XCTAssertEqual(tree("t.*"), "t.*")
        XCTAssertEqual(tree("*"), "*")
    }

    func testQualifiedColumnParts() {
        guard let expr = parse("u.\"Display Name\""), case .column(let qualifiers, let name) = expr.kind else {
            return XCTFail("not a column")
        }
        XCTAssertEqual(qualifiers.map(\.name), ["u"])
        XCTAssertEqual(qualifiers.map(\.quoted), [false])
        XCTAssertEqual(name.name, "Display Name")
        XCTAssertTrue(name.quoted)
    }

    func testLiterals() {
        XCTAssertEqual(parse("42")?.kind, .literal(.number("42")))
        XCTAssertEqual(parse("1.5e3")?.kind, .literal(.number("1.5e3")))
        XCTAssertEqual(parse("'it''s'")?.kind, .literal(.string("it's")))
        XCTAssertEqual(parse("E'a\\tb'")?.kind, .literal(.string("a\tb")))
        XCTAssertEqual(parse("$$x$$")?.kind, .literal(.string("x")))
        XCTAssertEqual(parse("TRUE")?.kind, .literal(.boolean(true)))
        XCTAssertEqual(parse("false")?.kind, .literal(.boolean(false)))
        XCTAssertEqual(parse("NULL")?.kind, .literal(.null))
    }

    func testKeywordsAreCaseInsensitive() {
        XCTAssertEqual(tree("CaSe WhEn A iS nOt NuLl ThEn 1 EnD"), "(case (when (notnull a) 1))")
        XCTAssertEqual(tree("a NoT iN (1)"), "(notin a 1)")
    }

    func testCommentsInsideExpressions() {
        XCTAssertEqual(tree("a /* why */ + -- because\n b"), "(+ a b)")
    }

    // MARK: - Locations

    func testEveryNodeIsLocatedAtItsFirstToken() {
        let text = "a + b * c"
        guard let expr = parse(text), case .binary(_, let a, let product) = expr.kind,
              case .binary(_, let b, let c) = product.kind else { return XCTFail("unexpected shape") }
        XCTAssertEqual(expr.location, SourceLocation(file: "t.sql", line: 1, column: 1))
        XCTAssertEqual(a.location.column, 1)
        XCTAssertEqual(product.location.column, 5)
        XCTAssertEqual(b.location.column, 5)
        XCTAssertEqual(c.location.column, 9)
    }

    func testLocationsOnLaterLines() {
        let text = "sum(x)\n  filter (where\n    t.amount > 0)"
        guard let expr = parse(text), case .function(let call) = expr.kind, let filter = call.filter,
              case .binary(_, let amount, let zero) = filter.kind else { return XCTFail("unexpected shape") }
        XCTAssertEqual(amount.location, SourceLocation(file: "t.sql", line: 3, column: 5))
        XCTAssertEqual(zero.location, SourceLocation(file: "t.sql", line: 3, column: 16))
        XCTAssertEqual(call.name.location, SourceLocation(file: "t.sql", line: 1, column: 1))
        XCTAssertEqual(call.arguments.first?.location.column, 5)
    }

    func testLocationsOfWrappedNodes() {
        let text = "(a + b) * -c::int"
        guard let expr = parse(text), case .binary(_, let left, let right) = expr.kind,
              case .unary(_, let cast) = right.kind, case .cast(let c, let type) = cast.kind else {
            return XCTFail("unexpected shape \(parse(text).map(sexpr) ?? "")")
        }
        XCTAssertEqual(expr.location.column, 1)
        XCTAssertEqual(left.location.column, 1)
        XCTAssertEqual(right.location.column, 11)
        XCTAssertEqual(cast.location.column, 12)
        XCTAssertEqual(c.location.column, 12)
        XCTAssertEqual(type.location.column, 15)
    }

    func testIdentifierLocationsOfQualifiedNames() {
        guard let expr = parse("  u.name"), case .column(let qualifiers, let name) = expr.kind else {
            return XCTFail("not a column")
        }
        XCTAssertEqual(expr.location.column, 3)
        XCTAssertEqual(qualifiers.first?.location.column, 3)
        XCTAssertEqual(name.location.column, 5)
    }

    func testChildrenAndWalk() {
        guard let expr = parse("case when a between 1 and 2 then f(b order by c) filter (where d) else -e end") else { return }
        var columns: [String] = []
        expr.walk { node in
            if case .column(_, let name) = node.kind { columns.append(name.name) }
        }
        XCTAssertEqual(columns, ["a", "b", "c", "d", "e"])
        XCTAssertEqual(expr.children.count, 3)
    }

    // MARK: - Syntax errors

    func testErrorPointsAtTheOffendingToken() {
        assertError("a +\n  )", at: "2:3", contains: "expected an expression, found ')'")
        assertError("sum(x\n  , )", at: "2:5", contains: "expected an expression")
        assertError("a b", at: "1:3", contains: "unexpected 'b' after the end of the expression")
    }

    func testMissingClosingParenthesis() {
        assertError("(a + b", at: "1:7", contains: "expected ')', found end of expression")
        assertError("coalesce(a, b", at: "1:14", contains: "')' to close the arguments of coalesce")
    }

    func testEmptyExpression() {
        assertError("", at: "1:1", contains: "expected an expression, found nothing")
        assertError("  -- just a comment", at: "1:20", contains: "expected an expression, found nothing")
    }

    func testUnterminatedStringIsAnError() {
        assertError("u.name = 'abc", at: "1:10", contains: "unterminated string literal")
        assertError("a\n  || \"Name", at: "2:6", contains: "unterminated quoted identifier")
    }

    func testCaseErrors() {
        assertError("case when a then 1", at: "1:19", contains: "expected END to close CASE, found end of expression")
        assertError("case when a 1 end", at: "1:13", contains: "expected THEN after the WHEN condition")
        assertError("case else 1 end", at: "1:6", contains: "expected WHEN in CASE")
    }

    func testCastAndExtractErrors() {
        assertError("cast(x numeric)", at: "1:8", contains: "expected AS in CAST(... AS type), found 'numeric'")
        assertError("x::numeric(a)", at: "1:12", contains: "expected a number in the type modifier")
        assertError("x::double", at: "1:10", contains: "expected PRECISION after DOUBLE")
        assertError("extract(epoch a)", at: "1:15", contains: "expected FROM in EXTRACT(field FROM value)")
        assertError("extract(1 from a)", at: "1:9", contains: "expected a field name")
    }

    func testPredicateErrors() {
        assertError("a is banana", at: "1:6", contains: "expected NULL, TRUE, FALSE or DISTINCT FROM after IS, found 'banana'")
        assertError("a is distinct b", at: "1:15", contains: "expected FROM after IS DISTINCT")
        assertError("a between 1 or 2", at: "1:13", contains: "expected AND in BETWEEN, found 'or'")
        assertError("a in 1", at: "1:6", contains: "expected '(' after IN")
        assertError("a in (1, 2", at: "1:11", contains: "')' to close the IN list")
        assertError("count(*) filter (x)", at: "1:18", contains: "expected WHERE in FILTER")
        assertError("f(x order y)", at: "1:11", contains: "expected BY after ORDER")
        assertError("f(x order by y nulls)", at: "1:21", contains: "expected LAST after NULLS")
    }

    func testBetweenSymmetricIsRejectedRatherThanSilentlyDropped() {
        // The tree has no SYMMETRIC flag; dropping the word would turn `BETWEEN SYMMETRIC 2 AND 1` into an empty range.
        assertError("a between symmetric 2 and 1", at: "1:11", contains: "BETWEEN SYMMETRIC is not supported")
    }

    func testUnsupportedOperatorIsAnError() {
        assertError("a ~ 'x'", at: "1:3", contains: "operator ~ is not supported")
        assertError("a @> b", at: "1:3", contains: "operator @> is not supported")
    }

    func testSubqueriesAreRejected() {
        assertError("(select 1)", at: "1:2", contains: "subqueries are not supported")
        assertError("a in (select id from t)", at: "1:7", contains: "subqueries are not supported in IN")
        assertError("exists (select 1)", at: "1:1", contains: "EXISTS is not supported")
        assertError("select 1", at: "1:1", contains: "SELECT is not supported")
        assertError("array[1, 2]", at: "1:1", contains: "ARRAY is not supported")
    }

    func testWindowFunctionsAreRejected() {
        assertError("sum(x) over (partition by y)", at: "1:8", contains: "window functions (OVER) are not supported")
        assertError("row_number() OVER ()", at: "1:14", contains: "OVER")
        assertError("percentile_cont(0.5) within group (order by x)", at: "1:22", contains: "WITHIN GROUP is not supported")
    }

    func testParametersAreRejected() {
        assertError("a = $1", at: "1:5", contains: "parameters like $1 have no value in a view definition")
    }

    func testStrayCharactersAreReported() {
        assertError("a = $", at: "1:5", contains: "expected an expression, found '$'")
        assertError("a ; b", at: "1:3", contains: "unexpected ';'")
        assertError("a.", at: "1:3", contains: "expected a name, found end of expression")
        assertError("\"\"", at: "1:1", contains: "a quoted identifier cannot be empty")
    }

    func testStringTokenIsDescribedReadably() {
        // The token is named once, not wrapped in a second pair of quotes.
        guard let error = failure("a 'x'") else { return }
        XCTAssertEqual(error.message, "unexpected string 'x' after the end of the expression")
        XCTAssertEqual(error.location.column, 3)
    }

    func testErrorLocationsCountUnicodeScalars() {
        assertError("'ünï' || )", at: "1:10", contains: "expected an expression")
    }

    func testErrorsNeverCrashOnOddInput() {
        // A grab bag of broken input: each must come back as a SyntaxError, not trap.
        let inputs = ["(", ")", "((", "a +", "case", "case when", "cast(", "cast(x as", "extract(", "f(", "f(distinct",
                      "a between", "a not", "a is", "a is not", "a in (", "x::", "x::numeric(", "x::int[", "-", "not",
                      "interval", "count(*) filter (where", "a.b.", "$", "'", "\"", "$$", "/*", "1e", "@", "::", "[]"]
        for input in inputs {
            switch Parser.parseExpression(input, locator: source(input)) {
            case .success(let expr):
                // A few of these are valid (a lone `interval` is a column); they just must not crash.
                _ = sexpr(expr)
            case .failure(let error):
                XCTAssertFalse(error.message.isEmpty, input)
                XCTAssertEqual(error.location.file, "t.sql")
                XCTAssertGreaterThanOrEqual(error.location.column, 1)
            }
        }
    }

    // MARK: - Sources

    private func sourceSpec(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> SourceSpec? {
        switch Parser.parseWhole(text, locator: source(text), { try $0.sourceReference() }) {
        case .success(let spec): return spec
        case .failure(let error):
            XCTFail("\(text): \(error.location): \(error.message)", file: file, line: line)
            return nil
        }
    }

    func testSourceWithAlias() {
        guard let spec = sourceSpec("users u"), case .named(let schema, let name) = spec.kind else { return XCTFail("not named") }
        XCTAssertNil(schema)
        XCTAssertEqual(name.name, "users")
        XCTAssertEqual(spec.alias?.name, "u")
        XCTAssertEqual(spec.alias?.location.column, 7)
        XCTAssertEqual(spec.columnAliases.count, 0)
        XCTAssertEqual(spec.referenceName, "u")
        XCTAssertEqual(spec.location, SourceLocation(file: "t.sql", line: 1, column: 1))
    }

    func testSourceWithoutAlias() {
        guard let spec = sourceSpec("Users"), case .named(nil, let name) = spec.kind else { return XCTFail("not named") }
        XCTAssertEqual(name.name, "users")
        XCTAssertNil(spec.alias)
        XCTAssertEqual(spec.referenceName, "users")
    }

    func testSchemaQualifiedSourceWithAs() {
        guard let spec = sourceSpec("public.users AS u"), case .named(let schema, let name) = spec.kind else {
            return XCTFail("not named")
        }
        XCTAssertEqual(schema?.name, "public")
        XCTAssertEqual(name.name, "users")
        XCTAssertEqual(name.location.column, 8)
        XCTAssertEqual(spec.alias?.name, "u")
        XCTAssertEqual(spec.alias?.location.column, 17)
    }

    func testQuotedSourceNames() {
        guard let spec = sourceSpec("\"My Table\" \"T\""), case .named(nil, let name) = spec.kind else {
            return XCTFail("not named")
        }
        XCTAssertEqual(name.name, "My Table")
        XCTAssertTrue(name.quoted)
        XCTAssertEqual(spec.alias?.name, "T")
        XCTAssertEqual(spec.alias?.quoted, true)
    }

    func testSetReturningFunctionSource() {
        let text = "generate_series(a, b, interval '1 day') AS g(day)"
        guard let spec = sourceSpec(text), case .function(let call) = spec.kind else { return XCTFail("not a function") }
        XCTAssertEqual(call.name.name, "generate_series")
        XCTAssertEqual(call.arguments.map(sexpr), ["a", "b", "(interval '1 day')"])
        XCTAssertEqual(spec.alias?.name, "g")
        XCTAssertEqual(spec.columnAliases.map(\.name), ["day"])
        XCTAssertEqual(spec.columnAliases.first?.location.column, 46)
        XCTAssertEqual(spec.referenceName, "g")
    }

    func testFunctionSourceVariants() {
        guard let spec = sourceSpec("lateral unnest(x.tags) tag"), case .function(let call) = spec.kind else {
            return XCTFail("not a function")
        }
        XCTAssertEqual(call.name.name, "unnest")
        XCTAssertEqual(spec.alias?.name, "tag")
        guard let qualified = sourceSpec("pg_catalog.generate_series(1, 3) s(n, m)"),
              case .function(let call2) = qualified.kind else { return XCTFail("not a function") }
        XCTAssertEqual(call2.name.name, "generate_series")
        XCTAssertEqual(qualified.columnAliases.map(\.name), ["n", "m"])
        guard let bare = sourceSpec("generate_series(1, 3)") else { return }
        XCTAssertNil(bare.alias)
        XCTAssertEqual(bare.referenceName, "generate_series")
    }

    func testSourceErrors() {
        func sourceError(_ text: String) -> Parser.SyntaxError? {
            if case .failure(let error) = Parser.parseWhole(text, locator: source(text), { try $0.sourceReference() }) { return error }
            XCTFail("\(text) should not parse as a source")
            return nil
        }
        XCTAssertEqual(sourceError("users u extra")?.location.column, 9)
        XCTAssertEqual(sourceError("users on")?.message, "unexpected 'on' after the end of the expression")
        XCTAssertEqual(sourceError("1 x")?.message, "expected a name, found '1'")
        XCTAssertEqual(sourceError("g(1) as s(")?.location.column, 11)
        XCTAssertEqual(sourceError("")?.message, "expected an expression, found nothing")
    }

    // MARK: - Index columns

    private func indexColumn(_ text: String) -> Result<IndexSpec.Column, Parser.SyntaxError> {
        IndexColumnText.parse(text, locator: source(text))
    }

    func testIndexColumnWithDirectionAndNulls() throws {
        let column = try indexColumn("last_activity desc nulls last").get()
        XCTAssertEqual(column.name.name, "last_activity")
        XCTAssertTrue(column.descending)
        XCTAssertEqual(column.nullsFirst, false)
    }

    /// Index columns name output columns exactly as the select keys spell them.
    func testIndexColumnVariants() throws {
        let plain = try indexColumn("user_id").get()
        XCTAssertEqual(plain.name.name, "user_id")
        XCTAssertFalse(plain.descending)
        XCTAssertNil(plain.nullsFirst)

        let ascending = try indexColumn("\"Name\" ASC NULLS FIRST").get()
        XCTAssertEqual(ascending.name.name, "Name")
        XCTAssertFalse(ascending.descending)
        XCTAssertEqual(ascending.nullsFirst, true)

        let descending = try indexColumn("Last_Activity DESC").get()
        XCTAssertEqual(descending.name.name, "Last_Activity")
        XCTAssertTrue(descending.descending)
        XCTAssertNil(descending.nullsFirst)

        let spaced = try indexColumn("Project ID desc").get()
        XCTAssertEqual(spaced.name.name, "Project ID")
        XCTAssertTrue(spaced.descending)
        XCTAssertEqual(spaced.name.location.column, 1)
    }

    func testIndexColumnErrors() {
        guard case .failure(let nulls) = indexColumn("a desc nulls") else { return XCTFail("should fail") }
        XCTAssertEqual(nulls.location.column, 13)
        XCTAssertTrue(nulls.message.contains("expected FIRST or LAST after NULLS"))
        guard case .failure(let empty) = indexColumn("  desc") else { return XCTFail("should fail") }
        XCTAssertTrue(empty.message.contains("expected an output column name"))
    }
}

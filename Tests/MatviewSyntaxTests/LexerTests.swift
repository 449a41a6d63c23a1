import XCTest
@testable import MatviewSyntax

final class LexerTests: XCTestCase {
    /// The token kinds of `text`, without the final end-of-input token; fails the test on lexer failures.
    private func kinds(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> [Token.Kind] {
        let (tokens, failures) = Lexer.tokenize(text)
        XCTAssertEqual(failures.map(\.message), [], "unexpected lexer failures for \(text)", file: file, line: line)
        XCTAssertEqual(tokens.last?.kind, .endOfInput, "the last token must be the end of input", file: file, line: line)
        XCTAssertEqual(tokens.filter { $0.kind == .endOfInput }.count, 1, file: file, line: line)
        return tokens.dropLast().map(\.kind)
    }

    // MARK: - Words and identifiers

    func testUnquotedWordsAreFoldedToLowerCase() {
        XCTAssertEqual(kinds("SELECT Foo bar_1 _x MiXeD$1"), [
            .word("select"), .word("foo"), .word("bar_1"), .word("_x"), .word("mixed$1"),
        ])
    }

    func testNonASCIILettersAreWordsAndFolded() {
        XCTAssertEqual(kinds("Ünïcode straße"), [.word("ünïcode"), .word("straße")])
    }

    func testQuotedIdentifierIsKeptExactly() {
        XCTAssertEqual(kinds("\"Weird Name\" \"UPPER\" \"select\""), [
            .quotedIdentifier("Weird Name"), .quotedIdentifier("UPPER"), .quotedIdentifier("select"),
        ])
    }

    func testQuotedIdentifierDoubledQuoteIsAnEscape() {
        XCTAssertEqual(kinds("\"say \"\"hi\"\"\""), [.quotedIdentifier("say \"hi\"")])
        XCTAssertEqual(kinds("\"\"\"\""), [.quotedIdentifier("\"")])
    }

    func testQualifiedNameIsWordDotWord() {
        XCTAssertEqual(kinds("u.id"), [.word("u"), .dot, .word("id")])
        XCTAssertEqual(kinds("u.\"Weird\""), [.word("u"), .dot, .quotedIdentifier("Weird")])
        XCTAssertEqual(kinds("t.*"), [.word("t"), .dot, .op("*")])
    }

    // MARK: - Numbers

    func testNumbers() {
        XCTAssertEqual(kinds("1"), [.number("1")])
        XCTAssertEqual(kinds("1.5"), [.number("1.5")])
        XCTAssertEqual(kinds(".5"), [.number(".5")])
        XCTAssertEqual(kinds("1e10"), [.number("1e10")])
        XCTAssertEqual(kinds("2.5E-3"), [.number("2.5E-3")])
        XCTAssertEqual(kinds("6e+2"), [.number("6e+2")])
        XCTAssertEqual(kinds("1."), [.number("1.")])
        XCTAssertEqual(kinds("42 7"), [.number("42"), .number("7")])
    }

    func testNumberFollowedByLetterEIsNotAnExponentWithoutDigits() {
        // `1e` alone is not an exponent: the number stops and `e` is a word.
        XCTAssertEqual(kinds("1e"), [.number("1"), .word("e")])
        XCTAssertEqual(kinds("1e+"), [.number("1"), .word("e"), .op("+")])
    }

    func testNumberDoesNotSwallowTwoDots() {
        XCTAssertEqual(kinds("1..2"), [.number("1"), .dot, .number(".2")])
    }

    func testMinusIsNotPartOfANumber() {
        XCTAssertEqual(kinds("-1"), [.op("-"), .number("1")])
    }

    // MARK: - Strings

    func testStringWithDoubledQuoteEscape() {
        XCTAssertEqual(kinds("'it''s'"), [.string("it's")])
        XCTAssertEqual(kinds("''"), [.string("")])
        XCTAssertEqual(kinds("''''"), [.string("'")])
        XCTAssertEqual(kinds("'a' 'b'"), [.string("a"), .string("b")])
    }

    func testPlainStringKeepsBackslashes() {
        // Standard-conforming strings: a backslash is just a character.
        XCTAssertEqual(kinds(#"'a\nb'"#), [.string(#"a\nb"#)])
    }

    func testEscapeStringDecodesBackslashes() {
        XCTAssertEqual(kinds(#"E'a\nb\tc\'d\\e'"#), [.string("a\nb\tc'd\\e")])
        XCTAssertEqual(kinds(#"e'x'"#), [.string("x")])
        XCTAssertEqual(kinds("E'it''s'"), [.string("it's")])
    }

    func testLetterEWithoutQuoteIsAWord() {
        XCTAssertEqual(kinds("e + E"), [.word("e"), .op("+"), .word("e")])
        XCTAssertEqual(kinds("e 'x'"), [.word("e"), .string("x")])
    }

    func testDollarQuotedBody() {
        XCTAssertEqual(kinds("$$it's a 'body' -- not a comment$$"), [.string("it's a 'body' -- not a comment")])
        XCTAssertEqual(kinds("$$$$"), [.string("")])
    }

    func testTaggedDollarQuotedBody() {
        XCTAssertEqual(kinds("$fn$ select $$x$$ $fn$"), [.string(" select $$x$$ ")])
        XCTAssertEqual(kinds("$a1$x$a1$ y"), [.string("x"), .word("y")])
    }

    func testParameters() {
        XCTAssertEqual(kinds("$1"), [.parameter(1)])
        XCTAssertEqual(kinds("$12 + $3"), [.parameter(12), .op("+"), .parameter(3)])
    }

    func testLoneDollarIsAnOperatorToken() {
        XCTAssertEqual(kinds("$ x"), [.op("$"), .word("x")])
    }

    // MARK: - Comments and whitespace

    func testLineComment() {
        XCTAssertEqual(kinds("a -- the rest is ignored ( ' \n+ b"), [.word("a"), .op("+"), .word("b")])
        XCTAssertEqual(kinds("a --"), [.word("a")])
    }

    func testNestedBlockComment() {
        XCTAssertEqual(kinds("a /* one /* two */ still comment */ b"), [.word("a"), .word("b")])
        XCTAssertEqual(kinds("/**/x"), [.word("x")])
    }

    func testCommentStartsInsideAnOperator() {
        XCTAssertEqual(kinds("a+-- comment\nb"), [.word("a"), .op("+"), .word("b")])
        XCTAssertEqual(kinds("a+/* c */b"), [.word("a"), .op("+"), .word("b")])
    }

    func testWhitespaceOfAllKinds() {
        XCTAssertEqual(kinds(" \t\r\n a \u{00A0} b \n"), [.word("a"), .word("b")])
        XCTAssertEqual(kinds(""), [])
        XCTAssertEqual(kinds("  -- only a comment"), [])
    }

    func testUnterminatedBlockCommentIsAFailure() {
        let (tokens, failures) = Lexer.tokenize("a /* /* */ b")
        XCTAssertEqual(failures.map(\.message), ["unterminated /* comment"])
        XCTAssertEqual(failures.first?.offset, 2)
        XCTAssertEqual(tokens.map(\.kind), [.word("a"), .endOfInput])
    }

    // MARK: - Operators and punctuation

    func testMultiCharacterOperators() {
        XCTAssertEqual(kinds("a::date"), [.word("a"), .op("::"), .word("date")])
        XCTAssertEqual(kinds("a<>b"), [.word("a"), .op("<>"), .word("b")])
        XCTAssertEqual(kinds("a != b"), [.word("a"), .op("!="), .word("b")])
        XCTAssertEqual(kinds("a||b"), [.word("a"), .op("||"), .word("b")])
        XCTAssertEqual(kinds("a<=b>=c"), [.word("a"), .op("<="), .word("b"), .op(">="), .word("c")])
    }

    func testTrailingSignIsSplitOffAnOperator() {
        XCTAssertEqual(kinds("a*-1"), [.word("a"), .op("*"), .op("-"), .number("1")])
        XCTAssertEqual(kinds("a=-1"), [.word("a"), .op("="), .op("-"), .number("1")])
        XCTAssertEqual(kinds("a<>+b"), [.word("a"), .op("<>"), .op("+"), .word("b")])
        XCTAssertEqual(kinds("a/-+1"), [.word("a"), .op("/"), .op("-"), .op("+"), .number("1")])
    }

    func testTrailingSignStaysWhenTheOperatorHasASpecialCharacter() {
        // PostgreSQL keeps `@-` whole because it contains `@`.
        XCTAssertEqual(kinds("a @- b"), [.word("a"), .op("@-"), .word("b")])
    }

    func testSingleColonAndPunctuation() {
        XCTAssertEqual(kinds("( ) , ; [ ] . :"), [
            .leftParen, .rightParen, .comma, .semicolon, .leftBracket, .rightBracket, .dot, .op(":"),
        ])
    }

    func testStrayCharactersBecomeOperatorTokens() {
        XCTAssertEqual(kinds("a ? b"), [.word("a"), .op("?"), .word("b")])
        XCTAssertEqual(kinds("a \\ b"), [.word("a"), .op("\\"), .word("b")])
        XCTAssertEqual(kinds("{"), [.op("{")])
    }

    // MARK: - Failures

    func testUnterminatedStringIsAFailure() {
        let (tokens, failures) = Lexer.tokenize("x = 'abc")
        XCTAssertEqual(failures.count, 1)
        XCTAssertEqual(failures.first?.message, "unterminated string literal")
        XCTAssertEqual(failures.first?.offset, 4)
        XCTAssertEqual(tokens.last?.kind, .endOfInput)
    }

    func testUnterminatedStringEndingInEscapedQuote() {
        let (_, failures) = Lexer.tokenize("'abc''")
        XCTAssertEqual(failures.map(\.message), ["unterminated string literal"])
        XCTAssertEqual(failures.first?.offset, 0)
    }

    func testUnterminatedEscapeString() {
        let (_, failures) = Lexer.tokenize(#"a || E'abc\'"#)
        XCTAssertEqual(failures.map(\.message), ["unterminated string literal"])
        XCTAssertEqual(failures.first?.offset, 5)
    }

    func testUnterminatedQuotedIdentifier() {
        let (_, failures) = Lexer.tokenize("u.\"Name")
        XCTAssertEqual(failures.map(\.message), ["unterminated quoted identifier"])
        XCTAssertEqual(failures.first?.offset, 2)
    }

    func testUnterminatedDollarQuote() {
        let (tokens, failures) = Lexer.tokenize("a $tag$ body $ta")
        XCTAssertEqual(failures.map(\.message), ["unterminated dollar-quoted string"])
        XCTAssertEqual(failures.first?.offset, 2)
        XCTAssertEqual(tokens.last?.kind, .endOfInput)
    }

    func testWellFormedTextHasNoFailures() {
        let (_, failures) = Lexer.tokenize("sum(case when t.status = 'done' then 1 else 0 end) /* ok */")
        XCTAssertTrue(failures.isEmpty)
    }

    // MARK: - Offsets

    func testTokenOffsetsAndEnds() {
        let (tokens, _) = Lexer.tokenize("ab + 'c''d'  \"Q\"::int")
        XCTAssertEqual(tokens.map(\.offset), [0, 3, 5, 13, 16, 18, 21])
        XCTAssertEqual(tokens.map(\.end), [2, 4, 11, 16, 18, 21, 21])
        XCTAssertEqual(tokens.map(\.kind), [
            .word("ab"), .op("+"), .string("c'd"), .quotedIdentifier("Q"), .op("::"), .word("int"), .endOfInput,
        ])
    }

    func testSplitSignOffsets() {
        let (tokens, _) = Lexer.tokenize("a*-1")
        XCTAssertEqual(tokens.map(\.offset), [0, 1, 2, 3, 4])
        XCTAssertEqual(tokens.map(\.end), [1, 2, 3, 4, 4])
    }

    func testOffsetsAfterCommentsAndAcrossLines() {
        let (tokens, _) = Lexer.tokenize("a /* x */\n  -- c\n  b")
        XCTAssertEqual(tokens.map(\.offset), [0, 19, 20])
    }

    func testOffsetsCountUnicodeScalars() {
        // "e\u{301}" is one Character but two scalars; offsets count scalars.
        let (tokens, _) = Lexer.tokenize("'e\u{301}' x")
        XCTAssertEqual(tokens.map(\.offset), [0, 5, 6])
        XCTAssertEqual(tokens.first?.end, 4)
    }

    func testEndOfInputOffsetIsTheTextLength() {
        let (tokens, _) = Lexer.tokenize("a   ")
        XCTAssertEqual(tokens.last, Token(.endOfInput, offset: 4, end: 4))
    }

    func testDollarBodyOffsets() {
        let (tokens, _) = Lexer.tokenize("x $q$a$q$ y")
        XCTAssertEqual(tokens.map(\.offset), [0, 2, 10, 11])
        XCTAssertEqual(tokens[1].end, 9)
    }

    // MARK: - Token helpers

    func testTokenHelpers() {
        let word = Token(.word("and"), offset: 0, end: 3)
        XCTAssertEqual(word.word, "and")
        XCTAssertTrue(word.isWord("and"))
        XCTAssertFalse(word.isOp("and"))
        let op = Token(.op("||"), offset: 0, end: 2)
        XCTAssertNil(op.word)
        XCTAssertTrue(op.isOp("||"))
        XCTAssertEqual(Token(.string("x"), offset: 0, end: 3).display, "'x'")
        XCTAssertEqual(Token(.quotedIdentifier("Q"), offset: 0, end: 3).display, "\"Q\"")
        XCTAssertEqual(Token(.parameter(2), offset: 0, end: 2).display, "$2")
        XCTAssertEqual(Token(.endOfInput, offset: 0, end: 0).display, "end of expression")
    }

    func testIncrementalNextMatchesTokenize() {
        var lexer = Lexer("a + 1")
        XCTAssertEqual(lexer.next().kind, .word("a"))
        XCTAssertEqual(lexer.next().kind, .op("+"))
        XCTAssertEqual(lexer.next().kind, .number("1"))
        XCTAssertEqual(lexer.next().kind, .endOfInput)
        XCTAssertEqual(lexer.next().kind, .endOfInput)
        XCTAssertTrue(lexer.failures.isEmpty)
    }
}

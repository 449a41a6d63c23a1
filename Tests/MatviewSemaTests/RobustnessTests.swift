import Foundation
import MatviewDriver
import MatviewSema
import MatviewSyntax
import XCTest

/// Feeds the front end thousands of broken versions of the project's specs and of the schema,
/// made deterministically (a seeded PRNG, the same inputs on every run): truncations, shuffled,
/// duplicated and deleted lines, random bytes, and characters replaced by ones YAML and SQL care
/// about. None may crash; each broken input that yields no checked view must say why; every
/// diagnostic must point into the input file at a real line and column.
///
/// A crash kills the test process before XCTest can name the input. To find it, run with
/// MATVIEW_ROBUSTNESS_TRACE=/tmp/case.txt: every input is written there before it is compiled,
/// so after a crash the file holds the one that crashed.
final class RobustnessTests: XCTestCase {
    /// SplitMix64: small, fast, and the same sequence everywhere for a seed.
    struct PRNG {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ upperBound: Int) -> Int { upperBound <= 0 ? 0 : Int(next() % UInt64(upperBound)) }
        mutating func pick<T>(_ items: [T]) -> T { items[int(items.count)] }
        mutating func shuffled<T>(_ items: [T]) -> [T] {
            var result = items
            guard result.count > 1 else { return result }
            for i in stride(from: result.count - 1, to: 0, by: -1) { result.swapAt(i, int(i + 1)) }
            return result
        }
    }

    struct Mutant {
        var kind: String
        var text: String
    }

    static let yamlSignificant: [String] = [":", "-", "'", "\"", "(", "|", "{", "[", "\t", ": ", "- ", "#", "&", "*", "!", "%", "@", ">", "?", "}", "]", ",", "\n", "\r\n", " "]
    static let sqlSignificant: [String] = [";", "(", ")", "'", "\"", "$$", "$", "--", "/*", "*/", ",", ".", "::", "E'", "\t", "\n", " ", "[", "]", "-", "0"]
    /// Scalars that are hard on offsets and columns: NUL, controls, BOM, NEL, line/paragraph
    /// separators, combining marks, astral-plane emoji, right-to-left text.
    static let awkwardScalars: [String] = ["\u{0}", "\u{1}", "\u{7}", "\u{8}", "\u{B}", "\u{C}", "\r", "\u{7F}", "\u{85}", "\u{A0}", "\u{FEFF}", "\u{2028}", "\u{2029}", "\u{301}", "😀", "👩‍👩‍👧", "שלום", "\u{FFFD}", "\u{10FFFF}"]

    // MARK: - Mutations

    static func scalars(_ text: String) -> [Unicode.Scalar] { Array(text.unicodeScalars) }

    static func string<S: Sequence>(_ scalars: S) -> String where S.Element == Unicode.Scalar {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    static func randomBytes(_ rng: inout PRNG, count: Int) -> String {
        var bytes: [UInt8] = []
        for _ in 0..<count { bytes.append(UInt8(truncatingIfNeeded: rng.next())) }
        // Invalid UTF-8 becomes U+FFFD, as a file reader that decodes leniently would give.
        return String(decoding: bytes, as: UTF8.self)
    }

    /// MATVIEW_ROBUSTNESS_SCALE=N makes N times as many random mutants (for a longer hunt).
    static let scale = max(1, Int(ProcessInfo.processInfo.environment["MATVIEW_ROBUSTNESS_SCALE"] ?? "") ?? 1)

    static func mutants(of text: String, seed: UInt64, significant: [String]) -> [Mutant] {
        var rng = PRNG(seed: seed)
        var result: [Mutant] = []
        let lines = text.components(separatedBy: "\n")
        let chars = scalars(text)

        // Every prefix, by line and at ~50-scalar offsets (exactly and with jitter).
        for k in 0...lines.count {
            result.append(Mutant(kind: "first \(k) lines", text: lines.prefix(k).joined(separator: "\n")))
        }
        for offset in stride(from: 0, through: chars.count, by: 50) {
            result.append(Mutant(kind: "prefix of \(offset) scalars", text: string(chars.prefix(offset))))
            let jittered = min(chars.count, offset + 1 + rng.int(49))
            result.append(Mutant(kind: "prefix of \(jittered) scalars", text: string(chars.prefix(jittered))))
        }
        // Each line deleted, each line duplicated, each line's indentation removed.
        for i in lines.indices {
            var deleted = lines
            deleted.remove(at: i)
            result.append(Mutant(kind: "line \(i + 1) deleted", text: deleted.joined(separator: "\n")))
            var duplicated = lines
            duplicated.insert(lines[i], at: i)
            result.append(Mutant(kind: "line \(i + 1) duplicated", text: duplicated.joined(separator: "\n")))
            if lines[i].hasPrefix(" ") {
                var dedented = lines
                dedented[i] = String(lines[i].drop(while: { $0 == " " }))
                result.append(Mutant(kind: "line \(i + 1) dedented", text: dedented.joined(separator: "\n")))
            }
        }
        // Lines shuffled: all of them, or two swapped, or a block moved.
        for n in 0..<(12 * scale) {
            result.append(Mutant(kind: "lines shuffled #\(n)", text: rng.shuffled(lines).joined(separator: "\n")))
        }
        for n in 0..<(12 * scale) where lines.count > 1 {
            var swapped = lines
            swapped.swapAt(rng.int(lines.count), rng.int(lines.count))
            result.append(Mutant(kind: "two lines swapped #\(n)", text: swapped.joined(separator: "\n")))
        }
        // Random bytes inserted.
        for n in 0..<(40 * scale) {
            var mutated = chars
            let at = rng.int(mutated.count + 1)
            mutated.insert(contentsOf: scalars(randomBytes(&rng, count: 1 + rng.int(24))), at: at)
            result.append(Mutant(kind: "random bytes #\(n) at \(at)", text: string(mutated)))
        }
        // Awkward scalars inserted or replacing one.
        for n in 0..<(30 * scale) where !chars.isEmpty {
            var mutated = chars
            let at = rng.int(mutated.count)
            let insert = scalars(rng.pick(awkwardScalars))
            if n % 2 == 0 { mutated.replaceSubrange(at...at, with: insert) } else { mutated.insert(contentsOf: insert, at: at) }
            result.append(Mutant(kind: "awkward scalar #\(n) at \(at)", text: string(mutated)))
        }
        // Characters replaced by significant ones: one at a time, then several.
        for n in 0..<(150 * scale) where !chars.isEmpty {
            var mutated = chars
            for _ in 0..<(n % 150 < 100 ? 1 : 2 + rng.int(4)) {
                let at = rng.int(mutated.count)
                mutated.replaceSubrange(at...at, with: scalars(rng.pick(significant)))
            }
            result.append(Mutant(kind: "significant characters #\(n)", text: string(mutated)))
        }
        // Significant characters placed right after a line's key (where values start).
        for n in 0..<(40 * scale) {
            var mutated = lines
            let i = rng.int(lines.count)
            if let colon = mutated[i].firstIndex(of: ":") {
                mutated[i].insert(contentsOf: rng.pick(significant), at: mutated[i].index(after: colon))
            } else {
                mutated[i] += rng.pick(significant)
            }
            result.append(Mutant(kind: "after key on line \(i + 1) #\(n)", text: mutated.joined(separator: "\n")))
        }
        return result
    }

    // MARK: - Checking one input

    static let trace = ProcessInfo.processInfo.environment["MATVIEW_ROBUSTNESS_TRACE"]

    static func traceCase(_ description: String, _ files: [(path: String, text: String)]) {
        guard let trace else { return }
        let body = "\(description)\n" + files.map { "=== \($0.path)\n\($0.text)\n=== end\n" }.joined()
        try? body.write(toFile: trace, atomically: false, encoding: .utf8)
    }

    /// Where a diagnostic may point in a file: a line of it (or the empty line after its last
    /// newline) and a column within that line or just past its end.
    static func isInside(_ location: SourceLocation, of text: String) -> Bool {
        isInside(location, of: SourceText(path: location.file, text: text))
    }

    static func isInside(_ location: SourceLocation, of source: SourceText) -> Bool {
        guard location.line >= 1, location.column >= 1 else { return false }
        guard location.line <= source.lineCount else { return false }
        let length = source.line(location.line).unicodeScalars.count
        return location.column <= length + 1
    }

    /// Line breaks that libyaml counts and SourceText does not (a lone CR, NEL, LS, PS): YAML
    /// marks and our lines disagree after one of them (see the report), so positions in such a
    /// text are only checked to be at least 1:1.
    static func hasForeignLineBreaks(_ text: String) -> Bool {
        let s = scalars(text)
        for (i, c) in s.enumerated() {
            if c == "\u{85}" || c == "\u{2028}" || c == "\u{2029}" { return true }
            if c == "\r" && (i + 1 == s.count || s[i + 1] != "\n") { return true }
        }
        return false
    }

    struct Failure: CustomStringConvertible {
        var kind: String
        var problem: String
        var input: String
        var description: String {
            "\(kind): \(problem)\n--- input (\(input.unicodeScalars.count) scalars) ---\n\(input)\n--- end ---"
        }
    }

    private func report(_ failures: [Failure], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        guard !failures.isEmpty else { return }
        // The first few in full; the count says how many more.
        let shown = failures.prefix(Int(ProcessInfo.processInfo.environment["MATVIEW_ROBUSTNESS_SHOW"] ?? "") ?? 5).map(\.description).joined(separator: "\n\n")
        XCTFail("\(failures.count) \(what) failed; the first ones:\n\(shown)", file: file, line: line)
    }

    // MARK: - Tests

    func testMutatedSpecsNeverCrashAndExplainThemselves() {
        let started = Date()
        var failures: [Failure] = []
        var locationFailures: [Failure] = []
        var compiled = 0
        for (index, name) in Fixtures.seedSpecNames.enumerated() {
            let original = Fixtures.seedSpec(name)
            XCTAssertFalse(original.isEmpty)
            let path = "specs/\(name)"
            for mutant in Self.mutants(of: original, seed: 0x5EED_0000 + UInt64(index), significant: Self.yamlSignificant) {
                let kind = "\(name): \(mutant.kind)"
                Self.traceCase(kind, [(path, mutant.text)])
                let output = Fixtures.compile([(path, mutant.text)])
                compiled += 1
                let errors = Fixtures.errors(output)
                let source = SourceText(path: path, text: mutant.text)
                let checkLines = !Self.hasForeignLineBreaks(mutant.text)
                if output.project.views.isEmpty && errors.isEmpty {
                    failures.append(Failure(kind: kind, problem: "no view came out, and no error says why", input: mutant.text))
                }
                if output.specs.isEmpty && errors.isEmpty {
                    failures.append(Failure(kind: kind, problem: "the spec was not read, and no error says why", input: mutant.text))
                }
                for d in output.diagnostics {
                    if d.location.file != path {
                        failures.append(Failure(kind: kind, problem: "diagnostic in \(d.location.file), not \(path): \(Fixtures.render(d))", input: mutant.text))
                    }
                    if d.location.line < 1 || d.location.column < 1 {
                        failures.append(Failure(kind: kind, problem: "diagnostic at line/column below 1: \(Fixtures.render(d))", input: mutant.text))
                    } else if checkLines && !Self.isInside(d.location, of: source) {
                        locationFailures.append(Failure(kind: kind, problem: "diagnostic past the end of its line or file: \(Fixtures.render(d))", input: mutant.text))
                    }
                }
            }
        }
        report(failures, "mutated specs")
        report(locationFailures, "diagnostic locations")
        XCTAssertGreaterThan(compiled, 1500)
        print("RobustnessTests: \(compiled) mutated specs in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }

    func testGarbageSchemasNeverCrash() {
        let started = Date()
        let spec = Fixtures.seedSpec("dashboard_summary.yaml")
        let specPath = "specs/dashboard_summary.yaml"
        let specSource = SourceText(path: specPath, text: spec)
        var failures: [Failure] = []
        var compiled = 0
        let originals: [(String, String)] = [("specs/schema.sql", Fixtures.seedSchema), ("db/dump.sql", Fixtures.pgDump)]
        for (index, (schemaPath, original)) in originals.enumerated() {
            var mutants = Self.mutants(of: original, seed: 0xD0D0_0000 + UInt64(index), significant: Self.sqlSignificant)
            if schemaPath == "db/dump.sql" {
                // The dump is long: keep every truncation, and a sample of the rest.
                var rng = PRNG(seed: 0xD0D0_FFFF)
                mutants = mutants.filter { $0.kind.hasPrefix("prefix") || rng.int(4) == 0 }
            }
            for mutant in mutants {
                let kind = "\(schemaPath): \(mutant.kind)"
                Self.traceCase(kind, [(schemaPath, mutant.text), (specPath, spec)])
                let source = SourceText(path: schemaPath, text: mutant.text)
                let checkLines = !Self.hasForeignLineBreaks(mutant.text)
                let output = Fixtures.compile([(specPath, spec)], schema: [(schemaPath, mutant.text)])
                compiled += 1
                let schemaDiagnostics = output.diagnostics.filter { $0.location.file == schemaPath }
                for d in output.diagnostics {
                    if d.location.file != schemaPath && d.location.file != specPath {
                        failures.append(Failure(kind: kind, problem: "diagnostic in an unknown file: \(Fixtures.render(d))", input: mutant.text))
                    } else if d.location.line < 1 || d.location.column < 1 || (checkLines && !Self.isInside(d.location, of: d.location.file == schemaPath ? source : specSource)) {
                        failures.append(Failure(kind: kind, problem: "diagnostic outside its file: \(Fixtures.render(d))", input: mutant.text))
                    }
                }
                // A truncated statement must be reported. (Other mutants may silently lose text: the
                // reader skips what follows a CREATE TABLE's ')' up to ';', see the report.)
                let truncated = mutant.kind.hasPrefix("prefix") || mutant.kind.hasPrefix("first")
                if truncated && Self.looksUnfinished(mutant.text) && schemaDiagnostics.isEmpty {
                    failures.append(Failure(kind: kind, problem: "an unclosed '(' or quote was not reported", input: mutant.text))
                }
                if output.project.views.isEmpty && Fixtures.errors(output).isEmpty {
                    failures.append(Failure(kind: kind, problem: "no view came out, and no error says why", input: mutant.text))
                }
            }
        }
        report(failures, "garbage schemas")
        XCTAssertGreaterThan(compiled, 500)
        print("RobustnessTests: \(compiled) garbage schemas in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }

    /// Whether SQL text (outside `--` comments) leaves a '(' or a single quote open: such text is
    /// certainly broken, so the reader must say something.
    static func looksUnfinished(_ text: String) -> Bool {
        var depth = 0
        var inQuote = false
        var inComment = false
        var inBlockComment = false
        var inDollar = false
        let s = scalars(text)
        var i = 0
        while i < s.count {
            let c = s[i], next: Unicode.Scalar? = i + 1 < s.count ? s[i + 1] : nil
            if inComment { if c == "\n" { inComment = false }; i += 1; continue }
            if inBlockComment { if c == "*" && next == "/" { inBlockComment = false; i += 1 }; i += 1; continue }
            if inDollar { if c == "$" && next == "$" { inDollar = false; i += 1 }; i += 1; continue }
            if inQuote { if c == "'" { inQuote = false }; i += 1; continue }
            switch c {
            case "-" where next == "-": inComment = true; i += 1
            case "/" where next == "*": inBlockComment = true; i += 1
            case "$" where next == "$": inDollar = true; i += 1
            case "$", "\"", "\\": return false // tags, quoted names, escapes: not worth modelling here
            case "'": inQuote = true
            case "(": depth += 1
            case ")": depth -= 1
            default: break
            }
            i += 1
        }
        return inQuote || depth > 0
    }

    /// Deeply nested or long chained expressions. The parser and the checker recurse once per
    /// nesting level and once crashed (stack overflow) at about 700 levels; the parser now refuses
    /// more than Parser.maximumDepth levels with a diagnostic. Both sides of that limit are tried.
    func testDeeplyNestedExpressions() {
        for factor in [1, 20] {
            deeplyNested(factor: factor)
        }
    }

    private func deeplyNested(factor: Int) {
        let cases: [(String, String)] = [
            ("parentheses", String(repeating: "(", count: 250 * factor) + "u.id" + String(repeating: ")", count: 250 * factor)),
            ("not", String(repeating: "not ", count: 250 * factor) + "true"),
            ("plus", Array(repeating: "u.id", count: 250 * factor).joined(separator: " + ")),
            ("or", Array(repeating: "u.id = 1", count: 250 * factor).joined(separator: " or ")),
            ("concat", Array(repeating: "u.name", count: 250 * factor).joined(separator: " || ")),
            ("coalesce", String(repeating: "coalesce(", count: 100 * factor) + "u.last_login" + String(repeating: ", u.created_at)", count: 100 * factor)),
            ("case", "case " + String(repeating: "when u.id = 1 then 1 ", count: 250 * factor) + "end"),
        ]
        for (name, expr) in cases {
            let text = "view: v\nfrom: users u\nselect:\n  a: \(expr)\nrefresh:\n  schedule: \"0 * * * *\"\n"
            Self.traceCase("deep \(name)", [("specs/v.yaml", text)])
            let output = Fixtures.compile(text)
            XCTAssertTrue(!output.project.views.isEmpty || !Fixtures.errors(output).isEmpty, name)
            XCTAssertTrue(output.diagnostics.allSatisfy { $0.location.file == "specs/v.yaml" && $0.location.line >= 1 && $0.location.column >= 1 }, name)
        }
    }

    func testLineEndings() {
        let lines = ["view: v", "from: users u", "select:", "  a: u.nope", "  b: u.id +"]
        for separator in ["\n", "\r\n"] {
            let output = Fixtures.compile(lines.joined(separator: separator) + separator)
            XCTAssertEqual(output.diagnostics.map { "\($0.location) \($0.rule.rawValue)" },
                           ["specs/v.yaml:4:8 unknown-column", "specs/v.yaml:5:12 expression-syntax"], separator.debugDescription)
        }
        // libyaml also breaks lines at a lone CR, NEL (U+0085), LS (U+2028) and PS (U+2029).
        for separator in ["\r", "\u{85}", "\u{2028}", "\u{2029}"] {
            let output = Fixtures.compile(lines.joined(separator: separator) + separator)
            XCTAssertEqual(Set(output.diagnostics.map(\.rule)), [.unknownColumn, .expressionSyntax], separator.debugDescription)
            XCTAssertTrue(output.diagnostics.allSatisfy { $0.location.line >= 1 && $0.location.column >= 1 })
            XCTAssertEqual(output.diagnostics.map { "\($0.location)" }, ["specs/v.yaml:4:8", "specs/v.yaml:5:12"], separator.debugDescription)
        }
    }

    func testYAMLErrorAtTheEndOfTheFile() {
        for text in ["view: v\nfrom: users u\nselect", "view: v\nfrom: users u\nselect\n"] {
            let output = Fixtures.compile(text)
            XCTAssertEqual(output.diagnostics.map(\.rule), [.yamlSyntax])
            XCTAssertEqual(output.diagnostics.first?.location.file, "specs/v.yaml")
            // libyaml's mark is on the line after the last one; we point at the end of the text.
            XCTAssertEqual(output.diagnostics.first.map { "\($0.location)" }, "specs/v.yaml:3:7")
        }
    }

    /// A few hand-picked inputs that once were (or easily could be) hard on a reader.
    func testHandPickedNastyInputs() {
        let specs: [String] = [
            "", " ", "\n", "\u{FEFF}", "---", "...", "~", "null", "[]", "{}", "- a\n- b", "view:", "view: v\nfrom:\nselect:",
            "view: v\nfrom: users u\nselect: {}", "view: v\nfrom: users u\nselect: []", "view: v\nfrom: users u\nselect:\n  x:",
            "view: v\nfrom: users u\nselect:\n  x: u.id\n  x: u.name", "view: &a v\nfrom: *a\nselect: *a", "view: v\nfrom: users u\nselect: &s {x: u.id}\nwith: *s",
            "view: v\nfrom: {as: x}\nselect:\n  a: 1", "view: v\nfrom: {as: x, query: {from: {as: y, query: {from: users u, select: {id: u.id}}}, select: {id: y.id}}}\nselect:\n  a: x.id",
            "view: v\nfrom: users u\nselect:\n  a: \"\\u0000\"", "view: v\nfrom: users u\nselect:\n  a: '",
            "view: v\nfrom: users u\nselect:\n  a: (((((((((((((((((((((((((((((((1)))))))))))))))))))))))))))))))",
            "view: v\nfrom: users u\nselect:\n  a: " + String(repeating: "(", count: 200),
            "view: v\nfrom: users u\nselect:\n  a: " + String(repeating: "-", count: 500) + "1",
            "view: v\nfrom: users u\nselect:\n  a: " + String(repeating: "not ", count: 300) + "true",
            "view: v\nfrom: users u\nselect:\n  a: " + Array(repeating: "1", count: 400).joined(separator: " + "),
            "view: v\nfrom: users u\nselect:\n  a: |\n    case when\n  b: >\n    u.id ::",
            "view: v\nfrom: users u\nselect:\n  a: \"u.\\\"name\\\"\"", "view: v\nfrom: users u\nselect:\n  \"\": u.id",
            "view: v\nfrom: users u\ngroup_by: [0, 99, -1, 1.5]\nselect:\n  a: u.id",
            "view: v\nfrom: generate_series() as g\nselect:\n  a: 1", "view: v\nfrom: generate_series(1, 2) as g(a, b, c)\nselect:\n  a: g.a",
            "view: v\nfrom: users as\nselect:\n  a: 1", "view: v\nfrom: users u (a, b, c, d, e, f, g, h)\nselect:\n  a: 1",
            "view: v\nfrom: users u\njoin:\n  - left: users u\n    on: u.id = u.id\nselect:\n  a: u.id",
            "view: v\nfrom: users u\njoin: [[], {}, 1, null, {left: null}, {cross: users x, on: 'true'}]\nselect:\n  a: 1",
            "view: v\nfrom: users u\nindexes: [{columns: []}, {columns: [a desc nulls]}, {}, 7]\nselect:\n  a: 1",
            "view: v\nfrom: users u\nrefresh: {schedule: '', concurrently: maybe, on_change: 3, max_staleness: -1m}\nselect:\n  a: 1",
            "view: v\nfrom: users u\nselect:\n  a: count(*) filter (where count(*) > 1) over ()",
            "view: v\nfrom: users u\nselect:\n  a: extract(from u.created_at)", "view: v\nfrom: users u\nselect:\n  a: $1 + $99999999999999999999",
            "view: v\nfrom: users u\nselect:\n  a: 99999999999999999999999999999999999999999 + 1e999999",
            "view: v\nfrom: users u\nselect:\n  a: u.id::numeric(99999999999999999999)",
            "view: v\nfrom: users u\nselect:\n  a: array[1,2][1]", "view: v\nfrom: users u\nselect:\n  a: u.*",
            "view: \(String(repeating: "v", count: 300))\nfrom: users u\nselect:\n  \(String(repeating: "c", count: 300)): 1",
        ]
        var failures: [Failure] = []
        for (n, text) in specs.enumerated() {
            let path = "specs/nasty\(n).yaml"
            Self.traceCase("nasty spec #\(n)", [(path, text)])
            let output = Fixtures.compile([(path, text)])
            if output.project.views.isEmpty && Fixtures.errors(output).isEmpty {
                failures.append(Failure(kind: "nasty spec #\(n)", problem: "no view came out, and no error says why", input: text))
            }
            for d in output.diagnostics where d.location.file != path || !Self.isInside(d.location, of: text) {
                failures.append(Failure(kind: "nasty spec #\(n)", problem: "diagnostic outside the file: \(Fixtures.render(d))", input: text))
            }
        }
        let schemas: [String] = [
            "CREATE", "CREATE TABLE", "CREATE TABLE t", "CREATE TABLE t (", "CREATE TABLE t (a", "CREATE TABLE t (a int,", "CREATE TABLE t ()",
            "CREATE TABLE t (a int) ; ; ;", "ALTER TABLE", "ALTER TABLE t ADD", "ALTER TABLE t ADD CONSTRAINT", "ALTER TABLE t ADD PRIMARY KEY",
            "CREATE UNIQUE INDEX ON t ()", "CREATE INDEX ON t (a", "CREATE TABLE t (a numeric(", "CREATE TABLE t (a int[", "CREATE TABLE t (a int REFERENCES)",
            "CREATE TABLE t (a int DEFAULT", "CREATE TABLE t (a int CHECK (((", "$$", "$a$", "'", "\"", "/*", "E'\\", "CREATE TABLE \"\" (a int);",
            "CREATE TABLE t (a int, a int, PRIMARY KEY (a, a, b));", "CREATE TABLE t (a int PRIMARY KEY PRIMARY KEY UNIQUE UNIQUE);",
            String(repeating: "CREATE TABLE t (a int);\n", count: 3), String(repeating: "(", count: 1000), String(repeating: ";", count: 1000),
            "CREATE TABLE t (a \u{0} int);", "CREATE TABLE t (a int)\u{FEFF};", "CREATE TABLE 😀 (é int PRIMARY KEY);",
        ]
        for (n, text) in schemas.enumerated() {
            let path = "specs/nasty\(n).sql"
            Self.traceCase("nasty schema #\(n)", [(path, text)])
            let (_, diagnostics) = DDLReader.read(path: path, text: text)
            let output = Fixtures.compile([("specs/v.yaml", "view: v\nfrom: t\nselect:\n  a: 1\n")], schema: [(path, text)])
            for d in diagnostics + output.diagnostics where d.location.file == path && !Self.isInside(d.location, of: text) {
                failures.append(Failure(kind: "nasty schema #\(n)", problem: "diagnostic outside the file: \(Fixtures.render(d))", input: text))
            }
        }
        report(failures, "nasty inputs")
    }
}

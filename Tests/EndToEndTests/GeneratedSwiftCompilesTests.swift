import Foundation
import MatviewTestSupport
import XCTest

/// The `expected-swift/` of every end-to-end case is Swift that compiles: names from hostile
/// specs (quotes, `$$`, accents, CJK, keywords such as `self`) become valid identifiers, and
/// descriptions stay inside their comments. `swiftc -parse` always runs (it needs nothing but
/// the compiler); when this package's debug build is there (`.build/debug/Modules`), each case
/// is also type-checked against the real MatviewRuntime and PostgresNIO modules.
final class GeneratedSwiftCompilesTests: XCTestCase {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Case name -> its expected Swift files.
    static func swiftFilesByCase() -> [(name: String, files: [String])] {
        EndToEndCase.folderNames.compactMap { name in
            let folder = EndToEndCase.casesDirectory.appendingPathComponent(name).appendingPathComponent("expected-swift")
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
                .filter { $0.hasSuffix(".swift") }.sorted().map { folder.appendingPathComponent($0).path }
            return files.isEmpty ? nil : (name, files)
        }
    }

    func testExpectedSwiftParses() throws {
        let cases = Self.swiftFilesByCase()
        XCTAssertTrue(cases.contains { $0.name == "generate-hostile-names" }, "the hostile-names case has no expected-swift")
        for (name, files) in cases {
            let output = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), ["swiftc", "-parse"] + files)
            XCTAssertEqual(output.status, 0, "case \(name): swiftc -parse failed\n\(output.stderr)")
        }
    }

    func testExpectedSwiftTypeChecksAgainstTheRuntime() throws {
        let debug = Self.repositoryRoot.appendingPathComponent(".build/debug")
        let modules = debug.appendingPathComponent("Modules")
        guard FileManager.default.fileExists(atPath: modules.appendingPathComponent("MatviewRuntime.swiftmodule").path) else {
            throw XCTSkip("no debug build of MatviewRuntime at \(modules.path)")
        }
        let arguments = ["swiftc", "-typecheck", "-I", modules.path] + Self.moduleMaps(debug: debug).flatMap { ["-Xcc", "-fmodule-map-file=\($0)"] }
        for (name, files) in Self.swiftFilesByCase() {
            let output = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), arguments + files)
            XCTAssertEqual(output.status, 0, "case \(name): swiftc -typecheck failed\n\(output.stderr)")
        }
    }

    /// The C modules PostgresNIO's dependencies import (NIO's shims, swift-atomics'...): the
    /// module maps SwiftPM wrote for the build and those in the checked-out packages.
    static func moduleMaps(debug: URL) -> [String] {
        var maps: [String] = []
        let build = debug.resolvingSymlinksInPath()
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: build.path)) ?? [] where entry.hasSuffix(".build") && !entry.hasSuffix("-tool.build") {
            for candidate in ["module.modulemap", "include/module.modulemap"] {
                let path = build.appendingPathComponent(entry).appendingPathComponent(candidate).path
                if FileManager.default.fileExists(atPath: path) { maps.append(path) }
            }
        }
        let checkouts = repositoryRoot.appendingPathComponent(".build/checkouts")
        if let walker = FileManager.default.enumerator(atPath: checkouts.path) {
            for case let path as String in walker where path.hasSuffix("/module.modulemap") && !path.contains("Benchmarks") && !path.contains("Tests") {
                maps.append(checkouts.appendingPathComponent(path).path)
            }
        }
        return maps.sorted()
    }
}

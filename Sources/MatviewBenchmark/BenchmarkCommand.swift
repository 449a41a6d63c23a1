import ArgumentParser
import Foundation
import MatviewDriver

/// `matview-bench`: times the whole front end (read DDL, read YAML, parse expressions, check)
/// over synthetic projects of several sizes, side by side in one run, and prints the per-view
/// cost so linear growth is visible. Run it in release: `swift run -c release matview-bench`.
@main
struct BenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matview-bench",
        abstract: "Time `matview check` over N synthetic views (front end only, in memory)."
    )

    @Option(name: .long, parsing: .upToNextOption, help: "View counts to measure.")
    var views: [Int] = [1_000, 10_000]

    @Option(help: "Runs per size; the median is reported.")
    var runs = 3

    func run() throws {
        print("views      median      per view    diagnostics")
        var baseline: Double?
        for count in views {
            let project = SyntheticProject(views: count)
            var times: [Double] = []
            var diagnostics = 0
            for _ in 0..<max(1, runs) {
                let start = ContinuousClock.now
                let output = Compiler().compile(specFiles: project.specs, schemaFiles: [project.schema])
                let elapsed = ContinuousClock.now - start
                times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
                diagnostics = output.diagnostics.count
                precondition(output.project.views.count == count, "synthetic views failed to check: \(output.diagnostics.prefix(3))")
            }
            let median = times.sorted()[times.count / 2]
            let perView = median / Double(count)
            let ratio = baseline.map { String(format: "  (%.2fx the first size per view)", perView / $0) } ?? ""
            if baseline == nil { baseline = perView }
            print(String(format: "%-8d %8.3f s  %8.1f µs    %d%@", count, median, perView * 1e6, diagnostics, ratio))
        }
    }
}

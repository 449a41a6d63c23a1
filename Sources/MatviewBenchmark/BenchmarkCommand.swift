import ArgumentParser
import Foundation
import MatviewDriver

/// `matview-bench`: times the compiler's commands over synthetic projects of several sizes, side
/// by side in one run, and prints the median wall and CPU time, the per-view cost (so linear
/// growth is visible) and each command's peak memory. Run it in release: `swift run -c release matview-bench`.
///
/// - `check`: the front end in memory (read DDL, read YAML, parse expressions, check).
/// - `generate, in memory`: what the command does from a project on disk, short of writing: load,
///   check, and generate the SQL and Swift files' contents.
/// - `generate, writing`: the same, then writing every file into an empty output folder (a
///   temporary directory), as the first `generate` of a project does.
/// - `generate --check`: the same project with one view's description changed on disk since
///   `generate`: load, check, generate and diff against the written files.
@main
struct BenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matview-bench",
        abstract: "Time `matview check`, `generate` and `generate --check` over N synthetic views."
    )

    @Option(name: .long, parsing: .upToNextOption, help: "View counts to measure.")
    var views: [Int] = [1_000, 10_000]

    @Option(help: "Runs per size; the median is reported.")
    var runs = 3

    func run() throws {
        let perPhasePeak = PeakMemory.reset()
        print("views    command                median   median CPU     per view   peak memory\(perPhasePeak ? "" : " (whole run)")")
        var baseline: [String: Double] = [:]
        for count in views {
            let project = SyntheticProject(views: count)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("matview-bench-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            try project.write(to: directory)

            let check = try measure {
                let output = Compiler().compile(specFiles: project.specs, schemaFiles: [project.schema])
                precondition(output.project.views.count == count, "synthetic views failed to check: \(output.diagnostics.prefix(3))")
            }
            let generateInMemory = try measure {
                let generation = try Self.generation(root: directory)
                precondition(generation.outputs.reduce(0) { $0 + $1.files.count } >= count, "generate made too few files")
            }
            let generated = directory.appendingPathComponent("generated")
            let generate = try measure(after: { try? FileManager.default.removeItem(at: generated) }) {
                let written = try Self.generation(root: directory).write()
                precondition(written.count >= count, "generate wrote \(written.count) files for \(count) views")
            }
            try project.changeOneDescription(in: directory)
            let generateCheck = try measure {
                let diff = try Self.generation(root: directory).diff()
                precondition(diff.contains("Synthetic view 0, changed"), "generate --check found no change:\n\(diff.prefix(2_000))")
            }
            for (name, result) in [("check", check), ("generate, in memory", generateInMemory), ("generate, writing", generate),
                                   ("generate --check", generateCheck)] {
                let perView = result.median / Double(count)
                let ratio = baseline[name].map { String(format: "  (%.2fx the first size per view)", perView / $0) } ?? ""
                if baseline[name] == nil { baseline[name] = perView }
                let command = name.padding(toLength: 20, withPad: " ", startingAt: 0)
                print(String(format: "%-8d ", count) + command
                    + String(format: " %8.3f s  %8.3f s  %8.1f µs  %8.0f MB", result.median, result.medianCPU, perView * 1e6,
                             Double(result.peakBytes) / 1_048_576) + ratio)
            }
        }
    }

    /// The `generate` pipeline for a project on disk, as the command runs it.
    static func generation(root: URL) throws -> Generation {
        let project = Project.load(root: root)
        let compiled = Compiler().compile(project)
        guard !compiled.hasErrors else {
            throw ValidationError("the synthetic project has errors: \(DiagnosticRenderer.text(Array(compiled.diagnostics.prefix(3))))")
        }
        return Generation(project: project, compiled: compiled)
    }

    struct Measurement {
        /// Wall time.
        var median: Double
        var medianCPU: Double
        var peakBytes: Int
    }

    /// The median time of `runs` runs, and the peak memory over them; `after` runs untimed between
    /// runs (to undo what a run did), so the last run's effects remain.
    func measure(after: () throws -> Void = {}, _ body: () throws -> Void) throws -> Measurement {
        PeakMemory.reset()
        var times: [Double] = [], cpuTimes: [Double] = []
        for run in 0..<max(1, runs) {
            if run > 0 { try after() }
            let start = ContinuousClock.now, cpuStart = CPUTime.seconds()
            try body()
            let elapsed = ContinuousClock.now - start
            cpuTimes.append(CPUTime.seconds() - cpuStart)
            times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        return Measurement(median: times.sorted()[times.count / 2], medianCPU: cpuTimes.sorted()[cpuTimes.count / 2],
                           peakBytes: PeakMemory.bytes())
    }
}

import Foundation
import XCTest

/// Prometheus text exposition, read by a real Prometheus parser rather than one of ours:
/// scripts/parse-prometheus.py, with PyPI's prometheus_client (installed by
/// scripts/install-test-tools.sh into .build/test-tools/python). What it rejects, the tests
/// reject. Tests skip when Python or prometheus_client is missing, except under CI, where that
/// is a failure.
public enum PrometheusText {
    public struct Sample: Sendable {
        public var name: String
        public var labels: [String: String]
        public var value: Double
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }


    /// Every metric family (name → type: `counter`, `gauge`, `histogram`...; prometheus_client
    /// names a counter's family without its `_total`) and every sample, in order.
    public static func parse(_ text: String) throws -> (families: [String: String], samples: [Sample]) {
        let python = try pythonWithPrometheusClient()
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("matview-metrics-\(UUID().uuidString).txt")
        try Data(text.utf8).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let output = try ChildProcess.run(python, [TestTools.repositoryRoot.appendingPathComponent("scripts/parse-prometheus.py").path, input.path])
        guard output.status == 0 else {
            throw Failure(description: "prometheus_client rejects the exposition: \(output.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        struct Parsed: Decodable {
            struct ParsedSample: Decodable {
                var name: String
                var labels: [String: String]
                var value: Value
            }
            /// A number, or NaN / +Inf / -Inf, which JSON has no numbers for.
            enum Value: Decodable {
                case number(Double), special(String)
                init(from decoder: Decoder) throws {
                    let container = try decoder.singleValueContainer()
                    if let number = try? container.decode(Double.self) { self = .number(number) } else { self = .special(try container.decode(String.self)) }
                }
                var double: Double {
                    switch self {
                    case .number(let value): value
                    case .special("+Inf"): .infinity
                    case .special("-Inf"): -.infinity
                    case .special: .nan
                    }
                }
            }
            var families: [String: String]
            var samples: [ParsedSample]
        }
        let parsed = try JSONDecoder().decode(Parsed.self, from: Data(output.stdout.utf8))
        return (parsed.families, parsed.samples.map { Sample(name: $0.name, labels: $0.labels, value: $0.value.double) })
    }

    /// The Python that has prometheus_client: the test tools' virtual environment, else python3 on
    /// PATH (where someone installed it otherwise). Found once per test run.
    public static func pythonWithPrometheusClient() throws -> URL {
        guard let python = located else {
            throw TestTools.missing("python3 with prometheus_client was not found (looked in \(TestTools.virtualEnvironment.path)/bin and on PATH)")
        }
        return python
    }

    private static let located: URL? = TestTools.locate("python3") { candidate in
        (try? ChildProcess.run(candidate, ["-c", "import prometheus_client"]))?.status == 0
    }
}

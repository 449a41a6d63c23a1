import Foundation

/// Where `matview dev` finds PostgreSQL 15 and pg_cron, installing Debian's packages when they
/// are missing, as scripts/install-postgres.sh does for the tests (keep the two alike).
///
/// `PG_BIN` names another PostgreSQL 15's bin folder (as it does for scripts/pg-cluster.sh); then
/// nothing is installed, and a pg_cron missing there shows when the server refuses to start.
public struct PostgresInstallation: Sendable {
    public struct Missing: Error, CustomStringConvertible {
        public var description: String
    }

    static let debianBin = "/usr/lib/postgresql/15/bin"
    static let debianLib = "/usr/lib/postgresql/15/lib"

    /// The folder of initdb, pg_ctl, postgres and psql.
    public let bin: String

    func program(_ name: String) -> String { "\(bin)/\(name)" }

    /// Finds the binaries; installs the missing Debian packages when running as root, and
    /// otherwise fails with the command that installs them.
    public static func locate(progress: @Sendable (String) -> Void) async throws -> PostgresInstallation {
        if let bin = ProcessInfo.processInfo.environment["PG_BIN"], !bin.isEmpty {
            let installation = PostgresInstallation(bin: bin)
            for name in ["initdb", "pg_ctl", "postgres", "psql"] where !FileManager.default.isExecutableFile(atPath: installation.program(name)) {
                throw Missing(description: "PG_BIN is \(bin), which has no \(name)")
            }
            return installation
        }
        let packages = missingDebianPackages()
        if !packages.isEmpty { try await installDebianPackages(packages, progress: progress) }
        return PostgresInstallation(bin: debianBin)
    }

    /// The same checks as scripts/install-postgres.sh, but for psql: this is the one we run.
    static func missingDebianPackages() -> [String] {
        let fileManager = FileManager.default
        var packages: [String] = []
        if !fileManager.isExecutableFile(atPath: "\(debianBin)/postgres") { packages.append("postgresql-15") }
        if !fileManager.fileExists(atPath: "\(debianLib)/pg_cron.so") { packages.append("postgresql-15-cron") }
        if !fileManager.isExecutableFile(atPath: "\(debianBin)/psql") { packages.append("postgresql-client-15") }
        return packages
    }

    static func installDebianPackages(_ packages: [String], progress: @Sendable (String) -> Void) async throws {
        let aptGet = "/usr/bin/apt-get"
        let command = "apt-get install -y --no-install-recommends \(packages.joined(separator: " "))"
        guard FileManager.default.isExecutableFile(atPath: aptGet) else {
            throw Missing(description: "PostgreSQL 15 with pg_cron is not installed in \(debianBin), and this system has no apt-get to install Debian's \(packages.joined(separator: " ")); install them, or set PG_BIN to the bin folder of a PostgreSQL 15 that has pg_cron")
        }
        guard geteuid() == 0 else {
            throw Missing(description: "PostgreSQL 15 with pg_cron is not installed; install it with: sudo apt-get update && sudo \(command)")
        }
        progress("installing \(packages.joined(separator: " ")) from Debian's packages")
        // Debian would create and start a default cluster on install; only the binaries are wanted.
        let settings = URL(fileURLWithPath: "/etc/postgresql-common/createcluster.conf")
        try FileManager.default.createDirectory(at: settings.deletingLastPathComponent(), withIntermediateDirectories: true)
        let current = (try? String(contentsOf: settings, encoding: .utf8)) ?? ""
        let noMainCluster = current.split(separator: "\n").contains { line in
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            return parts.count == 2 && parts[0] == "create_main_cluster" && parts[1].hasPrefix("false")
        }
        if !noMainCluster {
            let separator = current.isEmpty || current.hasSuffix("\n") ? "" : "\n"
            try (current + separator + "create_main_cluster = false\n").write(to: settings, atomically: true, encoding: .utf8)
        }
        var environment = ProcessInfo.processInfo.environment
        environment["DEBIAN_FRONTEND"] = "noninteractive"
        // apt's messages go to our standard error; standard output stays for the URL.
        for arguments in [["update", "-qq"], ["install", "-y", "-qq", "--no-install-recommends"] + packages] {
            let status = try await ChildProgram.run(aptGet, arguments, standardError: .standardError, environment: environment)
            guard status == 0 else {
                throw Missing(description: "apt-get \(arguments[0]) failed (exit \(status)); install the packages yourself: \(command)")
            }
        }
        let stillMissing = missingDebianPackages()
        guard stillMissing.isEmpty else {
            throw Missing(description: "apt-get did not install \(stillMissing.joined(separator: " "))")
        }
    }
}

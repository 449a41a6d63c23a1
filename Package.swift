// swift-tools-version:6.1
import PackageDescription

// The compiler's stages are separate modules so data can only flow one way:
// MatviewSyntax (YAML specs, SQL expressions, DDL) -> MatviewSema (catalog, checker, IR)
// -> MatviewLowering (what the back ends share) -> MatviewSQL and MatviewSwift (the back ends) -> MatviewDriver (project loading, pipeline,
// diagnostics and file output) -> the `matview` CLI. MatviewRuntime is what generated Swift
// imports; it does not depend on the compiler.
let package = Package(
    name: "matview",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "matview", targets: ["matview"]),
        .executable(name: "matview-codegen", targets: ["matview-codegen"]),
        .executable(name: "matview-bench", targets: ["MatviewBenchmark"]),
        .library(name: "MatviewDriver", targets: ["MatviewDriver"]),
        .library(name: "MatviewRuntime", targets: ["MatviewRuntime"]),
        .plugin(name: "MatviewSwiftPlugin", targets: ["MatviewSwiftPlugin"]),
        .plugin(name: "MatviewGenerateCommand", targets: ["MatviewGenerateCommand"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.65.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.27.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
    ],
    targets: [
        // Quoting names and strings for SQL: shared by the compiler and the runtime, depends on nothing.
        .target(name: "MatviewQuoting"),
        .target(
            name: "MatviewSyntax",
            dependencies: ["MatviewQuoting", .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "MatviewSema",
            dependencies: ["MatviewQuoting", "MatviewSyntax"]
        ),
        // What the back ends share, derived once from the checked IR: each view's rendered query,
        // relation kind and object names, and the support schema's names.
        .target(
            name: "MatviewLowering",
            dependencies: ["MatviewQuoting", "MatviewSyntax", "MatviewSema"]
        ),
        .target(
            name: "MatviewSQL",
            dependencies: ["MatviewSyntax", "MatviewSema", "MatviewLowering"]
        ),
        .target(
            name: "MatviewSwift",
            dependencies: ["MatviewQuoting", "MatviewSyntax", "MatviewSema", "MatviewLowering"]
        ),
        .target(
            name: "MatviewDriver",
            dependencies: ["MatviewQuoting", "MatviewSyntax", "MatviewSema", "MatviewLowering", "MatviewSQL", "MatviewSwift", .product(name: "Yams", package: "Yams")]
        ),
        // The live database commands: apply, rollback, verify, bench, status, introspect, worker.
        .target(
            name: "MatviewLive",
            dependencies: [
                "MatviewSyntax", "MatviewSema", "MatviewLowering", "MatviewSQL", "MatviewRuntime",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // `matview serve`: the monitoring pages, /metrics and /healthz, over HTTP. Reads the
        // support schema through MatviewLive; renders pages and SVG itself (no outside assets).
        .target(
            name: "MatviewServer",
            dependencies: [
                "MatviewLive", "MatviewSema",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // What generated Swift imports: timed, logged reads with a fallback to the defining query,
        // reported through swift-metrics to whatever backend the application bootstraps.
        .target(
            name: "MatviewRuntime",
            dependencies: [
                "MatviewQuoting",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // The Swift that `matview generate` writes for this repository's specs/, compiled here
        // so that a change to the Swift back end that breaks it fails the build.
        .target(
            name: "SeedViews",
            dependencies: ["MatviewRuntime", .product(name: "PostgresNIO", package: "postgres-nio")],
            path: "generated/swift"
        ),
        // Examples/DashboardApp's sources, built here through the build-tool plugin exactly as an
        // application uses it. CI compiles the example this way, inside this package's build,
        // instead of building postgres-nio and BoringSSL a third time for a package of its own;
        // Examples/DashboardApp/Package.swift remains the manifest to copy (CI resolves it).
        .executableTarget(
            name: "DashboardAppExample",
            dependencies: [
                "MatviewRuntime",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Examples/DashboardApp/Sources/DashboardApp",
            plugins: ["MatviewSwiftPlugin"]
        ),
        .plugin(
            name: "MatviewSwiftPlugin",
            capability: .buildTool(),
            dependencies: ["matview-codegen"]
        ),
        .plugin(
            name: "MatviewGenerateCommand",
            capability: .command(
                intent: .custom(verb: "matview-generate", description: "Check the specs and regenerate generated/ (SQL and Swift)."),
                permissions: [.writeToPackageDirectory(reason: "matview writes the generated SQL and Swift into generated/")]
            ),
            dependencies: ["matview-codegen"]
        ),
        // The compiler's commands (check, generate, generate-swift), shared by both executables.
        .target(
            name: "MatviewCommandLine",
            dependencies: [
                "MatviewDriver", "MatviewSyntax",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The generator alone, for the plugins: no postgres-nio, SwiftNIO or BoringSSL to build.
        .executableTarget(
            name: "matview-codegen",
            dependencies: ["MatviewCommandLine"]
        ),
        .executableTarget(
            name: "matview",
            dependencies: [
                "MatviewCommandLine", "MatviewDriver", "MatviewLive", "MatviewLowering", "MatviewSQL", "MatviewServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "MatviewBenchmark",
            dependencies: [
                "MatviewDriver",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Helpers the test targets share: the test server through psql, the built CLI.
        .target(
            name: "MatviewTestSupport",
            path: "Tests/Support"
        ),
        .testTarget(
            name: "MatviewSyntaxTests",
            dependencies: ["MatviewQuoting", "MatviewSyntax"]
        ),
        .testTarget(
            name: "MatviewSemaTests",
            dependencies: ["MatviewSyntax", "MatviewSema", "MatviewDriver"]
        ),
        .testTarget(
            name: "MatviewSQLTests",
            dependencies: ["MatviewLowering", "MatviewSQL", "MatviewDriver"]
        ),
        .testTarget(
            name: "MatviewDriverTests",
            dependencies: ["MatviewDriver"]
        ),
        // URL parsing and configuration; the metrics of reads, against a live database.
        .testTarget(
            name: "MatviewRuntimeTests",
            dependencies: ["MatviewRuntime", "MatviewTestSupport", .product(name: "MetricsTestKit", package: "swift-metrics"),
                           .product(name: "PostgresNIO", package: "postgres-nio")]
        ),
        // The dashboard's pages, charts and metrics, rendered from snapshots (no server, no database).
        .testTarget(
            name: "MatviewServerTests",
            dependencies: ["MatviewServer", "MatviewLive"]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "MatviewDriver", "MatviewSema", "MatviewLowering", "MatviewSQL", "MatviewRuntime", "SeedViews", "MatviewTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["MatviewDriver", "MatviewLowering", "MatviewSQL", "MatviewTestSupport"],
            exclude: ["Cases", "CommandCases", "Expected", "Schemas"]
        ),
    ]
)

// swift-tools-version:6.1
import PackageDescription

// An application that reads a materialized view through row types the matview build-tool
// plugin generates at build time from the specs in Sources/DashboardApp/specs/.
let package = Package(
    name: "DashboardApp",
    platforms: [.macOS(.v13)],
    dependencies: [
        // In your own package: .package(url: "<matview's repository>", from: "...").
        .package(name: "matview", path: "../.."),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
    ],
    targets: [
        .executableTarget(
            name: "DashboardApp",
            dependencies: [
                .product(name: "MatviewRuntime", package: "matview"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            plugins: [.plugin(name: "MatviewSwiftPlugin", package: "matview")]
        ),
    ]
)

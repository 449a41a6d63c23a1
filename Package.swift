// swift-tools-version:6.0
import PackageDescription

// The compiler's stages are separate modules so data can only flow one way:
// MatviewSyntax (YAML specs, SQL expressions, DDL) -> MatviewSema (catalog, checker, IR)
// -> MatviewSQL (the PostgreSQL back end) -> MatviewDriver (project loading, pipeline,
// diagnostics and file output) -> the `matview` CLI.
let package = Package(
    name: "matview",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "matview", targets: ["matview"]),
        .executable(name: "matview-bench", targets: ["MatviewBenchmark"]),
        .library(name: "MatviewDriver", targets: ["MatviewDriver"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(
            name: "MatviewSyntax",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "MatviewSema",
            dependencies: ["MatviewSyntax"]
        ),
        .target(
            name: "MatviewSQL",
            dependencies: ["MatviewSyntax", "MatviewSema"]
        ),
        .target(
            name: "MatviewDriver",
            dependencies: ["MatviewSyntax", "MatviewSema", "MatviewSQL", .product(name: "Yams", package: "Yams")]
        ),
        .executableTarget(
            name: "matview",
            dependencies: [
                "MatviewDriver",
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
        .testTarget(
            name: "MatviewSyntaxTests",
            dependencies: ["MatviewSyntax"]
        ),
        .testTarget(
            name: "MatviewSemaTests",
            dependencies: ["MatviewSyntax", "MatviewSema", "MatviewDriver"]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["MatviewDriver", "MatviewSema", "MatviewSQL"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["MatviewDriver", "MatviewSQL"],
            exclude: ["Cases"]
        ),
    ]
)

// swift-tools-version: 6.0
// The module graph follows the pipeline; an arrow (dependency) only ever points to an
// earlier stage. See DESIGN.md in the repository root for the reasons behind each cut.
import PackageDescription

let package = Package(
  name: "scn",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "scn", targets: ["scn"]),
    .library(name: "ScnDriver", targets: ["ScnDriver"]),
    // The compiler front end alone, for the fuzzers in Fuzz/ (built with sanitizers).
    .library(name: "ScnFrontEnd", targets: ["ScnSource", "ScnSyntax", "ScnFormat"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
  ],
  targets: [
    // Front end.
    .target(name: "ScnSource"),
    .target(name: "ScnUnits", dependencies: ["ScnSource"]),
    .target(name: "ScnIR", dependencies: [
      "ScnSource", "ScnUnits", .product(name: "Crypto", package: "swift-crypto"),
    ]),
    .target(name: "ScnSyntax", dependencies: ["ScnSource"], exclude: ["README.md"]),
    .executableTarget(name: "ScnSyntaxBench", dependencies: ["ScnSyntax"], path: "Benchmarks/syntax/ScnSyntaxBench"),
    .target(name: "ScnSema", dependencies: ["ScnSyntax", "ScnSource", "ScnUnits"], exclude: ["README.md"]),
    .target(name: "ScnLowering", dependencies: ["ScnSema", "ScnIR", "ScnSource", "ScnUnits"],
            exclude: ["README.md"]),
    .executableTarget(name: "ScnSemaBench", dependencies: ["ScnLowering"], path: "Benchmarks/sema/ScnSemaBench"),

    // Simulation and sensors: know nothing of the language.
    .target(name: "ScnGeometry"),
    .target(name: "ScnPhysics", dependencies: ["ScnGeometry"], exclude: ["README.md"]),
    .executableTarget(
      name: "ScnPhysicsBench", dependencies: ["ScnPhysics", "ScnGeometry"], path: "Benchmarks/physics/ScnPhysicsBench"),

    // Façade and edges: the only modules that touch files or the terminal.
    .target(name: "ScnFormat", dependencies: ["ScnSyntax", "ScnSource"]),
    .target(name: "ScnDriver", dependencies: ["ScnSource", "ScnSyntax", "ScnFormat", "ScnLowering", "ScnRuntime",
                                         "ScnIR", "ScnUnits"]),
    .executableTarget(
      name: "scn",
      dependencies: ["ScnDriver", "ScnSource", "ScnIR", "ScnRuntime",
                     .product(name: "ArgumentParser", package: "swift-argument-parser")]
    ),
    // Runtime: seeded RNG and distributions (sampler, behaviours and coverage join later).
    .target(name: "ScnRuntime", dependencies: ["ScnGeometry", "ScnIR", "ScnSource", "ScnUnits", "ScnPhysics"],
            exclude: ["Random/README.md", "README.md"]),
    .executableTarget(name: "ScnRngBench", dependencies: ["ScnRuntime"], path: "Benchmarks/rng/ScnRngBench"),
    .executableTarget(name: "ScnSamplerBench", dependencies: ["ScnRuntime", "ScnLowering", "ScnIR"],
                      path: "Benchmarks/sampler/ScnSamplerBench"),
    .executableTarget(name: "ScnSimulationBench", dependencies: ["ScnRuntime", "ScnLowering"],
                      path: "Benchmarks/simulation/ScnSimulationBench"),


    .testTarget(name: "ScnSourceTests", dependencies: ["ScnSource"]),
    .testTarget(name: "ScnSyntaxTests", dependencies: ["ScnSyntax", "ScnSource"], exclude: ["Goldens"]),
    .testTarget(name: "ScnUnitsTests", dependencies: [
      "ScnUnits", .product(name: "PropertyBased", package: "swift-property-based"),
    ]),
    .testTarget(name: "ScnFormatTests", dependencies: ["ScnFormat", "ScnSyntax", "ScnSource"]),
    .testTarget(name: "ScnCLITests", dependencies: ["scn"]),
    .testTarget(name: "ScnSemaTests", dependencies: [
      "ScnSema", "ScnLowering", "ScnSyntax", "ScnSource", "ScnUnits",
      .product(name: "PropertyBased", package: "swift-property-based"),
    ], exclude: ["Goldens"]),
    .testTarget(name: "ScnLoweringTests", dependencies: [
      "ScnLowering", "ScnIR", "ScnSema", "ScnSource", "ScnUnits",
    ], exclude: ["Goldens"]),
    .testTarget(name: "ScnGeometryTests", dependencies: [
      "ScnGeometry", .product(name: "PropertyBased", package: "swift-property-based"),
    ]),
    .testTarget(name: "ScnRuntimeTests", dependencies: [
      "ScnRuntime", "ScnLowering", "ScnIR", "ScnSource", "ScnUnits", "ScnGeometry", .product(name: "PropertyBased", package: "swift-property-based"),
    ]),
    .testTarget(name: "ScnPhysicsTests", dependencies: [
      "ScnPhysics", "ScnGeometry", .product(name: "PropertyBased", package: "swift-property-based"),
    ]),
  ]
)

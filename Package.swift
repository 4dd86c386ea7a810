// swift-tools-version: 6.0
// The module graph follows the pipeline; an arrow (dependency) only ever points to an
// earlier stage. See DESIGN.md in the repository root for the reasons behind each cut.
import PackageDescription

let package = Package(
  name: "scn",
  platforms: [.macOS(.v14)],
  products: [
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
  ],
  targets: [
    // Front end.
    .target(name: "ScnSource"),

    // Simulation and sensors: know nothing of the language.
    .target(name: "ScnGeometry"),
    // libpng behind a C shim: libpng reports errors by longjmp, which Swift cannot survive.
    .target(name: "CPNG", linkerSettings: [.linkedLibrary("png16")]),
    .target(name: "ScnSensors", dependencies: ["ScnGeometry", "CPNG"], exclude: ["README.md"]),
    .executableTarget(name: "ScnSensorsBench", dependencies: ["ScnSensors"], path: "Benchmarks/sensors/ScnSensorsBench"),


    .testTarget(name: "ScnSourceTests", dependencies: ["ScnSource"]),
    .testTarget(name: "ScnSensorsTests", dependencies: ["ScnSensors"], exclude: ["Goldens"]),
    .testTarget(name: "ScnGeometryTests", dependencies: [
      "ScnGeometry", .product(name: "PropertyBased", package: "swift-property-based"),
    ]),
  ]
)

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
    .target(name: "ScnPhysics", dependencies: ["ScnGeometry"], exclude: ["README.md"]),
    .executableTarget(
      name: "ScnPhysicsBench", dependencies: ["ScnPhysics", "ScnGeometry"], path: "Benchmarks/physics/ScnPhysicsBench"),


    .testTarget(name: "ScnSourceTests", dependencies: ["ScnSource"]),
    .testTarget(name: "ScnGeometryTests", dependencies: [
      "ScnGeometry", .product(name: "PropertyBased", package: "swift-property-based"),
    ]),
    .testTarget(name: "ScnPhysicsTests", dependencies: [
      "ScnPhysics", "ScnGeometry", .product(name: "PropertyBased", package: "swift-property-based"),
    ]),
  ]
)

// swift-tools-version: 6.0
// The module graph follows the pipeline; an arrow (dependency) only ever points to an
// earlier stage. See DESIGN.md in the repository root for the reasons behind each cut.
import PackageDescription

let propertyBased = Target.Dependency.product(name: "PropertyBased", package: "swift-property-based")

let package = Package(
  name: "scn",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "scn", targets: ["scn"]),
    .library(name: "ScnDriver", targets: ["ScnDriver"]),
    // The compiler front end alone, for the fuzzers in Fuzz/ (built with sanitizers).
    .library(name: "ScnFrontEnd", targets: ["ScnSource", "ScnSyntax", "ScnFormat"]),
    // The checker, lowering and sampler (no renderer, no dataset writer), for Fuzz/FuzzCheckSample.
    .library(name: "ScnCheckSample", targets: ["ScnLowering", "ScnRuntime"]),
    // The readers of input files (OpenDRIVE maps, CSV data), for Fuzz/FuzzInputs.
    .library(name: "ScnInputs", targets: ["ScnMap", "ScnData", "ScnAssets", "ScnScene"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
  ],
  targets: [
    // Front end.
    .target(name: "ScnSource"),
    .target(name: "ScnUnits", dependencies: ["ScnSource"]),
    .target(name: "ScnSyntax", dependencies: ["ScnSource"], exclude: ["README.md"]),
    // Real-data inputs (CSV columns for `empirical(...)`), parsed and bounded; no language.
    .target(name: "ScnData", dependencies: [.product(name: "SwiftCSV", package: "SwiftCSV")], exclude: ["README.md"]),
    .target(name: "ScnSema", dependencies: ["ScnSyntax", "ScnSource", "ScnUnits", "ScnData", "ScnEncoding", "ScnGeometry", "ScnScene"], exclude: ["README.md"]),
    // Byte-exact encodings every output shares: ordered JSON, shortest round-trip doubles,
    // SHA-256 hex.
    .target(
      name: "ScnEncoding", dependencies: [.product(name: "Crypto", package: "swift-crypto")], exclude: ["README.md"]),
    .target(name: "ScnIR", dependencies: ["ScnSource", "ScnUnits", "ScnEncoding"]),
    .target(
      name: "ScnLowering", dependencies: ["ScnSema", "ScnIR", "ScnSyntax", "ScnSource", "ScnUnits", "ScnMap"],
      exclude: ["README.md"]),
    .target(name: "ScnFormat", dependencies: ["ScnSyntax", "ScnSource"]),

    // Simulation and sensors: know nothing of the language.
    .target(name: "ScnGeometry"),
    .target(name: "ScnPhysics", dependencies: ["ScnGeometry"], exclude: ["README.md"]),
    // Road networks from OpenDRIVE files: lanes, junctions, the road-direction field.
    .target(name: "ScnMap", dependencies: ["ScnGeometry"], exclude: ["README.md"]),
    .target(name: "CPNG", linkerSettings: [.linkedLibrary("png16"), .linkedLibrary("z"), .linkedLibrary("deflate")]),
    // syncfs(2) for the dataset writer and a pseudo-terminal for the REPL's terminal tests
    // (glibc declares them only under feature macros).
    .target(name: "CSystem"),
    // What a scene physically is: objects, parts, meshes, materials, the actor shape builder
    // and the stated conditions. Read alike by the sampler, physics and sensors.
    .target(name: "ScnScene", dependencies: ["ScnGeometry"], exclude: ["README.md"]),
    // glTF 2.0 through Debian's tinygltf (C++), behind a plain C interface.
    .target(name: "CTinyGLTF", linkerSettings: [.linkedLibrary("tinygltf")]),
    // JPEG texture images through Debian's libjpeg-turbo, behind plain C (setjmp inside).
    .target(name: "CJPEG", linkerSettings: [.linkedLibrary("jpeg")]),
    // Wavefront OBJ + MTL through Debian's tinyobjloader, behind plain C like CTinyGLTF.
    .target(name: "CTinyOBJ", linkerSettings: [.linkedLibrary("tinyobjloader")]),
    // Imported assets (glTF 2.0) as scene-model parts: files in, `ImportedAsset` out.
    // `@asset` declarations checked (path, licence) and read through an injected reader.
    .target(
      name: "ScnAssets",
      dependencies: ["ScnScene", "ScnGeometry", "CTinyGLTF", "CTinyOBJ", "CPNG", "CJPEG", "ScnIR", "ScnSource", "ScnEncoding", "ScnDataset"],
      exclude: ["README.md"]),
    // Sensors: plans read from a sensor request, the ray caster, camera, LiDAR, and their
    // frames and calibrations in the dataset writer's model (built before it, above).
    .target(
      name: "ScnSensors",
      dependencies: ["ScnGeometry", "ScnScene", "ScnDataset", "ScnUnits", "CPNG", "CDevelop", "CTrace", "CShade", "CMesh"],
      exclude: ["README.md"]),
    // The camera's development of a noisy row (noise variates, tone curve, sRGB bytes) in C:
    // AVX-512 or AVX2 lanes chosen at run time, a portable path otherwise, the same bits as the Swift.
    .target(name: "CDevelop", exclude: ["README.md"], linkerSettings: [.linkedLibrary("m")]),
    // The slab tests of a camera tile's rays against its candidate list in C: sixteen rays a
    // step in AVX-512 lanes chosen at run time, a portable path otherwise, the same bits as the Swift.
    .target(name: "CTrace", dependencies: ["CDevelop"], exclude: ["README.md"], linkerSettings: [.linkedLibrary("m")]),
    // The camera's shading of ground and road-paint pixels in C: AVX-512 or AVX2 lanes chosen
    // at run time, a portable path otherwise, the same bits as the Swift.
    .target(name: "CShade", dependencies: ["CDevelop"], exclude: ["README.md"], linkerSettings: [.linkedLibrary("m")]),
    // The walk of one mesh's BVH (a ray against a mesh instance's triangles) in C: both
    // children's slab tests in one pass of AVX2 or SSE lanes, a portable path otherwise, the
    // same bits as the Swift; its path follows CDevelop's choice (and SCN_CPU_PATH).
    .target(name: "CMesh", dependencies: ["CDevelop"], exclude: ["README.md"], linkerSettings: [.linkedLibrary("m")]),

    // Runtime: RNG, distributions, interpreter, sampler, coverage.
    .target(
      name: "ScnRuntime",
      dependencies: ["ScnGeometry", "ScnScene", "ScnIR", "ScnSource", "ScnUnits", "ScnPhysics", "ScnEncoding", "ScnMap"],
      exclude: ["Random/README.md", "README.md"]),

    // Dataset writers: their own input model, so they build before the sampler and renderer exist.
    .target(
      name: "ScnDataset",
      dependencies: ["ScnSource", "ScnGeometry", "CPNG", "CSystem", "ScnEncoding", .product(name: "Crypto", package: "swift-crypto")],
      exclude: ["README.md"]),

    // Model evaluation per slice, gaps and focus files: reads a dataset, never writes one.
    .target(
      name: "ScnEval", dependencies: ["ScnDataset", "ScnEncoding", .product(name: "Crypto", package: "swift-crypto")],
      exclude: ["README.md"]),

    // Façade and edges: the only modules that touch files or the terminal.
    .target(
      name: "ScnDriver",
      dependencies: [
        "ScnSource", "ScnSyntax", "ScnFormat", "ScnLowering", "ScnIR", "ScnUnits", "ScnRuntime",
        "ScnSensors", "ScnScene", "ScnDataset", "ScnEval", "ScnMap", "ScnGeometry", "ScnEncoding", "ScnAssets",
        "ScnData",
      ],
      exclude: ["DiagnosticCodes.md"]),
    // Line editing for the REPL: readline behind a few plain C functions.
    .target(name: "CReadline", linkerSettings: [.linkedLibrary("readline")]),
    .target(
      name: "ScnREPL",
      dependencies: [
        "ScnDriver", "ScnLowering", "ScnSema", "ScnSyntax", "ScnIR", "ScnRuntime", "ScnSource", "ScnUnits", "ScnEncoding",
        "CReadline",
      ],
      exclude: ["README.md"]),
    .executableTarget(
      name: "scn",
      dependencies: [
        "ScnDriver", "ScnREPL", "ScnSource", "ScnIR", "ScnRuntime", "ScnDataset", "ScnEval", "ScnMap", "ScnEncoding", "CSystem",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),

    // Benchmarks (release builds; see Benchmarks/run.sh).
    .executableTarget(name: "ScnSyntaxBench", dependencies: ["ScnSyntax"], path: "Benchmarks/syntax/ScnSyntaxBench"),
    .executableTarget(name: "ScnSemaBench", dependencies: ["ScnLowering"], path: "Benchmarks/sema/ScnSemaBench"),
    .executableTarget(
      name: "ScnPhysicsBench", dependencies: ["ScnPhysics", "ScnGeometry"], path: "Benchmarks/physics/ScnPhysicsBench"),
    .executableTarget(name: "ScnSensorsBench", dependencies: ["ScnSensors", "ScnScene"], path: "Benchmarks/sensors/ScnSensorsBench"),
    .executableTarget(
      name: "ScnSimulationBench", dependencies: ["ScnRuntime", "ScnLowering"], path: "Benchmarks/simulation/ScnSimulationBench"),
    .executableTarget(name: "ScnMapBench", dependencies: ["ScnMap"], path: "Benchmarks/map/ScnMapBench"),
    .executableTarget(
      name: "ScnMeshBench", dependencies: ["ScnSensors", "ScnScene", "ScnGeometry"], path: "Benchmarks/meshes/ScnMeshBench"),
    .executableTarget(name: "ScnRngBench", dependencies: ["ScnRuntime"], path: "Benchmarks/rng/ScnRngBench"),
    .executableTarget(name: "ScnEvalBench", dependencies: ["ScnEval", "ScnEncoding"], path: "Benchmarks/eval/ScnEvalBench"),
    .executableTarget(
      name: "ScnSamplerBench", dependencies: ["ScnRuntime", "ScnLowering", "ScnIR", "ScnEncoding"],
      path: "Benchmarks/sampler/ScnSamplerBench"),

    // Tests.
    // What several test suites share (the third-party reader check, a SplitMix64 test stream); linked only into
    // tests.
    .target(name: "ScnTestSupport", path: "Tests/ScnTestSupport"),
    .testTarget(name: "ScnSourceTests", dependencies: ["ScnSource"]),
    .testTarget(name: "ScnDataTests", dependencies: ["ScnData"]),
    .testTarget(name: "ScnEncodingTests", dependencies: ["ScnEncoding", propertyBased]),
    .testTarget(name: "ScnUnitsTests", dependencies: ["ScnUnits", propertyBased]),
    .testTarget(name: "ScnSyntaxTests", dependencies: ["ScnSyntax", "ScnSource"], exclude: ["Goldens"]),
    .testTarget(
      name: "ScnSemaTests",
      dependencies: ["ScnSema", "ScnLowering", "ScnSyntax", "ScnSource", "ScnUnits", propertyBased],
      exclude: ["Goldens"]),
    .testTarget(
      name: "ScnLoweringTests", dependencies: ["ScnLowering", "ScnIR", "ScnSema", "ScnSource", "ScnUnits"], exclude: ["Goldens"]),
    .testTarget(name: "ScnFormatTests", dependencies: ["ScnFormat", "ScnSyntax", "ScnSource"]),
    .testTarget(name: "ScnGeometryTests", dependencies: ["ScnGeometry", "ScnTestSupport", propertyBased]),
    .testTarget(name: "ScnMapTests", dependencies: ["ScnMap", "ScnGeometry", "ScnTestSupport"]),
    .testTarget(name: "ScnPhysicsTests", dependencies: ["ScnPhysics", "ScnGeometry", "ScnTestSupport", propertyBased]),
    .testTarget(name: "ScnSceneTests", dependencies: ["ScnScene", "ScnGeometry", "ScnTestSupport", propertyBased]),
    .testTarget(name: "ScnAssetsTests", dependencies: ["ScnAssets", "ScnScene", "ScnGeometry", "ScnSensors", "CJPEG"]),
    .testTarget(
      name: "ScnSensorsTests",
      dependencies: [
        "ScnSensors", "ScnScene", "ScnDataset", "ScnEncoding", "ScnGeometry", "CDevelop", "CTrace", "CMesh", "ScnTestSupport",
      ],
      exclude: ["Goldens"]),
    .testTarget(
      name: "ScnRuntimeTests",
      dependencies: [
        "ScnRuntime", "ScnLowering", "ScnIR", "ScnSource", "ScnUnits", "ScnGeometry", "ScnScene", "ScnEncoding", "ScnMap",
        propertyBased,
      ]),
    .testTarget(name: "ScnDatasetTests", dependencies: ["ScnDataset", "ScnGeometry", "ScnEncoding", "ScnTestSupport"]),
    .testTarget(name: "ScnREPLTests", dependencies: ["ScnREPL", "ScnDriver", "CReadline", "ScnEncoding"]),
    .testTarget(name: "ScnCLITests", dependencies: ["scn", "CSystem", "ScnEncoding", "ScnTestSupport"], exclude: ["Goldens"]),
    .testTarget(name: "ScnGenerateTests", dependencies: [
      "scn", "ScnDriver", "ScnRuntime", "ScnDataset", "ScnEncoding", "ScnSensors", "ScnAssets", "ScnData", "ScnTestSupport",
    ]),
    .testTarget(name: "ScnEvalTests", dependencies: ["ScnEval", "ScnDataset", "ScnEncoding", "scn", "ScnTestSupport"]),
  ]
)

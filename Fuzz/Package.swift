// swift-tools-version: 6.0
// Fuzz targets live in their own package because they are built only with
// `-sanitize=fuzzer,address -parse-as-library` (libFuzzer supplies `main`); see Fuzz/run.sh.
import PackageDescription

let package = Package(
  name: "ScnFuzz",
  dependencies: [.package(name: "scn", path: "..")],
  targets: [
    .executableTarget(name: "FuzzParse", dependencies: [.product(name: "ScnFrontEnd", package: "scn")]),
    .executableTarget(name: "FuzzCheckSample", dependencies: [.product(name: "ScnCheckSample", package: "scn")]),
    .executableTarget(name: "FuzzInputs", dependencies: [.product(name: "ScnInputs", package: "scn")]),
  ]
)

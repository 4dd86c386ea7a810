import ScnScene
import Foundation
import ScnDataset
import ScnSensors
import Testing

@Suite struct PNGTests {
  static let width = 37
  static let height = 23
  static let rgb: [UInt8] = (0..<(width * height * 3)).map { UInt8(truncatingIfNeeded: $0 &* 7 ^ ($0 >> 3)) }
  static let grey: [UInt8] = (0..<(width * height)).map { UInt8(truncatingIfNeeded: $0 * 3) }
  static let grey16: [UInt16] = (0..<(width * height)).map { UInt16(truncatingIfNeeded: $0 &* 2749) }

  @Test(arguments: [PNGFilter.none, .sub, .paeth, .all])
  func roundTripsThroughLibpng(_ filter: PNGFilter) throws {
    for level in [0, 1, 9] {
      let encoder = PNGEncoder(compressionLevel: level, filter: filter)
      let rgbPNG = try encoder.encodeRGB(Self.rgb, width: Self.width, height: Self.height)
      let rgb = try PNGImage(decoding: rgbPNG)
      #expect(rgb.layout == .rgb8 && rgb.samples == Self.rgb.map(UInt16.init))
      let grey = try PNGImage(decoding: encoder.encodeGray(Self.grey, width: Self.width, height: Self.height))
      #expect(grey.layout == .gray8 && grey.samples == Self.grey.map(UInt16.init))
      let deepPNG = try encoder.encodeGray16(Self.grey16, width: Self.width, height: Self.height)
      let deep = try PNGImage(decoding: deepPNG)
      #expect(deep.layout == .gray16 && deep.samples == Self.grey16)
      #expect(rgb.width == Self.width && rgb.height == Self.height)
    }
  }

  /// Every zlib strategy writes the same samples; Huffman-only coding of a noisy image is no
  /// larger than run-only matching (the camera's choice, `PNGStrategy.huffman`).
  @Test(arguments: [PNGStrategy.matches, .runs, .huffman])
  func everyStrategyRoundTrips(_ strategy: PNGStrategy) throws {
    let encoder = PNGEncoder(compressionLevel: 1, filter: .sub, strategy: strategy)
    let rgb = try PNGImage(decoding: encoder.encodeRGB(Self.rgb, width: Self.width, height: Self.height))
    #expect(rgb.layout == .rgb8 && rgb.samples == Self.rgb.map(UInt16.init))
    let deep = try PNGImage(decoding: encoder.encodeGray16(Self.grey16, width: Self.width, height: Self.height))
    #expect(deep.layout == .gray16 && deep.samples == Self.grey16)
    // A noisy 64 × 64 photograph-like image: smooth ramps plus hashed noise of ±8 levels.
    let side = 64
    let noisy: [UInt8] = (0..<(side * side * 3)).map { i in
      var h = UInt64(i) &* 0x9E37_79B9_7F4A_7C15
      h ^= h >> 29
      let ramp = (i / 3) % side * 2 + (i / (3 * side))
      return UInt8(truncatingIfNeeded: ramp + Int(h % 17) - 8 + 40)
    }
    let huffman = try PNGEncoder(compressionLevel: 1, filter: .sub, strategy: .huffman)
      .encodeRGB(noisy, width: side, height: side)
    let runs = try PNGEncoder(compressionLevel: 1, filter: .sub, strategy: .runs)
      .encodeRGB(noisy, width: side, height: side)
    #expect(try PNGImage(decoding: huffman).samples == noisy.map(UInt16.init))
    #expect(huffman.count <= runs.count + 64)
  }

  @Test func badInputIsAnErrorNotACrash() {
    #expect(throws: RenderError.self) { try PNGEncoder().encodeRGB([1, 2], width: 4, height: 4) }
    #expect(throws: RenderError.self) { try PNGEncoder().encodeGray([], width: 0, height: 0) }
    #expect(throws: PNGReadError.self) { try PNGImage(decoding: [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]) }
    #expect(throws: PNGReadError.self) { try PNGImage(decoding: []) }
  }

  @Test func encodesInParallelIdentically() async throws {
    let encoder = PNGEncoder()
    let reference = try encoder.encodeRGB(Self.rgb, width: Self.width, height: Self.height)
    let results = try (0..<8).map { _ in try encoder.encodeRGB(Self.rgb, width: Self.width, height: Self.height) }
    await withTaskGroup(of: [UInt8]?.self) { group in
      for _ in 0..<8 {
        group.addTask { try? encoder.encodeRGB(Self.rgb, width: Self.width, height: Self.height) }
      }
      for await bytes in group { #expect(bytes == reference) }
    }
    #expect(results.allSatisfy { $0 == reference })
  }

  static var python: String { ProcessInfo.processInfo.environment["SCN_PYTHON"] ?? "python3" }

  static var pillowAvailable: Bool {
    if ProcessInfo.processInfo.environment["SCN_PYTHON"] != nil { return true }
    let available = (try? run(python, ["-c", "import PIL"]).status) == 0
    if !available { print("skipping Pillow round trip: python3 cannot import PIL and SCN_PYTHON is unset") }
    return available
  }

  static func run(_ program: String, _ arguments: [String]) throws -> (status: Int32, output: Data) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [program] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, output)
  }

  /// Decodes our PNGs with Pillow, an independent decoder (zlib + its own PNG parser).
  @Test(.enabled(if: pillowAvailable, "needs Pillow (SCN_PYTHON or python3 with PIL)"))
  func pillowDecodesOurFiles() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scn-png-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let encoder = PNGEncoder(compressionLevel: 6, filter: .all)
    let files: [(String, [UInt8], [UInt8])] = [
      ("rgb.png", try encoder.encodeRGB(Self.rgb, width: Self.width, height: Self.height), Self.rgb),
      ("grey.png", try encoder.encodeGray(Self.grey, width: Self.width, height: Self.height), Self.grey),
      (
        "grey16.png", try encoder.encodeGray16(Self.grey16, width: Self.width, height: Self.height),
        Self.grey16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
      ),
    ]
    // Pillow gives 16-bit grey as mode I;16, little-endian bytes.
    let script = """
      import sys
      from PIL import Image
      im = Image.open(sys.argv[1])
      im.load()
      sys.stdout.write(im.mode + " " + str(im.size[0]) + " " + str(im.size[1]) + "\\n")
      sys.stdout.flush()
      sys.stdout.buffer.write(im.tobytes())
      """
    for (name, png, expected) in files {
      let url = dir.appendingPathComponent(name)
      try Data(png).write(to: url)
      let (status, output) = try Self.run(Self.python, ["-c", script, url.path])
      #expect(status == 0)
      let bytes = [UInt8](output)
      let newline = try #require(bytes.firstIndex(of: 10))
      let header = String(decoding: bytes[..<newline], as: UTF8.self)
      let expectedMode = name == "rgb.png" ? "RGB" : name == "grey.png" ? "L" : "I;16"
      #expect(header == "\(expectedMode) \(Self.width) \(Self.height)")
      #expect(Array(bytes[(newline + 1)...]) == expected, "\(name) decoded differently by Pillow")
    }
  }
}

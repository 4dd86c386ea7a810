#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One detection of a COCO results file (`image_id`, `category_id`, `bbox`, `score`).
public struct Detection: Sendable, Equatable {
  public var imageID: Int
  public var categoryID: Int
  /// x, y, width, height in pixels.
  public var box: (Double, Double, Double, Double)
  public var score: Double

  public init(imageID: Int, categoryID: Int, box: (Double, Double, Double, Double), score: Double) {
    self.imageID = imageID
    self.categoryID = categoryID
    self.box = box
    self.score = score
  }

  public static func == (a: Detection, b: Detection) -> Bool {
    a.imageID == b.imageID && a.categoryID == b.categoryID && a.box == b.box && a.score == b.score
  }
}

/// Reads a COCO detection results file: a JSON array of objects. `segmentation` and any
/// other member are skipped. Python's `json` writes `NaN` and `Infinity` for such floats, so
/// the reader accepts those tokens and reports the record instead of a syntax error.
///
/// Checks per record (the first failure is reported, naming the record by its index):
/// integer `image_id` and `category_id`, `bbox` of four finite numbers with width and height
/// ≥ 0, finite `score`. Ids are checked against the dataset by the caller.
public enum PredictionsReader {
  /// At most this many records: bounds the memory a hostile file can ask for.
  public static let maximumRecords = 50_000_000

  public static func read(_ bytes: [UInt8]) throws(EvalError) -> [Detection] {
    var scanner = Scanner(bytes: bytes + [0])
    return try scanner.records()
  }

  private struct Scanner {
    let bytes: [UInt8]
    var position = 0
    /// `bytes` ends with a 0 that is not part of the input.
    var end: Int { bytes.count - 1 }

    init(bytes: [UInt8]) { self.bytes = bytes }

    func fail(_ reason: String) -> EvalError { .malformedPredictions(offset: position, reason: reason) }

    mutating func skipSpace() {
      while position < end {
        let b = bytes[position]
        guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
        position += 1
      }
    }

    var peek: UInt8 { position < end ? bytes[position] : 0 }

    mutating func expect(_ byte: UInt8, _ what: String) throws(EvalError) {
      skipSpace()
      guard peek == byte else { throw fail("expected \(what)") }
      position += 1
    }

    /// A JSON array's elements or an object's members, from after its opening byte to
    /// `close`: `element` reads each from its first byte that is not white space; they are
    /// separated by ','. `place` says where a separator was expected ("after a record").
    mutating func sequence(
      close: UInt8, _ place: String?, _ element: (inout Scanner) throws(EvalError) -> Void
    ) throws(EvalError) {
      skipSpace()
      if peek == close {
        position += 1
        return
      }
      while true {
        skipSpace()
        try element(&self)
        skipSpace()
        if peek == UInt8(ascii: ",") {
          position += 1
          continue
        }
        try expect(close, "',' or '\(Character(UnicodeScalar(close)))'" + (place.map { " " + $0 } ?? ""))
        return
      }
    }

    mutating func records() throws(EvalError) -> [Detection] {
      try expect(UInt8(ascii: "["), "'[' (a COCO results file is a JSON array of detections)")
      var out: [Detection] = []
      try sequence(close: UInt8(ascii: "]"), "after a record") { (s: inout Scanner) throws(EvalError) in
        guard out.count < PredictionsReader.maximumRecords else {
          throw s.fail("more than \(PredictionsReader.maximumRecords) records")
        }
        out.append(try s.record(index: out.count))
      }
      skipSpace()
      guard position == end else { throw fail("trailing characters after the array") }
      return out
    }

    mutating func record(index: Int) throws(EvalError) -> Detection {
      try expect(UInt8(ascii: "{"), "'{' (each detection is a JSON object)")
      var image: Double?, category: Double?, score: Double?
      var box: [Double]?
      try sequence(close: UInt8(ascii: "}"), "after a member") { (s: inout Scanner) throws(EvalError) in
        let key = try s.string()
        try s.expect(UInt8(ascii: ":"), "':'")
        s.skipSpace()
        switch key {
        case "image_id": image = try s.numberValue(index: index, key)
        case "category_id": category = try s.numberValue(index: index, key)
        case "score": score = try s.numberValue(index: index, key)
        case "bbox":
          try s.expect(UInt8(ascii: "["), "'[' (bbox is [x, y, width, height])")
          var values: [Double] = []
          try s.sequence(close: UInt8(ascii: "]"), "in bbox") { (t: inout Scanner) throws(EvalError) in
            values.append(try t.numberValue(index: index, "bbox"))
            guard values.count <= 4 else { throw EvalError.badRecord(index: index, reason: "bbox has more than 4 numbers") }
          }
          box = values
        default: try s.skipValue(depth: 0)
        }
      }
      func bad(_ reason: String) -> EvalError { .badRecord(index: index, reason: reason) }
      guard let image else { throw bad("no image_id") }
      guard let category else { throw bad("no category_id") }
      guard let box else { throw bad("no bbox") }
      guard let score else { throw bad("no score") }
      guard let imageID = Self.integer(image) else { throw bad("image_id \(image) is not an integer") }
      guard let categoryID = Self.integer(category) else { throw bad("category_id \(category) is not an integer") }
      guard box.count == 4 else { throw bad("bbox has \(box.count) numbers, expected 4 ([x, y, width, height])") }
      guard box.allSatisfy(\.isFinite) else { throw bad("bbox \(Self.text(box)) is not finite") }
      guard box[2] >= 0, box[3] >= 0 else {
        throw bad("bbox \(Self.text(box)) has a negative width or height (COCO boxes are [x, y, width, height])")
      }
      guard score.isFinite else { throw bad("score is \(score.isNaN ? "NaN" : "infinite"), expected a finite number") }
      return Detection(imageID: imageID, categoryID: categoryID, box: (box[0], box[1], box[2], box[3]), score: score)
    }

    static func integer(_ x: Double) -> Int? {
      guard x.isFinite, x == x.rounded(), abs(x) < 9.0e15 else { return nil }
      return Int(x)
    }

    static func text(_ xs: [Double]) -> String { "[" + xs.map { "\($0)" }.joined(separator: ", ") + "]" }

    /// A number, or Python's `NaN`, `Infinity`, `-Infinity`.
    mutating func numberValue(index: Int, _ key: String) throws(EvalError) -> Double {
      for (token, value) in [("NaN", Double.nan), ("Infinity", Double.infinity), ("-Infinity", -Double.infinity)]
      where matches(token) {
        position += token.utf8.count
        return value
      }
      let b = peek
      guard b == UInt8(ascii: "-") || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) else {
        throw EvalError.badRecord(index: index, reason: "\(key) is not a number")
      }
      var stop = position
      while stop < end {
        let c = bytes[stop]
        let numeric =
          (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+")
          || c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
        guard numeric else { break }
        stop += 1
      }
      guard stop - position <= 64 else { throw fail("number longer than 64 characters") }
      // strtod rounds correctly (as Python's float() does); the token is copied so that
      // it stops exactly at the token's end.
      var token = Array(bytes[position..<stop])
      token.append(0)
      let start = position
      var consumed = 0
      let value = token.withUnsafeBufferPointer { buffer -> Double in
        guard let base = buffer.baseAddress else { return .nan }
        return base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { chars in
          var endPointer: UnsafeMutablePointer<CChar>?
          let x = strtod(chars, &endPointer)
          if let endPointer { consumed = endPointer - UnsafeMutablePointer(mutating: chars) }
          return x
        }
      }
      guard consumed == stop - start, consumed > 0 else { throw fail("malformed number") }
      position = stop
      return value
    }

    func matches(_ token: String) -> Bool {
      var i = position
      for byte in token.utf8 {
        guard i < end, bytes[i] == byte else { return false }
        i += 1
      }
      return true
    }

    mutating func string() throws(EvalError) -> String {
      guard peek == UInt8(ascii: "\"") else { throw fail("expected a string") }
      position += 1
      let start = position
      var escaped = false
      while position < end {
        let b = bytes[position]
        if b == UInt8(ascii: "\\") {
          escaped = true
          position += 2
          continue
        }
        if b == UInt8(ascii: "\"") {
          let text = String(decoding: bytes[start..<position], as: UTF8.self)
          position += 1
          // Keys that matter have no escapes; an escaped key is kept raw and so ignored.
          return escaped ? "\\" + text : text
        }
        position += 1
      }
      throw fail("unterminated string")
    }

    /// Skips one JSON value (for `segmentation` and unknown members).
    mutating func skipValue(depth: Int) throws(EvalError) {
      guard depth < 64 else { throw fail("nesting deeper than 64") }
      skipSpace()
      switch peek {
      case UInt8(ascii: "\""): _ = try string()
      case UInt8(ascii: "["), UInt8(ascii: "{"):
        let close = peek == UInt8(ascii: "[") ? UInt8(ascii: "]") : UInt8(ascii: "}")
        let isObject = close == UInt8(ascii: "}")
        position += 1
        try sequence(close: close, nil) { (s: inout Scanner) throws(EvalError) in
          if isObject {
            _ = try s.string()
            try s.expect(UInt8(ascii: ":"), "':'")
          }
          try s.skipValue(depth: depth + 1)
        }
      case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
        for word in ["true", "false", "null"] where matches(word) {
          position += word.utf8.count
          return
        }
        throw fail("unexpected token")
      default:
        let b = peek
        guard b == UInt8(ascii: "-") || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || matches("NaN")
          || matches("Infinity")
        else { throw fail("unexpected character") }
        // Any number will do here: the value is skipped.
        _ = try numberValue(index: 0, "value")
      }
    }
  }
}

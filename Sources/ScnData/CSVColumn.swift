import Foundation
import SwiftCSV

/// Why a column of a real-data file cannot be used. Each case names what was expected and
/// what was found; the checker turns it into a located diagnostic.
public enum DataFileError: Error, Sendable, Equatable {
  /// The file is larger than `CSVColumnReader.maximumFileSize`.
  case tooLarge(bytes: Int, limit: Int)
  case notUTF8
  /// The CSV text itself does not parse (an unterminated quote, for example).
  case malformed(String)
  case noHeader
  /// The column is not in the header; `columns` lists the header for a suggestion.
  case missingColumn(String, columns: [String])
  /// A data row has fewer fields than the column's position.
  case shortRow(row: Int, fields: Int, needed: Int)
  /// A cell that is not a finite decimal number.
  case notANumber(row: Int, cell: String)
  case noRows
  case tooManyRows(limit: Int)
}

/// One numeric column read from a CSV file with a header row (RFC 4180 quoting, parsed by
/// SwiftCSV). Rows are numbered from 1 for the first data row after the header; empty
/// lines are skipped.
public struct CSVColumn: Sendable, Equatable {
  public let header: [String]
  public let column: String
  /// The column's values in file order, as written (not yet scaled to any unit).
  public let values: [Double]

  /// Files above this size are refused before they are parsed.
  public static let maximumFileSize = 64 << 20
  /// At most this many data rows (the sampler keeps the column in memory, sorted).
  public static let maximumRows = 1_000_000

  public init(csv bytes: [UInt8], column: String) throws(DataFileError) {
    guard bytes.count <= Self.maximumFileSize else {
      throw .tooLarge(bytes: bytes.count, limit: Self.maximumFileSize)
    }
    guard let text = String(validating: bytes, as: UTF8.self) else { throw .notUTF8 }
    // A byte-order mark would otherwise become part of the first column's name.
    let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    let csv: EnumeratedCSV
    do {
      csv = try EnumeratedCSV(string: body, delimiter: .comma, loadColumns: false)
    } catch {
      throw .malformed(String(describing: error))
    }
    let header = csv.header.map { $0.trimmingCharacters(in: .whitespaces) }
    guard !header.isEmpty, header != [""] else { throw .noHeader }
    guard let position = header.firstIndex(of: column) else { throw .missingColumn(column, columns: header) }
    var values: [Double] = []
    var row = 0
    for fields in csv.rows {
      row += 1
      if fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
      guard position < fields.count else { throw .shortRow(row: row, fields: fields.count, needed: position + 1) }
      let cell = fields[position].trimmingCharacters(in: .whitespaces)
      guard let x = Self.number(cell), x.isFinite else { throw .notANumber(row: row, cell: String(cell.prefix(40))) }
      guard values.count < Self.maximumRows else { throw .tooManyRows(limit: Self.maximumRows) }
      values.append(x)
    }
    guard !values.isEmpty else { throw .noRows }
    self.header = header
    self.column = column
    self.values = values
  }

  /// A decimal number as CSV files write it (`1.5`, `-2e-3`); not `inf`, `nan` or hex.
  static func number(_ s: String) -> Double? {
    guard !s.isEmpty, s.utf8.allSatisfy({ (48...57).contains($0) || $0 == 46 || $0 == 45 || $0 == 43 || $0 == 101 || $0 == 69 })
    else { return nil }
    return Double(s)
  }
}

extension DataFileError {
  /// What was expected and what was found, in one line.
  public var message: String {
    switch self {
    case .tooLarge(let bytes, let limit):
      "the file has \(bytes) bytes; real-data files may have at most \(limit) bytes"
    case .notUTF8: "expected UTF-8 text, found bytes that are not"
    case .malformed(let why): "the CSV text does not parse: \(why)"
    case .noHeader: "expected a header row naming the columns, found none"
    case .missingColumn(let c, let columns):
      "no column '\(c)'; the header has " + columns.prefix(12).map { "'\($0)'" }.joined(separator: ", ")
        + (columns.count > 12 ? ", …" : "")
    case .shortRow(let row, let fields, let needed):
      "data row \(row) has \(fields) field\(fields == 1 ? "" : "s"), expected at least \(needed)"
    case .notANumber(let row, let cell): "expected a finite number in data row \(row), found '\(cell)'"
    case .noRows: "expected at least one data row after the header, found none"
    case .tooManyRows(let limit): "the column has more than \(limit) rows"
    }
  }
}

extension CSVColumn {
  /// Silverman's rule of thumb for a Gaussian kernel, h = 0.9 · min(sd, IQR / 1.34) · n^(-1/5)
  /// (Silverman 1986, eq. 3.31), the bandwidth `empirical` uses when none is declared. The
  /// sample standard deviation alone stands in when the IQR is 0; a constant column gives 0.
  public static func silvermanBandwidth(_ values: [Double]) -> Double {
    let n = values.count
    guard n > 1 else { return 0 }
    let mean = values.reduce(0, +) / Double(n)
    let sd = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)).squareRoot()
    let sorted = values.sorted()
    let iqr = quantile(sorted, 0.75) - quantile(sorted, 0.25)
    let spread = iqr > 0 ? min(sd, iqr / 1.34) : sd
    return 0.9 * spread * pow(Double(n), -0.2)
  }

  /// The q-quantile of sorted values, linear between order statistics (type 7).
  public static func quantile(_ sorted: [Double], _ q: Double) -> Double {
    guard let first = sorted.first, let last = sorted.last else { return .nan }
    let h = Double(sorted.count - 1) * min(max(q, 0), 1)
    let i = Int(h.rounded(.down))
    guard i + 1 < sorted.count else { return last }
    return i < 0 ? first : sorted[i] + (h - Double(i)) * (sorted[i + 1] - sorted[i])
  }
}

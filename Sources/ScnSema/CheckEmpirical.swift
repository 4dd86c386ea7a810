import ScnData
import ScnEncoding
import ScnSource
import ScnSyntax
import ScnUnits

/// A real-data file the checker read for `empirical(...)`: its path as the scenario wrote
/// it (relative to that file's folder), the path handed to the reader, and its bytes.
public struct DataFileRead: Sendable, Hashable {
  public let displayPath: String
  public let fullPath: String
  public let bytes: [UInt8]
}

extension Checker {
  /// `empirical(path, column: "c", unit: m/s, bandwidth: 0.05m/s)`: a distribution fitted
  /// to a column of real measurements (docs/stdlib.md, "Real data"). The file is read here,
  /// once, so a missing column or a bad cell is a check-time error at the argument; the
  /// lowered draw carries the column's values in base units and the file's SHA-256.
  ///
  /// Lowered arguments: path, column, sha256, unit factor, values (base units), bandwidth
  /// (base units), the unit as written ("" for none), whether the bandwidth was declared.
  func checkEmpirical(_ args: [Argument], expected: SemaType?, _ scope: Scope, range: SourceRange) -> TypedExpr {
    let names = ["path", "column", "unit", "bandwidth"]
    var given: [String: Argument] = [:]
    var positional = 0
    for a in args {
      let name: String
      if let label = a.label {
        guard names.contains(label.name) else {
          report(
            SemaDiagnostics.unknownArgumentLabel(
              label.name, callee: "empirical", at: label.range, suggestion: nearest(label.name, in: names)))
          return invalid(range)
        }
        name = label.name
      } else {
        guard positional < 2 else {
          report(SemaDiagnostics.argumentCount("empirical", expected: 2, found: args.count, at: range))
          return invalid(range)
        }
        name = names[positional]
        positional += 1
      }
      given[name] = a
    }
    guard let pathArg = given["path"], let columnArg = given["column"] else {
      report(
        .error(
          DiagnosticCode("E0287"), "'empirical' needs a file and a column, e.g. empirical(\"data/walk.csv\", column: \"speed\", unit: m/s)",
          at: range))
      return invalid(range)
    }
    let pathExpr = check(pathArg.value, expected: .string, scope)
    let columnExpr = check(columnArg.value, expected: .string, scope)
    guard case .string(let path)? = pathExpr.constant else {
      report(Self.notConstantString("file path", at: pathArg.value.range))
      return invalid(range)
    }
    guard case .string(let column)? = columnExpr.constant else {
      report(Self.notConstantString("column name", at: columnArg.value.range))
      return invalid(range)
    }

    // The unit the column is written in: a unit expression such as `m/s`, spelled as after
    // a number; without one the column is a plain number.
    var unit = ResolvedUnit.one
    let spelled = given["unit"].map { text($0.value.range).filter { !$0.isWhitespace } } ?? ""
    if let u = given["unit"] {
      switch resolveUnit(spelled) {
      case .success(let r): unit = r
      case .failure:
        report(
          .error(
            DiagnosticCode("E0287"), "expected a unit such as 'm/s' or 'km/h' for the column, found '\(spelled)'",
            at: u.value.range))
        return invalid(range)
      }
    }
    if case .quantity(let want)? = expected, want != unit.dimension, want != .dimensionless || given["unit"] != nil {
      report(
        .error(
          DiagnosticCode("E0287"),
          "expected a column of \(describe(want)), found one of \(describe(unit.dimension))"
            + (given["unit"] == nil ? " (no 'unit:' given)" : ""),
          at: given["unit"]?.value.range ?? range,
          notes: given["unit"] == nil ? [Note("say which unit the file's numbers are in, e.g. unit: m/s")] : []))
      return invalid(range)
    }

    guard let read = readDataFile(path, from: scope.file, at: pathArg.value.range) else { return invalid(range) }
    let data: CSVColumn
    do throws(DataFileError) {
      data = try CSVColumn(csv: read.bytes, column: column)
    } catch {
      let at = if case .missingColumn = error { columnArg.value.range } else { pathArg.value.range }
      var notes: [Note] = []
      if case .missingColumn(let c, let columns) = error, let s = nearest(c, in: columns) {
        notes.append(Note("did you mean '\(s)'?"))
      }
      report(.error(DiagnosticCode("E0286"), "cannot use '\(path)': \(error.message)", at: at, notes: notes))
      return invalid(range)
    }
    let values = data.values.map { $0 * unit.doubleFactor }

    var bandwidth = CSVColumn.silvermanBandwidth(values)
    if let b = given["bandwidth"] {
      let bx = promoteIntToFloat(check(b.value, expected: .quantity(unit.dimension), scope))
      guard let h = bx.constant?.number, bx.type.numericDimension == unit.dimension || bx.type.isError else {
        if !bx.type.isError {
          report(
            .error(
              DiagnosticCode("E0287"),
              "expected a constant bandwidth in \(describe(unit.dimension)), found \(bx.constant == nil ? "a value that varies" : describe(bx.type))",
              at: b.value.range))
        }
        return invalid(range)
      }
      guard h >= 0, h.isFinite else {
        report(.error(DiagnosticCode("E0287"), "expected a bandwidth of 0 or more, found \(text(b.value.range))", at: b.value.range))
        return invalid(range)
      }
      bandwidth = h
    }

    let resultType: SemaType = .quantity(unit.dimension)
    let listType: SemaType = .list(resultType)
    func constant(_ c: ConstValue, _ t: SemaType, _ r: SourceRange) -> TypedExpr {
      TypedExpr(.constant(c), type: t, isRandom: false, constant: c, range: r)
    }
    let sha = SHA256Hex.of(read.bytes)
    if !dataFilesRead.contains(where: { $0.fullPath == read.fullPath }) { dataFilesRead.append(read) }
    let xs = [
      constant(.string(read.displayPath), .string, pathArg.value.range),
      constant(.string(column), .string, columnArg.value.range),
      constant(.string(sha), .string, pathArg.value.range),
      constant(.real(unit.doubleFactor, exact: nil), .float, given["unit"]?.value.range ?? range),
      constant(.list(values.map { .real($0, exact: nil) }), listType, pathArg.value.range),
      constant(.real(bandwidth, exact: nil), resultType, given["bandwidth"]?.value.range ?? range),
      constant(.string(spelled), .string, range),
      constant(.bool(given["bandwidth"] != nil), .bool, range),
    ]
    return TypedExpr(.draw(.empirical, xs), type: resultType, isRandom: true, range: range)
  }

  static func notConstantString(_ what: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0285"), "expected the \(what) as a string literal, found an expression", at: r)
  }

  /// Reads a real-data file named in a scenario. The path must be relative to the folder of
  /// the file that names it and stay inside it (no `..`, not absolute): a scenario's data
  /// travels with the scenario. The reader the driver injects also refuses symbolic links
  /// that leave the main file's folder.
  func readDataFile(_ path: String, from file: Int, at r: SourceRange) -> DataFileRead? {
    let parts = path.split(separator: "/", omittingEmptySubsequences: false)
    guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\\"), !path.contains("\0"),
      !parts.contains(".."), !parts.contains("")
    else {
      report(
        .error(
          DiagnosticCode("E0285"),
          "expected a relative path inside the scenario's folder (no '..', not absolute), found '\(path)'", at: r,
          notes: [Note("copy the data file next to the scenario, e.g. data/\(path.split(separator: "/").last ?? "file.csv")")]))
      return nil
    }
    let from = files.indices.contains(file) ? files[file] : nil
    let folder = from.map { Paths.directory($0.fullPath) } ?? "."
    let full = Paths.join(folder, path)
    let displayFolder = from.map { Paths.directory($0.displayPath) } ?? "."
    let display = displayFolder == "." ? Paths.normalize(path) : Paths.join(displayFolder, path)
    if let cached = dataFilesRead.first(where: { $0.fullPath == full }) { return cached }
    guard let readData else {
      report(.error(DiagnosticCode("E0286"), "cannot read '\(path)': this tool reads no data files", at: r))
      return nil
    }
    do {
      return DataFileRead(displayPath: display, fullPath: full, bytes: try readData(full))
    } catch {
      let why = String(describing: error)
      report(.error(DiagnosticCode("E0286"), why.hasPrefix("cannot read") ? why : "cannot read '\(path)': \(why)", at: r))
      return nil
    }
  }
}

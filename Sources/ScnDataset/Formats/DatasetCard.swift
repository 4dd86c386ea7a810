import Foundation
import ScnEncoding

/// Renders `README.md`: a Hugging Face–style dataset card whose YAML front matter the Hub
/// reads and whose sections say how the data was made, what it is for and what it covers.
enum DatasetCard {
  static func render(_ context: CardContext) -> String {
    let card = context.card
    let identity = context.identity
    let tally = context.tally
    var out = "---\n"
    out += "pretty_name: \(yaml(card.prettyName ?? card.name))\n"
    out += "license: \(context.hubLicense)\n"
    if context.hubLicense == "other" {
      out += "license_name: \(yaml(card.license ?? "not stated by the scenario"))\n"
    }
    out += "task_categories:\n" + card.taskCategories.map { "- \(yaml($0))\n" }.joined()
    out += "size_categories:\n- \(yaml(sizeCategory(context.summary.samples)))\n"
    let tags = ["synthetic", "scn"] + card.tags.filter { $0 != "synthetic" && $0 != "scn" }
    out += "tags:\n" + tags.map { "- \(yaml($0))\n" }.joined()
    out += "---\n\n"

    out += "# \(line(card.prettyName ?? card.name))\n\n"
    out += "## Dataset description\n\n\(paragraph(card.description))\n\n"
    out += "- Samples: \(context.summary.samples), frames: \(context.summary.frames), "
    out += "camera images: \(context.summary.images), labelled objects: \(context.summary.annotations)\n"
    out += "- Version: \(line(card.version)); owner: \(line(card.owner))"
    if let homepage = card.homepage { out += "; homepage: \(line(homepage))" }
    out += "\n- Licence: \(line(card.license ?? "not stated by the scenario"))\n\n"

    out += "## How it was generated\n\n"
    out += "Every sample was drawn, simulated and rendered by `\(identity.generatorName)` \(identity.generatorVersion) "
    out += "from the scenario `\(line(identity.scenario))`. The same scenario files, seed, count, overrides, splits and "
    out += "generator version reproduce this dataset byte for byte.\n\n"
    out += "### Reproduction\n\n"
    out += table(["Field", "Value"], [
      ["Scenario", code(identity.scenario)], ["IR SHA-256", code(identity.irHash)],
      ["Seed", code(String(identity.seed))], ["Samples", String(identity.count)],
      ["Generator", code("\(identity.generatorName) \(identity.generatorVersion)")],
      ["Parameter overrides", identity.overrides.isEmpty ? "none" : identity.overrides.map { code("\($0.name)=\($0.value)") }.joined(separator: ", ")],
      ["Splits", identity.splits.isEmpty ? "none" : identity.splits.map { code("\($0.name)=\(JSONValue.spell($0.fraction))") }.joined(separator: ", ")],
      ["Cover target", identity.coverTarget.map(code) ?? "none"],
      ["Identity SHA-256", code(identity.hash)],
    ])
    out += "\nScenario files (paths relative to the main file's folder):\n\n"
    out += table(["File", "SHA-256"], identity.sources.map { [code($0.path), code($0.sha256)] })
    if !card.params.isEmpty {
      out += "\n### Parameters\n\nDistributions as written in the scenario:\n\n"
      out += table(["Parameter", "Type", "Distribution", "Description"], card.params.map {
        [code($0.name), cell($0.type), code($0.distribution), cell($0.doc)]
      })
    }
    if !card.modelledEffects.isEmpty {
      out += "\n### Environment and weather\n\n"
      if card.environment.isEmpty {
        out += "The scenario sets no environment: a noon sun in a clear sky.\n\n"
      } else {
        out += table(["Field", "Value as written"], card.environment.map { [code($0.name), code($0.distribution)] })
        out += "\n"
      }
      out += "What the sensors model for these conditions:\n\n"
      out += card.modelledEffects.map { "- \(cell($0))\n" }.joined()
    }
    if !card.sensors.isEmpty {
      out += "\n### Sensors\n\n"
      out += table(["Sensor", "Type", "Settings"], card.sensors.map { [code($0.name), cell($0.type), cell($0.settings)] })
    }
    out += "\n### Labels\n\n"
    if !card.labelTypes.isEmpty { out += "Label types: \(card.labelTypes.map(cell).joined(separator: ", ")).\n\n" }
    out += "Classes (the id is the pixel value in `semantic/` images and the COCO category id):\n\n"
    out += table(["Id", "Class", "Palette"], card.classes.sorted { $0.id < $1.id }.map { c in
      [String(c.id), cell(c.name), c.color.map { code("rgb(" + $0.map(String.init).joined(separator: ", ") + ")") } ?? ""]
    })
    let stuff = card.classes.filter { $0.stuff == true }.sorted { $0.id < $1.id }.map { code($0.name) }
    if !stuff.isEmpty {
      out += "\nStuff classes (\(stuff.joined(separator: ", "))) are surfaces without instances: they appear in "
      out += "`semantic/` images, depth and LiDAR, never in instance images, COCO or KITTI labels.\n"
    }
    if let parts = card.partLabels, !parts.isEmpty {
      out += "\nPart labels (the id is the pixel value in `parts/` images, 0 where the pixel shows no labelled "
      out += "part: sky, ground, stuff; also in `part_labels.json`). The table lists every label the program's shapes "
      out += "and assets can make; a frame shows those of the actors in view:\n\n"
      out += table(["Id", "Part label"], parts.map { [String($0.id), code($0.name)] })
    }
    out += "\nBoxes in COCO files are the pixel extent of each object's visible mask; objects with no visible "
    out += "pixel are not labelled. KITTI files use KITTI camera axes (x right, y down, z forward) with the box "
    out += "location at the centre of its bottom face; occlusion levels are 0 below 5 % hidden, 1 below 50 %, 2 above.\n\n"

    out += "## Intended use\n\n\(paragraph(card.intendedUse))\n\n"
    out += "## Out-of-scope use\n\n\(paragraph(card.outOfScopeUse))\n\n"

    out += "## Failure modes targeted\n\n"
    if card.failureModes.isEmpty {
      out += "The scenario names no failure modes.\n\n"
    } else {
      out += table(["Id", "Failure mode", "Cover buckets", "Samples reached"], card.failureModes.enumerated().map { k, mode in
        let covers = mode.covers.map { "\(code($0.point)) in " + $0.buckets.map(cell).joined(separator: ", ") }
        let reached = k < tally.failureModes.count ? tally.failureModes[k].reached : nil
        return [code(mode.id), cell(mode.text), covers.isEmpty ? "none" : covers.joined(separator: "; "),
          reached.map { "\($0) (\(percent(tally.share($0))))" } ?? "—"]
      })
      out += "\nA sample reaches a failure mode when it falls in the listed buckets of every cover point named.\n\n"
    }

    if let assets = card.assets, !assets.isEmpty {
      out += "## Assets\n\n"
      out += "Imported models the images are rendered from (rendered images are derivative works of them). Credit the "
      out += "attributions below wherever the dataset is used or redistributed.\n\n"
      out += table(["Asset", "File", "SHA-256", "Licence", "Attribution", "Used by classes"], assets.map { a in
        [code(a.name), code(a.file), code(a.sha256), cell(a.license), a.attribution.map(cell) ?? "—",
         a.classes.isEmpty ? "—" : a.classes.map(code).joined(separator: ", ")]
      })
      out += "\n"
    }
    out += "## Coverage\n\n"
    if tally.points.isEmpty {
      out += "The scenario declares no cover points.\n\n"
    } else {
      for point in tally.points {
        out += "### \(line(point.name))\n\n"
        if let mode = point.failureMode { out += "Serves failure mode \(code(mode)).\n\n" }
        out += table(["Bucket", "Samples", "Share", "Target"], point.buckets.map { b in
          [cell(b.name) + (b.planned ? "" : " (unplanned)"), String(b.count), percent(tally.share(b.count)),
           point.target.map { b.count >= $0 ? "\($0) ✓" : "\($0) ✗" } ?? "—"]
        })
        out += "\n"
      }
    }
    if let focus = card.focus {
      out += "## Focus\n\n"
      out += "Sampling was re-weighted by `generate --focus \(focus.gapsPath)` (sha256 `\(focus.gapsHash)`): the gaps that "
      out += "an evaluation (\(cell(focus.metric)) of predictions with sha256 `\(focus.predictionsHash)` on the dataset with "
      out += "identity `\(focus.evaluatedDataset)`) found in \(focus.slices.map(code).joined(separator: ", ")). "
      out += "\(percent(focus.share)) of the samples aim at the buckets below (stratified over them); the rest are drawn "
      out += "as the scenario says. Each sample's weight in `samples.jsonl` (`guidance.weight`) undoes the re-weighting: "
      out += "the mean of weight × statistic estimates the statistic under the scenario's own distribution.\n\n"
      out += table(["Cover point", "Focus buckets", "Share when evaluated", "Share here"], focus.points.map { p in
        let here = tally.points.first { $0.name == p.point }.map { point in
          point.buckets.filter { p.buckets.contains($0.name) }.reduce(0) { $0 + $1.count }
        }
        return [code(p.point), p.buckets.map(cell).joined(separator: ", "), p.evaluatedShare.map(percent) ?? "—",
          here.map { percent(tally.share($0)) } ?? "—"]
      })
      out += "\n"
    }
    out += "## Requirement acceptance\n\n"
    out += "\(tally.samples) samples accepted out of \(tally.attempts) attempts"
    out += tally.acceptanceRate.map { " (acceptance rate \(percent($0)))" } ?? ""
    out += ".\n\n"
    if !tally.requirements.isEmpty {
      out += table(["Requirement", "Statement", "Rejections"], tally.requirements.map {
        [code($0.name), $0.text.map(code) ?? "", String($0.count)]
      })
      out += "\n"
    }

    out += "## Dataset structure\n\n"
    // Only the folders this dataset has.
    let layout: [(folder: String, line: String)] = [
      ("images/", "images/{camera}/{sample:06}_{frame:04}.png   RGB, 8-bit"),
      ("depth/", "depth/{camera}/{sample:06}_{frame:04}.png    16-bit depth, millimetres"),
      ("instance/", "instance/{camera}/…png   16-bit instance ids (0 = background)"),
      ("semantic/", "semantic/{camera}/…png   class ids (table above)"),
      ("parts/", "parts/{camera}/…png   16-bit part-label ids (part_labels.json)"),
      ("lidar/", "lidar/{sensor}/{sample:06}_{frame:04}.ply   x y z intensity ring"),
      ("annotations/", "annotations/coco_{camera}.json   annotations/kitti/{camera}/…txt"),
    ]
    out += "```\n"
    for entry in layout where context.entries.contains(where: { $0.path.hasPrefix(entry.folder) }) {
      out += entry.line + "\n"
    }
    if context.cocoFiles.contains(where: { $0.split != nil }) {
      out += "annotations/splits/{split}/coco_{camera}.json   one split's images and labels, same ids\n"
    }
    out += "samples.jsonl  frames.jsonl  calib/{sensor}/{sample:06}.json  coverage.json\n"
    out += "manifest.json  croissant.json  lineage.json\n```\n\n"
    if !tally.splits.isEmpty {
      out += table(["Split", "Fraction", "Samples"], tally.splits.map {
        [code($0.name), $0.fraction.map { JSONValue.spell($0) } ?? "—", String($0.count)]
      })
      out += "\nSamples are assigned to splits by a hash of their index.\n\n"
    }

    out += "## Limitations\n\n\(paragraph(card.limitations))\n\n"
    out += "## Privacy\n\n"
    let synthetic =
      card.realData.isEmpty
      ? "Every sample is generated procedurally from the scenario; the dataset contains no recordings of real people, places or vehicles and no personal data."
      : "Samples are generated procedurally, but some values are drawn from real measurements (below); no file of real data is copied into the dataset."
    out += paragraph(card.privacy ?? synthetic)
    out += privacySection(context.audit)
    out += "\n## Provenance\n\n"
    out += "`manifest.json` lists every file with its size and SHA-256 (`scn verify` re-checks them); "
    out += "`croissant.json` describes the files and records in MLCommons Croissant 1.0; `lineage.json` is the "
    out += "OpenLineage run event linking the scenario files to this dataset.\n\n"
    out += "## Citation\n\n"
    if let citation = card.citation {
      out += fenced(citation)
    } else {
      out += "No citation was given; please cite the scenario's owner, \(line(card.owner)).\n"
    }
    return out
  }

  /// The Hub's size buckets, by number of samples.
  static func sizeCategory(_ n: Int) -> String {
    switch n {
    case ..<1_000: return "n<1K"
    case ..<10_000: return "1K<n<10K"
    case ..<100_000: return "10K<n<100K"
    case ..<1_000_000: return "100K<n<1M"
    case ..<10_000_000: return "1M<n<10M"
    default: return "10M<n<100M"
    }
  }

  /// A YAML double-quoted scalar. JSON's escapes are valid YAML; besides them, every
  /// character YAML does not allow unescaped (C1 controls, DEL, NEL, line and paragraph
  /// separators, BOM, non-characters) is written as `\uXXXX`, so no annotation text can end
  /// the scalar, the line or the front matter.
  static func yaml(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
        || [0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF].contains(scalar.value):
        let hex = String(scalar.value, radix: 16, uppercase: true)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }

  /// Annotation text inline in Markdown: on one line, with every character that could start
  /// Markdown syntax or raw HTML backslash-escaped (CommonMark renders `\*` as `*`), so a
  /// scenario's text shows as written and cannot add headings, links, code fences or HTML.
  static func line(_ s: String) -> String {
    var out = ""
    for scalar in s.unicodeScalars {
      if scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format
        || scalar == "\u{2028}" || scalar == "\u{2029}"
      {
        // Newlines and other controls become spaces: they would end the line or hide text.
        if !out.hasSuffix(" ") { out += " " }
        continue
      }
      if markdownSpecial.contains(scalar) { out += "\\" }
      out.unicodeScalars.append(scalar)
    }
    out = out.trimmingCharacters(in: .whitespaces)
    // What only means something at the start of a line: a heading, a list item, a setext
    // underline (`-`, `+`, `=`, `#`), an ordered list item (`1.` or `1)`).
    if let first = out.unicodeScalars.first, "#-+=".unicodeScalars.contains(first) {
      out = "\\" + out
    } else {
      let digits = out.prefix { $0.isASCII && $0.isNumber }
      let rest = out.dropFirst(digits.count)
      if !digits.isEmpty, let next = rest.first, next == "." || next == ")" {
        out = digits + "\\" + rest
      }
    }
    return out
  }

  /// ASCII punctuation that has a meaning anywhere in a CommonMark/GFM line: emphasis, code
  /// spans, links and images, raw HTML, entities, tables, strikethrough, escapes.
  static let markdownSpecial: Set<Unicode.Scalar> = Set("\\`*_[]<>|~&".unicodeScalars)

  /// A paragraph of annotation text: its own line breaks kept (blank lines separate
  /// paragraphs), each line escaped as `line` does and stripped of the indentation that would
  /// make it a code block.
  static func paragraph(_ s: String) -> String {
    let trimmed = s.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !trimmed.isEmpty else { return "Not stated by the scenario." }
    var lines: [String] = []
    for raw in trimmed.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
      lines.append(line(String(raw)))
    }
    // Two or more blank lines are one paragraph break.
    var out: [String] = []
    for l in lines where !(l.isEmpty && out.last?.isEmpty == true) { out.append(l) }
    return out.joined(separator: "\n")
  }

  static func cell(_ s: String) -> String { line(s) }

  /// Text as a code span: on one line, with backticks (which would end the span) turned into
  /// `'` and `|` escaped for tables.
  static func code(_ s: String) -> String {
    let flat = s.unicodeScalars.map { scalar -> String in
      let category = scalar.properties.generalCategory
      if category == .control || category == .format || scalar == "\u{2028}" || scalar == "\u{2029}" { return " " }
      if scalar == "`" { return "'" }
      if scalar == "|" { return "\\|" }
      return String(scalar)
    }.joined()
    return "`" + flat + "`"
  }

  /// A fenced code block holding `s` verbatim: the fence is longer than any run of backticks
  /// in the text, so the text cannot close it. Control characters other than line breaks
  /// and tabs are dropped.
  static func fenced(_ s: String) -> String {
    var longest = 0, run = 0
    var text = ""
    for scalar in s.unicodeScalars {
      run = scalar == "`" ? run + 1 : 0
      longest = max(longest, run)
      if scalar.properties.generalCategory == .control, scalar != "\n", scalar != "\t" { continue }
      text.unicodeScalars.append(scalar)
    }
    let fence = String(repeating: "`", count: max(3, longest + 1))
    return fence + "\n" + text + "\n" + fence + "\n"
  }

  static func percent(_ x: Double) -> String {
    let tenths = (x * 1000).rounded()
    return "\(Int(tenths) / 10).\(Int(tenths) % 10) %"
  }

  static func table(_ header: [String], _ rows: [[String]]) -> String {
    var out = "| " + header.joined(separator: " | ") + " |\n"
    out += "|" + header.map { _ in " --- |" }.joined() + "\n"
    for row in rows { out += "| " + row.joined(separator: " | ") + " |\n" }
    return out
  }
}

extension DatasetCard {
  /// The real-data inputs (path, SHA-256, rows, column, unit, kernel bandwidth) and how
  /// close the generated records came to the real ones, against `@privacy`'s policy.
  /// A number to six significant digits (`0.0299113`), for figures a reader compares by eye.
  static func significant(_ x: Double) -> String {
    guard x.isFinite, x != 0 else { return JSONValue.spell(x) }
    let digits = 5 - Int(log10(abs(x)).rounded(.down))
    let scale = pow(10, Double(max(0, min(digits, 15))))
    return JSONValue.spell((x * scale).rounded() / scale)
  }

  static func privacySection(_ audit: PrivacyAudit) -> String {
    guard !audit.inputs.isEmpty else { return "\n" }
    var out = "\n\n### Real data\n\n"
    out += table(
      ["File", "SHA-256", "Rows", "Column", "Unit", "Kernel bandwidth"],
      audit.inputs.map { input in
        [
          code(input.path), code(input.sha256), String(input.values.count), code(input.column),
          input.unit.isEmpty ? "—" : code(input.unit),
          significant(input.bandwidth) + (input.unit.isEmpty ? "" : " " + input.unit)
            + (input.bandwidthDeclared ? " (declared)" : " (Silverman's rule)"),
        ]
      })
    out += "\nEach value `empirical` draws is one row of its column, chosen uniformly, plus Gaussian noise of the "
    out += "kernel bandwidth; columns are drawn independently of each other. `samples.jsonl` records every drawn "
    out += "value (`empirical`, in the file's unit).\n\n"
    out += "### Distance to real records\n\n"
    guard !audit.records.isEmpty else {
      return out + "No sample drew a value from the real data.\n"
    }
    out += "A generated record is one drawn value; its distance is the gap to the nearest real value of its column, "
    out += "in standard deviations of that column.\n\n"
    let qs: [(String, Double)] = [("min", 0), ("1 %", 0.01), ("5 %", 0.05), ("25 %", 0.25), ("median", 0.5)]
    out += table(
      ["Records"] + qs.map(\.0),
      [[String(audit.records.count)] + qs.map { q in audit.quantile(q.1).map { JSONValue.spell(($0 * 1e4).rounded() / 1e4) } ?? "—" }])
    if let policy = audit.policy, let share = audit.closeShare {
      out += "\n`@privacy` allows at most \(percent(policy.maxShare)) of records closer than "
      out += "\(JSONValue.spell(policy.minRecordDistance)) standard deviations to a real record; "
      out += "\(percent(share)) are (\(audit.passes ? "met" : "not met")).\n"
    } else {
      out += "\nNo `@privacy(min_record_distance:, max_share:)` policy was declared, so nothing was enforced.\n"
    }
    return out
  }
}

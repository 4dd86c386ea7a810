import ScnGeometry
import ScnScene
import Testing

@Suite struct PartLabelTableTests {
  /// Every built-in shape kind, in the variants that change its parts.
  static let requests: [ShapeRequest] = {
    var out: [ShapeRequest] = []
    for kind in ["box", "cylinder", "sphere", "lamp_post", "car", "van", "truck", "bus", "forklift", "pallet", "mug",
                 "bottle", "bowl", "can"] {
      out.append(ShapeRequest(kind: kind, size: kindSize(kind)))
    }
    out.append(ShapeRequest(kind: "frame", size: Vec3(2.7, 1.1, 4), parameters: ["levels": .reals([1.5, 3])]))
    for pose in ["standing", "walking", "running", "sitting"] {
      for child in [false, true] {
        out.append(
          ShapeRequest(kind: "person", size: Vec3(0.6, 0.5, 1.75), parameters: ["pose": .name(pose), "child": .flag(child)]))
      }
    }
    out.append(ShapeRequest(kind: "person", size: Vec3(0.9, 0.5, 1.75), parameters: ["pose": .name("walking"), "gait_phase": .real(0.3)]))
    for rider in [false, true] {
      out.append(ShapeRequest(kind: "bicycle", size: Vec3(1.8, 0.6, 1.8), parameters: ["rider": .flag(rider)]))
    }
    return out
  }()

  static func kindSize(_ kind: String) -> Vec3 {
    switch kind {
    case "car": Vec3(4.5, 1.8, 1.5)
    case "van": Vec3(5.2, 2, 2.2)
    case "truck": Vec3(8, 2.5, 3.5)
    case "bus": Vec3(12, 2.55, 3.2)
    case "forklift": Vec3(3, 1.2, 2.2)
    case "pallet": Vec3(1.2, 0.8, 0.144)
    case "mug", "bottle", "bowl", "can": Vec3(0.12, 0.09, 0.1)
    default: Vec3(1, 1, 2)
    }
  }

  @Test func everyBuiltInLabelIsInTheTable() {
    let table = PartLabelTable()
    var seen: Set<String> = []
    for request in Self.requests {
      for part in ActorShapes.parts(request) {
        guard let label = part.label else { continue }
        seen.insert(label)
        #expect(table.id(of: label) != 0, "\(request.kind) makes part label \(label), missing from PartLabelTable.builtIn")
      }
    }
    // The builders did run: a person, a car and a cyclist's machine label their parts.
    #expect(seen.isSuperset(of: ["head", "foot_left", "wheel_front_left", "head_lamp_right", "saddle", "deck_board"]))
  }

  @Test func idsFollowTheSortedNamesFromOne() {
    let table = PartLabelTable(extra: ["zz_imported", "aa_imported", "head", ""])
    #expect(table.names == table.names.sorted())
    #expect(Set(table.names).count == table.names.count)
    #expect(table.names.first == "aa_imported")
    #expect(table.names.last == "zz_imported")
    #expect(table.id(of: "aa_imported") == 1)
    #expect(table.id(of: "zz_imported") == UInt16(table.names.count))
    #expect(table.id(of: nil) == 0)
    #expect(table.id(of: "not_a_label") == 0)
    #expect(!table.names.contains(""))
    // Built-in ids depend only on the table's contents: two programs with the same assets agree.
    #expect(PartLabelTable(extra: ["b", "a"]) == PartLabelTable(extra: ["a", "b", "a"]))
    #expect(PartLabelTable().id(of: "head") == UInt16((PartLabelTable.builtIn.firstIndex(of: "head") ?? -2) + 1))
  }
}

import ScnLowering
import ScnSema
import Testing

/// What LANGUAGE.md promises of the StdLib, checked against the real `StdLib/` folder.
@Suite struct StdLibContractTests {
  static let all = TestSupport.compile(
    """
    import std.vehicles
    import std.pedestrians
    import std.warehouse
    import std.tabletop
    scenario Empty { }
    """)

  @Test func stdlibChecksCleanly() {
    let errors = Self.all.diagnostics.filter { $0.severity == .error }.map { "\($0.code) \($0.message)" }
    #expect(errors.isEmpty)
  }

  @Test func everyActorHasTheCoreFields() throws {
    let types = try #require(Self.all.checked?.recordTypes)
    let actor = try #require(types.first { $0.name == "Actor" })
    let names = Set(actor.fields.map(\.name))
    for field in ["position", "heading", "size", "color", "class", "mass", "speed"] {
      #expect(names.contains(field), "Actor lacks \(field)")
    }
    for t in types where !t.isSensor && t.name != "Actor" {
      #expect(t.bases.last == "Actor", "\(t.name) does not derive from Actor")
    }
  }

  @Test(arguments: [
    ("Box", 0.4, 0.4, 0.4), ("Car", 4.5, 1.8, 1.5), ("Truck", 8, 2.5, 3.2), ("Pedestrian", 0.5, 0.5, 1.75),
    ("Cyclist", 1.8, 0.6, 1.7), ("Forklift", 2.5, 1.2, 2.2), ("Pallet", 1.2, 0.8, 0.144), ("Rack", 2.7, 1.1, 4),
  ])
  func defaultSizesMatchLanguageMD(_ name: String, _ l: Double, _ w: Double, _ h: Double) throws {
    let types = try #require(Self.all.checked?.recordTypes)
    let t = try #require(types.first { $0.name == name }, "missing actor \(name)")
    let size = try #require(t.fields.first { $0.name == "size" }?.defaultValue?.constant)
    #expect(
      size == .tuple([.real(l, exact: nil), .real(w, exact: nil), .real(h, exact: nil)])
        || numbers(size) == [l, w, h])
  }

  func numbers(_ v: ConstValue) -> [Double] {
    if case .tuple(let xs) = v { return xs.compactMap(\.number) }
    return []
  }

  @Test func promisedTypesExist() throws {
    let types = Set(try #require(Self.all.checked?.recordTypes).map(\.name))
    for name in [
      "Actor", "Prop", "Vehicle", "Car", "Truck", "Bus", "Pedestrian", "Cyclist", "Forklift", "Pallet",
      "Rack", "Box", "Table", "Mug", "Bottle", "Bowl", "Camera", "Lidar",
    ] {
      #expect(types.contains(name), "StdLib lacks \(name)")
    }
  }

  @Test(arguments: [
    "m", "cm", "mm", "km", "s", "ms", "min", "h", "kg", "g", "deg", "rad", "Hz", "lx", "mph", "km/h",
    "m/s^2",
  ])
  func promisedUnitsResolve(_ unit: String) {
    let r = TestSupport.compile("scenario U { let x = 1\(unit) }")
    #expect(!r.diagnostics.contains { $0.severity == .error }, "unit \(unit) does not resolve")
  }

  @Test func behaviorPrimitivesAndRegionsAreCallable() {
    let r = TestSupport.compile(
      """
      import std.vehicles
      @dataset(name: "t", version: "1", license: "MIT")
      @intended_use("t")
      @out_of_scope("t")
      scenario P {
          let r = road(start: (0m, 0m, 0m), heading: 0deg, segments: [straight(50m), arc(radius: 20m, turn: 45deg)],
                       lanes: 2, lane_width: 3.5m)
          ego car = Car on lane(r, 0) with behavior follow_lane(30km/h)
          let a = Car at (10m, 0m, 0m) with behavior drive(10m/s, 2deg)
          let b = Car on rect((0m, 20m, 0m), 4m, 8m) with behavior set_speed(5m/s)
          let c = Car on polygon([(0m, 0m, 0m), (5m, 0m, 0m), (0m, 5m, 0m)]) with behavior stop()
          let p = Car at (30m, 0m, 0m) with behavior walk_to((40m, 0m, 0m), 1m/s)
          let shade = rgb(0.2, 0.3, 0.4)
      }
      """)
    #expect(r.diagnostics.isEmpty, "\(r.diagnostics.map(\.message))")
  }
}

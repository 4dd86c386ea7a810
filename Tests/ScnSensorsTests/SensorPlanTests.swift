import ScnGeometry
import ScnScene
import Testing

@testable import ScnSensors

/// Sensor plans read from language-neutral requests, and the ray-cast visibility query.
@Suite struct SensorPlanTests {
  static func request(_ type: String, _ parameters: [String: SensorParameter], mountPose: Transform? = nil) -> SensorRequest {
    SensorRequest(
      name: "s", type: type, mount: mountPose == nil ? nil : "ego", pose: Transform(position: Vec3(1, 2, 1.5), yaw: 0.5),
      mountPose: mountPose, parameters: parameters)
  }

  @Test func aCameraTakesItsFieldsAndThePreludeDefaultsForTheRest() throws {
    let plan = try SensorPlan(Self.request("Camera", [
      "resolution": .tuple([.int(320), .real(200)]), "exposure": .name("fixed"), "ev": .int(9),
      "outputs": .list([.name("depth"), .name("rgb")]),
    ]))
    guard case .camera(let w, let h, let fov, let lens, let outputs) = plan.kind else {
      Issue.record("not a camera")
      return
    }
    #expect(w == 320 && h == 200 && fov == .pi / 2 && lens == .pinhole && outputs == ["depth", "rgb"])
    #expect(plan.exposure == .fixed(ev100: 9) && plan.samplesPerPixel == 1 && plan.rateHz == 10)
    #expect(plan.typeName == "Camera")
  }

  @Test func badSettingsAreErrorsThatNameTheSensor() {
    #expect(throws: SensorPlanError.self) { try SensorPlan(Self.request("Camera", ["resolution": .tuple([.int(0), .int(10)])])) }
    #expect(throws: SensorPlanError.self) { try SensorPlan(Self.request("Camera", ["fov": .real(.pi)])) }
    #expect(throws: SensorPlanError.self) { try SensorPlan(Self.request("Lidar", ["channels": .int(5000)])) }
    #expect(throws: SensorPlanError.self) { try SensorPlan(Self.request("Radar", [:])) }
    do {
      _ = try SensorPlan(Self.request("Camera", ["rate": .real(0)]))
      Issue.record("a zero rate was accepted")
    } catch {
      #expect(error.description == "sensor 's' has a non-positive rate")
    }
  }

  @Test func calibrationIsRelativeToTheMount() throws {
    let mount = Transform(position: Vec3(1, 2, 0), yaw: 0.5)
    let plan = try SensorPlan(Self.request("Lidar", ["channels": .int(16)], mountPose: mount))
    let c = plan.calibration
    #expect(c.mount == "ego" && c.kind == .lidar && c.settings?["channels"] == "16")
    #expect(abs(c.extrinsics.position.x) < 1e-12 && abs(c.extrinsics.position.y) < 1e-12 && abs(c.extrinsics.position.z - 1.5) < 1e-12)
    let world = try SensorPlan(Self.request("Lidar", [:])).calibration
    #expect(world.mount == "world" && abs(world.extrinsics.position.x - 1) < 1e-12)
  }

  @Test func rayCastVisibilitySeesAnOpenTargetAndNotAHiddenOne() {
    let view = SensorView(
      pose: Transform(position: Vec3(0, 0, 1), yaw: 0), horizontalFOV: .pi / 2, verticalFOVLower: -0.6,
      verticalFOVUpper: 0.6, minRange: 0, maxRange: 100)
    let target = [Part(.box(size: Vec3(1, 1, 1)), transform: Transform(translation: Vec3(10, 0, 1)))]
    let wall = [Part(.box(size: Vec3(0.2, 6, 6)), transform: Transform(translation: Vec3(5, 0, 1)))]
    let open = RayCastVisibility().query(target: target, occluders: [], from: view, horizontalResolution: nil, channels: nil)
    #expect(open.visible && open.occlusion == 0)
    let hidden = RayCastVisibility().query(target: target, occluders: wall, from: view, horizontalResolution: nil, channels: nil)
    #expect(!hidden.visible && hidden.occlusion == 1)
    let scan = RayCastVisibility().query(
      target: target, occluders: [], from: view, horizontalResolution: 0.2 * .pi / 180, channels: 32)
    #expect(scan.visible && scan.lidarPoints > 0)
  }
}

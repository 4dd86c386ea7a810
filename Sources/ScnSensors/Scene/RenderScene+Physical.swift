import ScnScene

extension RenderScene {
  /// What the sensors see of a sampled scene (`ScnRuntime.SceneModel`, docs/scene-model.md):
  /// its objects, stuff and lamps under the light and weather its conditions give.
  public init(_ scene: some PhysicalScene) {
    self.init(objects: scene.objects, stuff: scene.stuff, environment: Environment(scene.conditions), lights: scene.lights)
  }
}

/// A sampled scene's physical content (docs/scene-model.md): what every sensor reads.
/// `ScnRuntime.SceneModel` is one; the sensors build their `RenderScene` from any.
public protocol PhysicalScene {
  var objects: [SceneObject] { get }
  /// Roads, lane markings, kerbs, sidewalks and walls (no instances).
  var stuff: Stuff { get }
  var lights: [Light] { get }
  var conditions: Conditions { get }
}

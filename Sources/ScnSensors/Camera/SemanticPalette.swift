import ScnScene

/// Display colours for semantic ids (for previews; the semantic PNG stores the raw id).
/// 0 sky → (70, 130, 180) and 1 ground → (128, 64, 128), as in Cityscapes; every other id
/// gets a fixed hue stepped by the golden angle so neighbouring ids differ clearly.
public enum SemanticPalette {
  public static func colour(of id: UInt8) -> [UInt8] {
    switch id {
    case SemanticClass.sky: return [70, 130, 180]
    case SemanticClass.ground: return [128, 64, 128]
    default:
      let hue = (Double(id - 2) * 137.507_764 + 30).truncatingRemainder(dividingBy: 360) / 60
      let x = 1 - abs(hue.truncatingRemainder(dividingBy: 2) - 1)
      let (r, g, b): (Double, Double, Double) =
        switch Int(hue) {
        case 0: (1, x, 0)
        case 1: (x, 1, 0)
        case 2: (0, 1, x)
        case 3: (0, x, 1)
        case 4: (x, 0, 1)
        default: (1, 0, x)
        }
      return [r, g, b].map { UInt8(40 + 200 * $0) }
    }
  }
}

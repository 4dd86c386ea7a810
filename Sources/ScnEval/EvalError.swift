/// Why an evaluation could not run. Messages name the file and, for a prediction, the
/// record (`predictions[17]`, counting from 0) and are shown to the user as they are.
public enum EvalError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The predictions file is not a JSON array of detection records.
  case malformedPredictions(offset: Int, reason: String)
  /// One record is well-formed JSON but not a valid detection.
  case badRecord(index: Int, reason: String)
  /// A dataset file is missing or unreadable as the evaluation needs it.
  case dataset(path: String, reason: String)
  /// A gaps file that does not belong to the scenario being generated.
  case foreignGaps(reason: String)
  /// An option out of its range (`--iou`, `--below`).
  case option(String)

  public var description: String {
    switch self {
    case .malformedPredictions(let offset, let reason):
      return "predictions: invalid COCO results at byte \(offset): \(reason)"
    case .badRecord(let index, let reason):
      return "predictions[\(index)]: \(reason)"
    case .dataset(let path, let reason):
      return "\(path): \(reason)"
    case .foreignGaps(let reason):
      return "gaps file: \(reason)"
    case .option(let reason):
      return reason
    }
  }
}

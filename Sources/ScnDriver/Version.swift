/// The compiler's version: recorded in every manifest, card and IR dump, so bump it with
/// any change that can alter generated data.
public enum ScnVersion {
  public static let string = "0.1.0"
}

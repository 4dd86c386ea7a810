/// `generate --focus`: a share of the samples aims at chosen buckets of some cover points
/// (the gaps an evaluation found); the rest are drawn naturally.
///
/// Sample `i` is focused when `frac(i · φ) < share` (a Weyl sequence on 64-bit integers, so a
/// pure function of `i`, the same in any shard). A focused sample aims, like `--cover-target`,
/// at one combination of the focus buckets (stratified over the indices), drawing the cover
/// value conditioned on its bucket when it is a single draw and rejecting otherwise.
///
/// Weights (recorded per sample) keep estimates of the natural distribution unbiased with the
/// stratified estimator `mean(wᵢ · f(xᵢ))`: a focused sample weighs `P(b) · K / share`, where
/// `P(b)` is the natural probability of the aimed-at combination (known exactly for
/// conditioned draws, otherwise the weight is null) and `K` the number of combinations; an
/// unfocused sample weighs `1 / (1 − share)` outside the focus region and 0 inside it (that
/// region is estimated from the focused samples alone).
public struct SamplerFocus: Sendable, Equatable {
  public struct Point: Sendable, Equatable {
    public var point: String
    /// Bucket labels, as `CoverSpec.label` writes them.
    public var buckets: [String]
    public init(point: String, buckets: [String]) {
      self.point = point
      self.buckets = buckets
    }
  }
  public var points: [Point]
  /// The fraction of samples that aim at the focus buckets, in (0, 1).
  public var share: Double

  public init(points: [Point], share: Double) {
    self.points = points
    self.share = share
  }

  public func isFocused(_ index: UInt64) -> Bool {
    let u = Double((index &* 0x9E37_79B9_7F4A_7C15) >> 11) / Double(UInt64(1) << 53)
    return u < share
  }

  /// Whether a sample whose bucket of each point is `bucket(point)` lies in the focus region.
  public func contains(_ bucket: (String) -> String?) -> Bool {
    points.allSatisfy { p in bucket(p.point).map(p.buckets.contains) ?? false }
  }
}

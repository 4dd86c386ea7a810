/// Runtime decisions that are random but belong to no draw site of the scenario. Each has its
/// own family of streams, disjoint from every site stream and from the other domains.
///
/// The raw values are part of the reproducibility contract: never renumber, only append.
public enum RandomDomain: UInt32, Sendable, CaseIterable {
  /// Which split (train/val/test) sample `index` belongs to.
  case splitAssignment = 1
  /// Whether a soft requirement is enforced in one attempt (subkey = attempt, draw = requirement).
  case softRequirement = 2
  /// The stratified permutation of cover buckets for one block of samples (subkey = cover target).
  case coverBucket = 3
  /// Which component of a weighted `include` mixture sample `index` uses (subkey = nesting depth).
  case mixtureComponent = 4
  /// Which branch an `either` takes in a behavior (subkey = attempt, draw = a hash of the
  /// either's site, the actor's record and how many times that actor reached the either).
  case behaviorChoice = 5
  /// Which sub-scenario a `do choose` step of `compose` runs, or which one a `do shuffle` step
  /// runs next (index = sample, subkey = attempt, draw = step index × 1024 + pick number).
  case subScenarioChoice = 6
}

/// A uniform number on [0, 1) that is a pure function of its arguments: draw number `draw` of
/// the domain stream `(seed, domain, index, subkey)`, computed directly (no stream state).
///
/// For example the split of sample `i` is `uniform01(seed: s, domain: .splitAssignment, index: i)`,
/// and the coin of soft requirement `r` in attempt `a` of sample `i` is
/// `uniform01(seed: s, domain: .softRequirement, index: i, subkey: a, draw: r)`.
public func uniform01(
  seed: UInt64, domain: RandomDomain, index: UInt64, subkey: UInt32 = 0, draw: UInt32 = 0
) -> Double {
  let stream = RandomStream(seed: seed, domain: domain, index: index, subkey: subkey)
  return Double(stream.uint64(at: draw) >> 11) * 0x1p-53
}

import ScnSource

/// Re-exported so the unit table can suggest names without its clients importing ScnSource.
func nearestName(_ name: String, in candidates: [String]) -> String? {
  nearest(name, in: candidates)
}

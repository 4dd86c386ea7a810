import ScnMap
import ScnScene
import Testing

@testable import ScnRuntime

/// A traffic light's part labels have ids in the `parts/` images (PartLabelTable.builtIn).
@Suite struct TrafficLightPartLabelTests {
  @Test func everyPhaseLabelIsInThePartLabelTable() {
    let table = PartLabelTable()
    for state in [LightState.red, .yellow, .green] {
      let labels = TrafficLights.parts(state).compactMap(\.label)
      #expect(labels.count == 5)
      for label in labels { #expect(table.id(of: label) != 0, "\(label) is not in PartLabelTable.builtIn") }
    }
  }
}

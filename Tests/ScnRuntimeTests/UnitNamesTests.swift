import ScnRuntime
import ScnUnits
import Testing

@Suite struct UnitNamesTests {
  @Test func spellsDerivedDimensionsInBaseUnits() {
    let length = Dimension(base: "Length"), time = Dimension(base: "Time")
    #expect(UnitNames.prelude.spell(length) == "m")
    #expect(UnitNames.prelude.spell(length / time) == "m/s")
    #expect(UnitNames.prelude.spell(length / time.power(2)) == "m/s^2")
    #expect(UnitNames.prelude.spell(time.power(-1)) == "1/s")
    #expect(UnitNames.prelude.spell(.dimensionless) == "")
  }
}

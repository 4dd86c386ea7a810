import Testing
@testable import ScnSyntax

@Suite struct SmokeTests {
  @Test func languageExample() throws {
    let p = parse(#"""
import std.warehouse

@dataset(name: "warehouse-pallets", version: "0.3.0", license: "CC-BY-4.0")
@description("Forklift-camera views of pallets in an aisle, for pallet detection.")
@failure_mode(id: "FM-07", "pallet partly occluded by a rack upright")
scenario PalletAisle {
    @doc("Aisle width between racks")
    param aisle_width: Length = uniform(2.5m, 4.0m)
    param light: Illuminance = choice { 0.7: 500lx, 0.3: uniform(50lx, 200lx) }

    ego forklift = Forklift at (0m, 0m, 0m) facing 0deg
    let n = uniform_int(3, 8)
    let pallets = [Pallet at (uniform(5m, 25m), uniform(-aisle_width / 2, aisle_width / 2), 0m)
                          facing normal(0deg, 5deg) for _ in 0..<n]

    require all p in pallets: distance(forklift, p) > 3m
    require visible(pallets[0], from: camera)
    require[0.9] n >= 4                          // soft: enforced on 90% of attempts

    environment { light: light, fog: uniform(0.0, 0.2) }
    sensor camera = Camera { mount: forklift, offset: (0m, 0m, 1.8m), resolution: (640, 480),
                             fov: 90deg, rate: 10Hz, outputs: [rgb, depth, instance, semantic, boxes2d] }
    simulate 3s at 100Hz                         // physics step; sensors record at their rate

    cover pallets_seen: n                        // Int: one bucket per value
    cover light_level: light buckets [0lx, 100lx, 300lx, 1000lx]
}
"""#)
    print(p.dump)
    print(p.rendered)
    #expect(p.diagnostics.isEmpty)
  }
}

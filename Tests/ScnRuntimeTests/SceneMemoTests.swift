import Foundation
import ScnEncoding
import ScnLowering
import ScnRuntime
import Testing

/// `Scene.write(into:memo:)` copies the parts of a scene that print as in the previous
/// scene; the bytes must be those of `write(into:)`, scene after scene, whatever changes.
@Suite struct SceneMemoTests {
  /// Writes every scene alone and through one memo, in order, and compares line by line;
  /// returns how many lines were the same and how many parts came from the memo.
  static func compare(_ scenes: [Scene], _ label: String) -> (same: Int, hits: Int) {
    var memo = SceneJSONMemo()
    var remembered = JSONBytes.cachingNumbers()
    for (i, scene) in scenes.enumerated() {
      var plain = JSONBytes()
      scene.write(into: &plain)
      remembered.removeAll()
      scene.write(into: &remembered, memo: &memo)
      #expect(remembered.bytes == plain.bytes, "\(label), scene \(i):\n\(remembered.text)\n\(plain.text)")
      if remembered.bytes != plain.bytes { return (i, memo.hits) }
    }
    return (scenes.count, memo.hits)
  }

  /// Every example (mixtures, behaviors, sensors, random materials, colours and
  /// environments, lists of random length), 150 scenes each.
  @Test(arguments: ExampleSamplingTests.examples)
  func examplesPrintTheSameWithAMemo(_ name: String) throws {
    let path = SamplerSupport.examples.appendingPathComponent(name).path
    let result = Compilation.compile(mainFile: path, readFile: SamplerSupport.readFile, stdlibRoot: SamplerSupport.stdlibRoot)
    let program = try #require(result.program)
    let run = try Sampler(program: program, options: SamplerOptions(seed: 3, maxAttempts: 10_000)).run(start: 0, count: 150)
    #expect(run.failure == nil)
    let (same, hits) = Self.compare(run.scenes, name)
    #expect(same == 150)
    // Every example has an actor or an environment that prints alike in some scenes.
    #expect(hits > 0)
  }

  /// The n-th actor changes type, colour, size and behavior from scene to scene; params,
  /// covers and the environment are random. Enough scenes that
  /// parts pause after their misses and come back.
  @Test func changingActorsPrintTheSameWithAMemo() throws {
    let scenes = try SamplerSupport.scenes("""
      behavior Wait(speed: Speed) {
          do set_speed(speed) for 1s
      }
      scenario Memo {
          param n: Int = uniform_int(0, 3)
          param shade: Float = choice { 0.5: 0.25, 0.5: 0.75 }
          ego robot = Box at (0m, 0m, 0m) facing 0deg
          let first = [Box at (3m * i, 20m, 0m) for i in 0..<n]
          let tinted = [Box { color: rgb(shade, 0.5, uniform(0.0, 1.0)) } at (3m * i, 40m, 0m) for i in 0..<uniform_int(0, 2)]
          let sized = Box { size: (uniform(0.2m, 0.4m), 0.3m, 0.3m) } at (0m, -20m, 0m)
          let walker = Box at (0m, -40m, 0m) with behavior Wait(uniform(1m/s, 2m/s))
          sensor camera = Camera { mount: robot, offset: (0.2m, 0m, 1.1m), fov: 70deg }
          environment { fog: choice { 0.9: 0.0, 0.1: uniform(0.1, 0.5) }, weather: choice { 0.5: clear, 0.5: rain } }
          cover s: shade buckets [0.0, 0.5, 1.0]
          allow overlap
      }
      """, count: 1500, SamplerOptions(seed: 11))
    let (same, hits) = Self.compare(scenes, "Memo")
    #expect(same == 1500)
    // The ego and the camera's mount print alike in every scene, the rest now and then.
    #expect(hits > 1500)
  }
  /// Records built by one construction share its constant fields (`FieldTemplate`), and the
  /// memo compares only the fields that construction does not fix: a drawn field and a
  /// pitch written by a specifier (`facing directly toward` a point above or level) must
  /// still print as they are, scene after scene.
  @Test func recordsOfOneConstructionPrintTheSameWithAMemo() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario Template {
          ego robot = Box at (0m, 0m, 0m) facing 0deg
          let drawn = [Box { mass: choice { 0.5: 2kg, 0.5: 3kg } } at (3m * i, 20m, 0m) for i in 0..<3]
          let aimed = [Box at (3m * i, -20m, 0m) facing directly toward (3m * i + 5m, -20m, choice { 0.5: 0m, 0.5: 4m })
                       for i in 0..<3]
          allow overlap
      }
      """, count: 600, SamplerOptions(seed: 5))
    let (same, hits) = Self.compare(scenes, "Template")
    #expect(same == 600)
    // The ego and the environment print alike in every scene, the boxes in about half.
    #expect(hits > 1200)
  }
}

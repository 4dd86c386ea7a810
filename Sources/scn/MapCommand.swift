import ArgumentParser
import Foundation
import ScnDriver
import ScnMap

struct MapCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "map",
    abstract: "Summarise an OpenDRIVE road network and draw it from above.",
    discussion: """
      Prints the roads, junctions, total length and lanes by type of an OpenDRIVE (.xodr) file, with the \
      reader's warnings on standard error. With --png, also writes a top-down picture: lanes coloured by type \
      (grey carriageway, light sidewalks), road marks as the file gives them (solid, or broken as 3 m dashes; \
      white or yellow), and arrows showing the direction of travel (yellow \
      inside junctions). Exit status: 0 read (warnings allowed), 1 the file is not valid OpenDRIVE, 2 usage.
      """)

  @Argument(help: "The OpenDRIVE file.")
  var file: String

  @Option(help: ArgumentHelp("Write a top-down picture of the network to this PNG file.", valueName: "FILE"))
  var png: String?

  @Option(help: "Scale of the picture, pixels per metre (the longest side is capped at 8192 pixels).")
  var scale: Double = 2

  func validate() throws {
    guard scale.isFinite, scale > 0, scale <= 100 else { throw ValidationError("--scale must be in (0, 100]") }
  }

  func run() throws {
    let inspection: MapInspection
    do {
      inspection = try MapInspection.inspect(url: URL(fileURLWithPath: file), pixelsPerMetre: png == nil ? nil : scale)
    } catch let error as MapReadError {
      for d in error.earlier { standardError("\(file): \(d)") }
      standardError("\(file): \(error.diagnostic)")
      throw ExitCode(1)
    }
    for d in inspection.diagnostics { standardError("\(file): \(d)") }
    print(inspection.text, terminator: "")
    if let png, let bytes = inspection.png {
      do {
        try Data(bytes).write(to: URL(fileURLWithPath: png))
      } catch {
        standardError("scn: error: cannot write '\(png)'")
        throw ExitCode(2)
      }
    }
  }
}

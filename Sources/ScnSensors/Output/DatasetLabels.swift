import ScnDataset
import ScnGeometry

/// The renderer's frames and poses in the dataset writer's model (`ScnDataset`): the PNGs a
/// camera's outputs ask for, its object labels, and poses.
public enum DatasetLabels {
  /// The PNGs a camera's `outputs` ask for and its labels. The raw instance image goes along
  /// whenever there are 2D labels: the writer derives COCO boxes and masks from it. The PNGs
  /// are encoded on up to `threads` threads (the same bytes for any number).
  public static func cameraFrame(
    _ f: CameraFrame, name: String, frame: Int, outputs: Set<String>, unannotated: Set<UInt32> = [], threads: Int = 1
  ) throws -> ScnDataset.CameraFrame {
    let encoder = PNGEncoder(compressionLevel: 1, filter: .sub)
    // The RGB image carries sensor noise: Huffman coding only, no search for repeats
    // (`PNGStrategy.huffman`).
    let photo = PNGEncoder(compressionLevel: 1, filter: .sub, strategy: .huffman)
    let boxes2d = outputs.contains("boxes2d")
    let boxes3d = outputs.contains("boxes3d")
    var objects: [ScnDataset.ObjectLabel] = []
    var skipped: [UInt16] = []
    if boxes2d || boxes3d {
      for o in f.objects where o.instanceID <= UInt32(UInt16.max) {
        // Actors whose `annotated` field is false stay in the masks, out of COCO and KITTI.
        if unannotated.contains(o.instanceID) {
          skipped.append(UInt16(o.instanceID))
          continue
        }
        objects.append(
          ScnDataset.ObjectLabel(
            instanceID: UInt16(o.instanceID), className: o.className, semanticID: Int(o.semanticClass),
            modalBox: o.modalBox.map(box), amodalBox: box(o.amodalBox), occlusion: o.occlusion, truncation: o.truncation,
            box3D: boxes3d ? bodyBox(o.box3D) : nil))
      }
    }
    // Something must be written for the frame to exist; rgb is the default output.
    let rgb =
      outputs.contains("rgb")
      || !(outputs.contains("depth") || outputs.contains("instance") || outputs.contains("semantic")
        || outputs.contains("parts"))
    if outputs.contains("parts"), f.parts == nil {
      throw RenderError.invalidSensor("the camera's parts output was not rendered")
    }
    // The images wanted, in a fixed order: rgb, depth, instance, semantic, parts.
    let wanted = [
      rgb, outputs.contains("depth"), outputs.contains("instance"), outputs.contains("semantic"),
      outputs.contains("parts"),
    ]
    let images = (0..<wanted.count).filter { wanted[$0] }
    var results = [Result<[UInt8], Error>](repeating: .success([]), count: wanted.count)
    results.withUnsafeMutableBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return }
      let out = SharedBuffer(base: base)
      Parallel.forEach(count: images.count, threads: threads) { item in
        let k = images[item]
        out.base[k] = Result {
          switch k {
          case 0: try photo.encodeRGB(f.rgb, width: f.width, height: f.height)
          case 1: try encoder.encodeGray16(f.depth, width: f.width, height: f.height)
          case 2: try encoder.encodeGray16(f.instance, width: f.width, height: f.height)
          case 3: try encoder.encodeGray(f.semantic, width: f.width, height: f.height)
          default: try encoder.encodeGray16(f.parts ?? [], width: f.width, height: f.height)
          }
        }
      }
    }
    func png(_ k: Int) throws -> [UInt8]? { wanted[k] ? try results[k].get() : nil }
    return ScnDataset.CameraFrame(
      camera: name, frame: frame, width: f.width, height: f.height,
      rgbPNG: try png(0), depthPNG: try png(1), instancePNG: try png(2), semanticPNG: try png(3), partsPNG: try png(4),
      instanceIDs: boxes2d ? f.instance : nil, objects: objects, unannotatedInstances: skipped.sorted())
  }

  public static func box(_ b: PixelBox) -> Box2D { Box2D(x: b.xMin, y: b.yMin, width: b.width, height: b.height) }

  /// The renderer's optical-frame box (x right, y down, z forward) in the camera body frame
  /// the writer expects (x forward, y left, z up): body = (z, −x, −y); KITTI's
  /// `rotation_y = −yaw − π/2` gives yaw back. A pitched or rolled object also gets its full
  /// object → body rotation (`rotation_wxyz`), which the yaw alone cannot express.
  public static func bodyBox(_ b: CameraBox3D) -> Box3D {
    let opticalToBody = Quaternion(w: 0.5, x: 0.5, y: -0.5, z: 0.5).conjugate
    let r = (opticalToBody * b.rotation).normalized
    let yaw = wrapAngle(-b.rotationY - .pi / 2)
    let level = abs(r.rotate(.unitZ).z - 1) < 1e-9
    return Box3D(
      center: Vec3(b.center.z, -b.center.x, -b.center.y),
      size: Vec3(b.size.x, b.size.y, b.size.z), yaw: yaw, rotation: level ? nil : [r.w, r.x, r.y, r.z])
  }

  public static func pose(_ t: Transform) -> ScnDataset.Pose {
    ScnDataset.Pose(
      position: Vec3(t.translation.x, t.translation.y, t.translation.z),
      rotation: [t.rotation.w, t.rotation.x, t.rotation.y, t.rotation.z])
  }
}

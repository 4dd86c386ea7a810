import ScnGeometry
import ScnPhysics

var s = SolverSettings()
s.sleepEnabled = false
import Foundation
let env = ProcessInfo.processInfo.environment
if let x = env["IT"] { s.velocityIterations = Int(x)! }
if env["NOWARM"] != nil { s.warmStarting = false }
if let x = env["PI"] { s.positionIterations = Int(x)! }
let fr = Double(env["FR"] ?? "0.6")!
var w = PhysicsWorld(settings: s)
try w.addGroundPlane(friction: 0.6)
var boxes: [BodyID] = []
let nb = Int(env["NB"] ?? "10")!
for i in 0..<nb {
  boxes.append(try w.addBody(RigidBodyDescriptor(shape: .box(halfExtents: Vec3(0.25 - Double(i) * Double(env["SHRINK"] ?? "0")!, 0.25 - Double(i) * Double(env["SHRINK"] ?? "0")!, 0.25)),
    transform: Transform(translation: Vec3(0, 0, 0.25 + Double(i) * 0.5)), friction: fr)))
}
for step in 1...2400 {
  try w.step(dt: 1.0 / 240, substeps: Int(env["SUB"] ?? "1")!)
  if step % 120 == 0 || step < 4 {
    let t = w.transform(of: boxes[nb-1])!
    let t0 = w.transform(of: boxes[0])!
    print(step, t.translation, t.rotation.yaw, t0.translation, w.contacts.count, w.velocity(of: boxes[nb-1])!.angular, w.contacts.map { $0.normalImpulse })
  }
}

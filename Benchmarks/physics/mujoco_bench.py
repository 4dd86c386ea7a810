"""MuJoCo twin of ScnPhysicsBench: the same falling-boxes scene, step and duration.

Boxes are free bodies (0.2 m cubes, 1 kg, friction 0.6) over a ground plane, laid out
by `box_layout`, which mirrors `boxPose` in ScnPhysicsBench/main.swift. MuJoCo keeps
its defaults (Newton solver, pyramidal cones, Euler integrator) apart from the time step.
Prints one RESULT line per box count in the same format as the Swift benchmark (CPU
seconds of this process, like the Swift side: the machine is shared).
"""
import argparse
import math
import time

import mujoco


def box_layout(i, count):
    per_layer = (count + 1) // 2
    side = 1
    while side * side < per_layer:
        side += 1
    layer = i // per_layer
    k = i % per_layer
    offset = 0.0 if layer == 0 else 0.12
    x = (k % side) * 0.3 + offset
    y = (k // side) * 0.3 + offset
    z = 0.15 + layer * 0.35
    return x, y, z, (i % 7) * 0.2


def scene_xml(count, dt):
    bodies = []
    for i in range(count):
        x, y, z, yaw = box_layout(i, count)
        # MuJoCo quaternions are (w, x, y, z); a yaw is a rotation about +z.
        quat = f"{math.cos(yaw / 2)!r} 0 0 {math.sin(yaw / 2)!r}"
        bodies.append(
            f'<body pos="{x!r} {y!r} {z!r}" quat="{quat}"><freejoint/>'
            f'<geom type="box" size="0.1 0.1 0.1" mass="1" friction="0.6 0.005 0.0001"/></body>'
        )
    return (
        f'<mujoco><option timestep="{dt!r}" gravity="0 0 -9.81"/><worldbody>'
        '<geom type="plane" size="0 0 1" friction="0.6 0.005 0.0001"/>'
        + "".join(bodies)
        + "</worldbody></mujoco>"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--boxes", default="50,200")
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--dt", type=float, default=0.002)
    args = parser.parse_args()
    for count in [int(c) for c in args.boxes.split(",")]:
        model = mujoco.MjModel.from_xml_string(scene_xml(count, args.dt))
        data = mujoco.MjData(model)
        steps = round(args.seconds / args.dt)
        start = time.process_time()
        mujoco.mj_step(model, data, nstep=steps)
        cpu = time.process_time() - start
        mean_z = sum(data.xpos[b][2] for b in range(1, model.nbody)) / count
        print(
            f"RESULT\tmujoco-{mujoco.__version__}\t{count}\tn/a\t{steps}\t{cpu:.3f}\t"
            f"{count * steps / cpu:.0f}\tmean_z={mean_z:.4f} contacts={data.ncon}"
        )


if __name__ == "__main__":
    main()

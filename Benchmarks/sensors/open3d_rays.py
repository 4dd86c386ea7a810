"""Open3D (Embree) peer for the primary-ray benchmark: the same 100 boxes as triangle
meshes, the same 640x480 camera rays, one thread. Reads boxes.f32 / rays.f32 written by
`ScnSensorsBench rays DIR`."""
import sys
import time

import numpy as np
import open3d as o3d

directory = sys.argv[1]
boxes = np.fromfile(f"{directory}/boxes.f32", dtype="<f4").reshape(-1, 7)
rays = np.fromfile(f"{directory}/rays.f32", dtype="<f4").reshape(-1, 6)

scene = o3d.t.geometry.RaycastingScene()
for cx, cy, cz, sx, sy, sz, yaw in boxes.astype(np.float64):
    mesh = o3d.geometry.TriangleMesh.create_box(sx, sy, sz)
    mesh.translate((-sx / 2, -sy / 2, -sz / 2))
    c, s = np.cos(yaw), np.sin(yaw)
    mesh.rotate(np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]]), center=(0, 0, 0))
    mesh.translate((cx, cy, cz))
    scene.add_triangles(o3d.t.geometry.TriangleMesh.from_legacy(mesh))

tensor = o3d.core.Tensor(rays, dtype=o3d.core.Dtype.Float32)
best = float("inf")
hits = 0
for _ in range(15):  # best of 15, as the Swift side
    start = time.perf_counter()
    result = scene.cast_rays(tensor, nthreads=1)
    best = min(best, time.perf_counter() - start)
    hits = int(np.isfinite(result["t_hit"].numpy()).sum())
print(f"open3d_rays_per_second {len(rays) / best}")
print(f"open3d_hits {hits}")

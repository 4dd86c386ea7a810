#!/usr/bin/env python3
"""Writes assets/sphere20k.glb: a UV sphere of exactly 20,000 triangles (100 longitudes,
101 latitude bands, poles as fans), radius 0.5 m, as a binary glTF 2.0 file (CC0: made here).
Usage: python3 make_mesh.py [OUT]"""
import json, math, struct, sys

out = sys.argv[1] if len(sys.argv) > 1 else "assets/sphere20k.glb"
m, n = 100, 101
verts = [(0.0, 0.5, 0.0)]
for i in range(1, n):
    th = math.pi * i / n
    for j in range(m):
        ph = 2 * math.pi * j / m
        verts.append((0.5 * math.sin(th) * math.cos(ph), 0.5 * math.cos(th), 0.5 * math.sin(th) * math.sin(ph)))
verts.append((0.0, -0.5, 0.0))
south = len(verts) - 1
def ring(i, j):  # i in 1..n-1
    return 1 + (i - 1) * m + (j % m)
tris = []
for j in range(m):
    tris.append((0, ring(1, j + 1), ring(1, j)))
for i in range(1, n - 1):
    for j in range(m):
        a, b, c, d = ring(i, j), ring(i, j + 1), ring(i + 1, j), ring(i + 1, j + 1)
        tris += [(a, b, c), (b, d, c)]
for j in range(m):
    tris.append((ring(n - 1, j), ring(n - 1, j + 1), south))
assert len(tris) == 20_000, len(tris)
pos = b"".join(struct.pack("<3f", *v) for v in verts)
idx = b"".join(struct.pack("<3I", *t) for t in tris)
binary = pos + idx
gltf = {
    "asset": {"version": "2.0", "generator": "scn Benchmarks/memory/make_mesh.py"},
    "scene": 0, "scenes": [{"nodes": [0]}], "nodes": [{"mesh": 0, "name": "sphere"}],
    "meshes": [{"primitives": [{"attributes": {"POSITION": 0}, "indices": 1, "mode": 4}]}],
    "accessors": [
        {"bufferView": 0, "componentType": 5126, "count": len(verts), "type": "VEC3",
         "min": [min(v[k] for v in verts) for k in range(3)], "max": [max(v[k] for v in verts) for k in range(3)]},
        {"bufferView": 1, "componentType": 5125, "count": 3 * len(tris), "type": "SCALAR"},
    ],
    "bufferViews": [
        {"buffer": 0, "byteOffset": 0, "byteLength": len(pos), "target": 34962},
        {"buffer": 0, "byteOffset": len(pos), "byteLength": len(idx), "target": 34963},
    ],
    "buffers": [{"byteLength": len(binary)}],
}
js = json.dumps(gltf, separators=(",", ":")).encode()
js += b" " * (-len(js) % 4)
binary += b"\0" * (-len(binary) % 4)
total = 12 + 8 + len(js) + 8 + len(binary)
import os
os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
with open(out, "wb") as f:
    f.write(struct.pack("<4sII", b"glTF", 2, total))
    f.write(struct.pack("<I4s", len(js), b"JSON") + js)
    f.write(struct.pack("<I4s", len(binary), b"BIN\0") + binary)
print(out, len(verts), "vertices", len(tris), "triangles", total, "bytes")

#!/usr/bin/env python3
"""Writes chair.gltf and chair.bin next to this script (deterministic output).

A low-poly chair in glTF 2.0 conventions (metres, y up, front along +z): one unit cube
(24 vertices with face normals, 12 triangles) instanced by seven nodes under a `chair`
root, each scaling and placing it: a `seat`, four `leg_…`s, a `backrest` and a `back_rail`.
Two meshes share the cube's accessors with different materials: `wood` (seat, backrest)
and `steel` (legs, rail). Written for scn's Examples; CC0-1.0 (see NOTICE.md).
"""
import json, os, struct

HERE = os.path.dirname(os.path.abspath(__file__))

def cube():
    faces = [((1,0,0),(0,1,0),(0,0,1)), ((-1,0,0),(0,0,1),(0,1,0)),
             ((0,1,0),(0,0,1),(1,0,0)), ((0,-1,0),(1,0,0),(0,0,1)),
             ((0,0,1),(1,0,0),(0,1,0)), ((0,0,-1),(0,1,0),(1,0,0))]
    pos, nor, idx = [], [], []
    for n, u, v in faces:
        base = len(pos) // 3
        for su, sv in ((-1,-1),(1,-1),(1,1),(-1,1)):
            pos += [0.5*n[k] + 0.5*su*u[k] + 0.5*sv*v[k] for k in range(3)]
            nor += list(n)
        idx += [base, base+1, base+2, base, base+2, base+3]
    return pos, nor, idx

pos, nor, idx = cube()
data = struct.pack("<%df" % len(pos), *pos) + struct.pack("<%df" % len(nor), *nor) + struct.pack("<%dH" % len(idx), *idx)
vb = len(pos) * 4

def part(name, mesh, size, centre):
    return {"name": name, "mesh": mesh, "scale": list(size), "translation": list(centre)}

seat_h, seat, leg = 0.45, 0.44, 0.03
legs = []
for side, x in (("left", -1), ("right", 1)):
    for end, z in (("front", 1), ("back", -1)):
        legs.append(part("leg_%s_%s" % (end, side), 1, (leg, seat_h - 0.03, leg),
                         (x * (seat / 2 - leg / 2), (seat_h - 0.03) / 2, z * (seat / 2 - leg / 2))))
nodes = [{"name": "chair", "children": list(range(1, 8))},
         part("seat", 0, (seat, 0.03, seat), (0, seat_h - 0.015, 0)),
         *legs,
         part("backrest", 0, (seat, 0.28, 0.02), (0, seat_h + 0.26, -seat / 2 + 0.01)),
         part("back_rail", 1, (0.025, 0.12, 0.025), (0, seat_h + 0.06, -seat / 2 + 0.0125))]
# back_rail is one centred upright joining seat and backrest.
primitive = lambda material: {"attributes": {"POSITION": 0, "NORMAL": 1}, "indices": 2, "material": material}
doc = {
    "asset": {"version": "2.0", "generator": "scn Examples/assets/make_chair.py"},
    "scene": 0, "scenes": [{"name": "chair", "nodes": [0]}],
    "nodes": nodes,
    "meshes": [{"name": "wood_block", "primitives": [primitive(0)]}, {"name": "steel_block", "primitives": [primitive(1)]}],
    "materials": [
        {"name": "wood", "pbrMetallicRoughness": {"baseColorFactor": [0.45, 0.25, 0.11, 1], "metallicFactor": 0.0, "roughnessFactor": 0.7}},
        {"name": "steel", "pbrMetallicRoughness": {"baseColorFactor": [0.55, 0.56, 0.58, 1], "metallicFactor": 1.0, "roughnessFactor": 0.35}}],
    "buffers": [{"uri": "chair.bin", "byteLength": len(data)}],
    "bufferViews": [
        {"buffer": 0, "byteOffset": 0, "byteLength": vb, "target": 34962},
        {"buffer": 0, "byteOffset": vb, "byteLength": vb, "target": 34962},
        {"buffer": 0, "byteOffset": 2 * vb, "byteLength": len(idx) * 2, "target": 34963}],
    "accessors": [
        {"bufferView": 0, "componentType": 5126, "count": len(pos) // 3, "type": "VEC3", "min": [-0.5] * 3, "max": [0.5] * 3},
        {"bufferView": 1, "componentType": 5126, "count": len(nor) // 3, "type": "VEC3"},
        {"bufferView": 2, "componentType": 5123, "count": len(idx), "type": "SCALAR"}],
}
with open(os.path.join(HERE, "chair.bin"), "wb") as f:
    f.write(data)
with open(os.path.join(HERE, "chair.gltf"), "w") as f:
    f.write(json.dumps(doc, indent=1, sort_keys=True) + "\n")

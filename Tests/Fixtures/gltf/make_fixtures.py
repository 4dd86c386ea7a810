#!/usr/bin/env python3
"""Writes the glTF test assets in this folder (run from anywhere; output is deterministic).

crate.gltf   a unit cube (24 vertices with face normals, 12 triangles) in a node hierarchy
             (root translated, child scaled by 0.5 and turned 90 deg about y), one red
             material, buffer in crate.bin
crate.glb    the same as one binary file
bad_accessor.gltf   the index accessor claims more elements than its bufferView holds
escape.gltf  a buffer URI with a '..' component
"""
import base64, json, os, struct

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

def document(buffer_uri, index_count=None):
    pos, nor, idx = cube()
    vb = len(pos) * 4
    buf = {"byteLength": 2 * vb + len(idx) * 2}
    if buffer_uri is not None:
        buf = {"uri": buffer_uri, **buf}
    return {
        "asset": {"version": "2.0", "generator": "scn Tests/Fixtures/gltf/make_fixtures.py"},
        "scene": 0, "scenes": [{"nodes": [0]}],
        "nodes": [{"name": "root", "translation": [3, 1, -2], "children": [1]},
                  {"name": "crate", "mesh": 0, "scale": [0.5, 0.5, 0.5],
                   "rotation": [0, 0.7071067811865476, 0, 0.7071067811865476]}],
        "meshes": [{"name": "cube", "primitives": [{"attributes": {"POSITION": 0, "NORMAL": 1}, "indices": 2, "material": 0}]}],
        "materials": [{"name": "red paint", "pbrMetallicRoughness": {
            "baseColorFactor": [0.8, 0.05, 0.02, 1], "metallicFactor": 0.0, "roughnessFactor": 0.6}}],
        "buffers": [buf],
        "bufferViews": [
            {"buffer": 0, "byteOffset": 0, "byteLength": vb, "target": 34962},
            {"buffer": 0, "byteOffset": vb, "byteLength": vb, "target": 34962},
            {"buffer": 0, "byteOffset": 2 * vb, "byteLength": len(idx) * 2, "target": 34963}],
        "accessors": [
            {"bufferView": 0, "componentType": 5126, "count": len(pos) // 3, "type": "VEC3",
             "min": [-0.5, -0.5, -0.5], "max": [0.5, 0.5, 0.5]},
            {"bufferView": 1, "componentType": 5126, "count": len(nor) // 3, "type": "VEC3"},
            {"bufferView": 2, "componentType": 5123, "count": index_count or len(idx), "type": "SCALAR"}],
    }

def binary():
    pos, nor, idx = cube()
    return struct.pack("<%df" % len(pos), *pos) + struct.pack("<%df" % len(nor), *nor) + struct.pack("<%dH" % len(idx), *idx)

def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)

def text(doc):
    return (json.dumps(doc, indent=1, sort_keys=True) + "\n").encode()

write("crate.bin", binary())
write("crate.gltf", text(document("crate.bin")))
write("bad_accessor.gltf", text(document("crate.bin", index_count=72)))
write("escape.gltf", text(document("../gltf/crate.bin")))
j = json.dumps(document(None), sort_keys=True).encode()
j += b" " * (-len(j) % 4)
b = binary()
b += b"\0" * (-len(b) % 4)
glb = b"glTF" + struct.pack("<II", 2, 12 + 8 + len(j) + 8 + len(b)) + struct.pack("<I", len(j)) + b"JSON" + j \
    + struct.pack("<I", len(b)) + b"BIN\0" + b
write("crate.glb", glb)

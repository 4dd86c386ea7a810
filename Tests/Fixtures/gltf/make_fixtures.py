#!/usr/bin/env python3
"""Writes the glTF test assets in this folder (run from anywhere; output is deterministic).

crate.gltf   a unit cube (24 vertices with face normals, 12 triangles) in a node hierarchy
             (root translated, child scaled by 0.5 and turned 90 deg about y), one red
             material, buffer in crate.bin
crate.glb    the same as one binary file
bad_accessor.gltf   the index accessor claims more elements than its bufferView holds
escape.gltf  a buffer URI with a '..' component
quad.bin     a 2 m textured quad (positions, normals, TEXCOORD_0, indices)
textured.gltf       the quad with checker.png (2 x 2: red, green / blue, white) as its
                    base-colour texture, sampled nearest
corrupt_png.gltf    its texture is corrupt.png, the checker with its pixel data cut short
corrupt_jpeg.gltf   its texture is corrupt.jpg, a JPEG header followed by junk
huge_png.gltf       its texture is huge.png, a header claiming 100000 x 100000 pixels
gif_texture.gltf    its texture is checker.gif, a GIF (neither PNG nor JPEG)
no_uv.gltf          the textured material on a quad without TEXCOORD_0
"""
import base64, json, os, struct, zlib

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

# Textured quad fixtures.
def quad_binary():
    pos = [-1, -1, 0, 1, -1, 0, 1, 1, 0, -1, 1, 0]
    nor = [0, 0, 1] * 4
    uv = [0, 1, 1, 1, 1, 0, 0, 0]
    idx = [0, 1, 2, 0, 2, 3]
    return struct.pack("<12f", *pos) + struct.pack("<12f", *nor) + struct.pack("<8f", *uv) + struct.pack("<6H", *idx)

def quad_document(image_uri, texcoords=True):
    attributes = {"POSITION": 0, "NORMAL": 1}
    if texcoords:
        attributes["TEXCOORD_0"] = 2
    return {
        "asset": {"version": "2.0", "generator": "scn Tests/Fixtures/gltf/make_fixtures.py"},
        "scene": 0, "scenes": [{"nodes": [0]}],
        "nodes": [{"name": "sign", "mesh": 0}],
        "meshes": [{"primitives": [{"attributes": attributes, "indices": 3, "material": 0}]}],
        "materials": [{"name": "checker", "pbrMetallicRoughness": {
            "baseColorFactor": [1, 1, 1, 1], "baseColorTexture": {"index": 0},
            "metallicFactor": 0.0, "roughnessFactor": 1.0}}],
        "textures": [{"source": 0, "sampler": 0}],
        "samplers": [{"magFilter": 9728, "wrapS": 33071, "wrapT": 33071}],
        "images": [{"uri": image_uri}],
        "buffers": [{"uri": "quad.bin", "byteLength": 140}],
        "bufferViews": [
            {"buffer": 0, "byteOffset": 0, "byteLength": 48},
            {"buffer": 0, "byteOffset": 48, "byteLength": 48},
            {"buffer": 0, "byteOffset": 96, "byteLength": 32},
            {"buffer": 0, "byteOffset": 128, "byteLength": 12}],
        "accessors": [
            {"bufferView": 0, "componentType": 5126, "count": 4, "type": "VEC3", "min": [-1, -1, 0], "max": [1, 1, 0]},
            {"bufferView": 1, "componentType": 5126, "count": 4, "type": "VEC3"},
            {"bufferView": 2, "componentType": 5126, "count": 4, "type": "VEC2"},
            {"bufferView": 3, "componentType": 5123, "count": 6, "type": "SCALAR"}],
    }

def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

def png(width, height, rows):
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = b"".join(b"\0" + r for r in rows)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")

checker = png(2, 2, [bytes([255, 0, 0, 0, 255, 0]), bytes([0, 0, 255, 255, 255, 255])])
write("quad.bin", quad_binary())
write("checker.png", checker)
write("textured.gltf", text(quad_document("checker.png")))
# The checker with its IDAT cut to half (the chunk's CRC recomputed, so the error is the
# missing pixel data, not a checksum).
raw = b"".join(b"\0" + r for r in [bytes([255, 0, 0, 0, 255, 0]), bytes([0, 0, 255, 255, 255, 255])])
idat = zlib.compress(raw, 9)
write("corrupt.png", b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
      + chunk(b"IDAT", idat[: len(idat) // 2]) + chunk(b"IEND", b""))
write("corrupt_png.gltf", text(quad_document("corrupt.png")))
write("corrupt.jpg", b"\xff\xd8\xff\xdb\x00\x43\x00" + bytes(range(7, 64)) + b"\xff\xd9")
write("corrupt_jpeg.gltf", text(quad_document("corrupt.jpg")))
write("huge.png", b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0))
      + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))
write("huge_png.gltf", text(quad_document("huge.png")))
write("checker.gif", b"GIF89a\x02\x00\x02\x00\x00\x00\x00;")
write("gif_texture.gltf", text(quad_document("checker.gif")))
write("no_uv.gltf", text(quad_document("checker.png", texcoords=False)))

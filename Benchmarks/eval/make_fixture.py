#!/usr/bin/env python3
"""Writes what `scn eval` reads of a dataset (manifest, coverage, samples, one COCO file)
for FRAMES frames (2 per sample) with OBJECTS objects each, and COCO results with DETS
detections per frame (jittered ground truth plus false positives). Plain Python, seeded.
Usage: make_fixture.py DIR PREDICTIONS [FRAMES] [OBJECTS] [DETS]"""
import json, os, random, sys

root, preds = sys.argv[1], sys.argv[2]
frames = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
objects = int(sys.argv[4]) if len(sys.argv) > 4 else 20
dets = int(sys.argv[5]) if len(sys.argv) > 5 else 20
rng = random.Random(7)
samples = frames // 2
os.makedirs(os.path.join(root, "annotations"), exist_ok=True)
edges = [0, 5, 10, 20, 30]
def bucket(x):
    for a, b in zip(edges, edges[1:]):
        if x < b:
            return f"[{a}, {b})"
    return ">= 30"
light = [rng.uniform(0, 30) for _ in range(samples)]
speed = [rng.uniform(8, 14) for _ in range(samples)]
images, anns, results = [], [], []
for i in range(frames):
    images.append({"id": i + 1, "file_name": "images/front/%06d_%04d.png" % (i // 2, i % 2), "width": 1280,
                   "height": 720, "sample": i // 2, "frame": i % 2, "split": "train" if i // 2 % 10 < 8 else "val"})
    for k in range(objects):
        w, h = rng.uniform(6, 200), rng.uniform(6, 200)
        box = [round(rng.uniform(0, 1000), 2), round(rng.uniform(0, 500), 2), round(w, 2), round(h, 2)]
        cat = 2 if rng.random() < 0.5 else 3
        anns.append({"id": len(anns) + 1, "image_id": i + 1, "category_id": cat, "bbox": box,
                     "area": round(w * h * 0.8), "iscrowd": 0, "occlusion": rng.random(),
                     "box_3d": {"center": [rng.uniform(2, 60), 0, 0]}})
        if k < dets * 0.8:
            j = lambda v: round(v * (1 + rng.uniform(-0.1, 0.1)), 2)
            results.append({"image_id": i + 1, "category_id": cat,
                            "bbox": [j(box[0]), j(box[1]), j(box[2]), j(box[3])], "score": round(rng.random(), 4)})
    while len(results) < (i + 1) * dets:
        results.append({"image_id": i + 1, "category_id": 2 + rng.randrange(2),
                        "bbox": [round(rng.uniform(0, 1000), 2), round(rng.uniform(0, 500), 2), round(rng.uniform(6, 100), 2),
                                 round(rng.uniform(6, 100), 2)], "score": round(rng.uniform(0, 0.5), 4)})
cats = [{"id": 2, "name": "person", "supercategory": "object"}, {"id": 3, "name": "car", "supercategory": "object"}]
with open(os.path.join(root, "annotations/coco_front.json"), "w") as f:
    json.dump({"images": images, "annotations": anns, "categories": cats}, f, separators=(",", ":"))
identity = {"scenario": "Bench", "ir_sha256": "ab" * 32}
with open(os.path.join(root, "manifest.json"), "w") as f:
    json.dump({"identity_sha256": "cd" * 32, "identity": identity,
               "files": [{"path": "annotations/coco_front.json"}]}, f)
buckets = ["< 0"] + [f"[{a}, {b})" for a, b in zip(edges, edges[1:])] + [">= 30"]
with open(os.path.join(root, "coverage.json"), "w") as f:
    json.dump({"cover_points": [{"name": "lighting", "buckets": [{"bucket": b} for b in buckets]}],
               "failure_modes": [{"id": "FM-22", "text": "dark", "covers": [{"point": "lighting", "buckets": ["[0, 5)", "[5, 10)"]}]}],
               "splits": [{"name": "train"}, {"name": "val"}]}, f)
with open(os.path.join(root, "samples.jsonl"), "w") as f:
    for s in range(samples):
        f.write(json.dumps({"index": s, "split": "train" if s % 10 < 8 else "val",
                            "params": {"light": {"value": light[s], "unit": "lx"}, "speed": speed[s]},
                            "cover": {"lighting": bucket(light[s])}}) + "\n")
with open(preds, "w") as f:
    json.dump(results, f)

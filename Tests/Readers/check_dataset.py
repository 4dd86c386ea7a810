#!/usr/bin/env python3
"""Reads an scn dataset with independent third-party readers (the project's own check).

    check_dataset.py DIR

Pillow decodes every PNG (and its size must match the COCO image record), pycocotools loads
every COCO file and scores its ground truth against itself (bbox AP must be 1.0), plyfile
reads every point cloud (x, y, z present, finite), mlcroissant loads croissant.json and reads
records from every record set, PyYAML parses the card's front matter, the OpenLineage client
builds its typed event from lineage.json, and every KITTI line has 15 fields. The readers are
pinned in Tests/Readers/requirements.txt (scripts/test installs them into .venv-test).

Prints one `PASS name` or `FAIL name: reason` line per check, then `N passed, M failed`.
Exit status 0 when every check passed, 1 otherwise.
"""
import contextlib
import glob
import io
import itertools
import json
import logging
import math
import os
import sys
import warnings

results = []


def record(ok, name, detail=""):
    results.append(ok)
    print(("PASS " if ok else "FAIL ") + name + (": " + detail if detail and not ok else ""))


def check(name):
    """Decorator-free helper: run fn, record an exception as a failure."""
    def wrap(fn):
        try:
            problem = fn()
        except Exception as e:  # noqa: BLE001 - every reader error is a finding
            problem = f"{type(e).__name__}: {str(e)[:400]}"
        record(not problem, name, problem or "")
    return wrap


def main(root):
    with open(os.path.join(root, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    listed = [e["path"] for e in manifest["files"]]

    @check("manifest:format")
    def _():
        return None if manifest.get("format") == "scn-dataset/1" else f"format {manifest.get('format')!r}"

    pngs = [p for p in listed if p.endswith(".png")]

    @check("png:pillow-decodes")
    def _():
        from PIL import Image
        for p in pngs:
            with Image.open(os.path.join(root, p)) as im:
                im.load()
        return None if pngs or not any(p.startswith("annotations/coco_") for p in listed) else "no PNG listed"

    for coco_path in [p for p in listed if p.startswith("annotations/coco_") and p.endswith(".json")]:
        @check(f"coco[{coco_path}]:pycocotools")
        def _():
            from pycocotools.coco import COCO
            from pycocotools.cocoeval import COCOeval
            from PIL import Image
            with contextlib.redirect_stdout(io.StringIO()):
                coco = COCO(os.path.join(root, coco_path))
            for image in coco.dataset["images"]:
                if image["file_name"] not in listed:
                    return f"file_name {image['file_name']!r} is not listed in the manifest"
                with Image.open(os.path.join(root, image["file_name"])) as im:
                    if im.size != (image["width"], image["height"]):
                        return f"{image['file_name']}: {im.size} vs COCO {image['width']}x{image['height']}"
            anns = coco.dataset["annotations"]
            if not anns:
                return None
            detections = [dict(a, score=1.0) for a in anns]
            with contextlib.redirect_stdout(io.StringIO()):
                dt = coco.loadRes(detections)
                ev = COCOeval(coco, dt, "bbox")
                ev.params.maxDets = [1, 10, max(100, max(len(coco.getAnnIds(imgIds=[i])) for i in coco.getImgIds()))]
                ev.evaluate()
                ev.accumulate()
                ev.summarize()
            ap = ev.stats[0]
            return None if ap > 0.999 else f"ground truth scores bbox AP {ap:.4f} against itself"

    parts = [p for p in listed if p.startswith("parts/") and p.endswith(".png")]
    if parts or "part_labels.json" in listed:
        @check("parts:pillow-ids")
        def _():
            # Every part-label image decodes as 16-bit grey; its ids are 0 or listed in
            # part_labels.json, and a labelled pixel shows an instance in the instance image.
            import numpy as np
            from PIL import Image
            with open(os.path.join(root, "part_labels.json"), encoding="utf-8") as f:
                table = json.load(f)
            ids = {entry["id"] for entry in table["part_labels"]}
            names = [entry["name"] for entry in table["part_labels"]]
            if len(set(names)) != len(names) or sorted(names) != names:
                return "part_labels.json names are not sorted and distinct"
            if not parts:
                return "part_labels.json but no parts/ image"
            for p in parts:
                with Image.open(os.path.join(root, p)) as im:
                    if im.mode not in ("I;16", "I;16B", "I"):
                        return f"{p}: mode {im.mode}, expected 16-bit grey"
                    a = np.asarray(im, dtype=np.int64)
                unknown = set(np.unique(a).tolist()) - ids - {0}
                if unknown:
                    return f"{p}: ids {sorted(unknown)[:5]} not in part_labels.json"
                instance_path = "instance/" + p[len("parts/"):]
                if instance_path in listed:
                    with Image.open(os.path.join(root, instance_path)) as im:
                        inst = np.asarray(im, dtype=np.int64)
                    if np.any((a != 0) & (inst == 0)):
                        return f"{p}: a labelled part pixel has no instance in {instance_path}"
            return None

    plys = [p for p in listed if p.endswith(".ply")]
    if plys:
        @check("ply:plyfile")
        def _():
            import numpy as np
            from plyfile import PlyData
            for p in plys:
                vertex = PlyData.read(os.path.join(root, p))["vertex"]
                for axis in "xyz":
                    if not np.all(np.isfinite(np.asarray(vertex[axis], dtype=float))):
                        return f"{p}: non-finite {axis}"
            return None

    kitti = [p for p in listed if p.startswith("annotations/kitti/")]
    if kitti:
        @check("kitti:fields")
        def _():
            for p in kitti:
                with open(os.path.join(root, p), encoding="utf-8") as f:
                    for n, line in enumerate(f.read().splitlines(), 1):
                        fields = line.split(" ")
                        if len(fields) != 15:
                            return f"{p}:{n}: {len(fields)} fields"
                        [float(x) for x in fields[1:]]
            return None

    @check("card:yaml-front-matter")
    def _():
        import yaml
        with open(os.path.join(root, "README.md"), encoding="utf-8") as f:
            text = f.read()
        if not text.startswith("---\n"):
            return "no front matter"
        front = yaml.safe_load(text[4:text.index("\n---\n", 4)])
        for key in ["pretty_name", "license", "task_categories", "size_categories", "tags"]:
            if key not in front:
                return f"front matter lacks {key}"
        return None

    @check("croissant:mlcroissant")
    def _():
        import mlcroissant as mlc
        logging.disable(logging.WARNING)
        cwd = os.getcwd()
        os.chdir(root)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ds = mlc.Dataset(jsonld=os.path.abspath("croissant.json"))
                if not ds.metadata.record_sets:
                    return "no record set"
                for rs in ds.metadata.record_sets:
                    if not list(itertools.islice(ds.records(rs.uuid), 20)):
                        return f"record set {rs.name} holds no record"
        finally:
            os.chdir(cwd)
            logging.disable(logging.NOTSET)
        return None

    @check("lineage:openlineage-client")
    def _():
        from openlineage.client.event_v2 import InputDataset, Job, OutputDataset, Run, RunEvent, RunState
        with open(os.path.join(root, "lineage.json"), encoding="utf-8") as f:
            d = json.load(f)
        event = RunEvent(
            eventType=RunState(d["eventType"]), eventTime=d["eventTime"], producer=d["producer"],
            run=Run(runId=d["run"]["runId"]), job=Job(namespace=d["job"]["namespace"], name=d["job"]["name"]),
            inputs=[InputDataset(namespace=i["namespace"], name=i["name"]) for i in d.get("inputs", [])],
            outputs=[OutputDataset(namespace=o["namespace"], name=o["name"]) for o in d.get("outputs", [])])
        return None if event.inputs and event.outputs else "no inputs or outputs"

    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if all(results) else 1


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))

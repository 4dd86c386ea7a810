"""OpenCV's default HOG people detector on a generated dataset's camera images.

Usage: detect.py DATASET [CAMERA]

Counts the people (COCO category "pedestrian") that are unoccluded (occlusion 0, not
truncated by the image edge) and at least 96 px tall in their COCO box, and how many of them
the detector finds: a detection found a person when their boxes' IoU is at least 0.3. The
detector is `cv2.HOGDescriptor_getDefaultPeopleDetector()` run with
`detectMultiScale(winStride=(8, 8), padding=(16, 16), scale=1.05)` and its default hit
threshold, on each RGB image as written (converted to BGR).
"""
import json
import os
import sys

import cv2

MIN_HEIGHT = 96
MIN_IOU = 0.3


def iou(a, b):
    ax0, ay0, aw, ah = a
    bx0, by0, bw, bh = b
    ix = max(0.0, min(ax0 + aw, bx0 + bw) - max(ax0, bx0))
    iy = max(0.0, min(ay0 + ah, by0 + bh) - max(ay0, by0))
    inter = ix * iy
    union = aw * ah + bw * bh - inter
    return inter / union if union > 0 else 0.0


def main():
    root = sys.argv[1]
    camera = sys.argv[2] if len(sys.argv) > 2 else "front_camera"
    with open(os.path.join(root, "annotations", f"coco_{camera}.json")) as f:
        coco = json.load(f)
    categories = {c["id"]: c["name"] for c in coco["categories"]}
    people_by_image = {}
    for a in coco["annotations"]:
        if categories.get(a["category_id"]) != "pedestrian":
            continue
        if a.get("occlusion", 1) > 0 or a.get("truncation", 1) > 0 or a["bbox"][3] < MIN_HEIGHT:
            continue
        people_by_image.setdefault(a["image_id"], []).append(a)
    hog = cv2.HOGDescriptor()
    hog.setSVMDetector(cv2.HOGDescriptor_getDefaultPeopleDetector())
    total = found = detections = 0
    per_height = {}
    for image in coco["images"]:
        people = people_by_image.get(image["id"], [])
        if not people:
            continue
        path = os.path.join(root, image["file_name"])
        pixels = cv2.imread(path, cv2.IMREAD_COLOR)
        if pixels is None:
            sys.exit(f"cannot read {path}")
        rects, _ = hog.detectMultiScale(pixels, winStride=(8, 8), padding=(16, 16), scale=1.05)
        boxes = [tuple(float(v) for v in r) for r in rects]
        detections += len(boxes)
        for person in people:
            hit = any(iou(person["bbox"], b) >= MIN_IOU for b in boxes)
            total += 1
            found += hit
            band = "96-160 px" if person["bbox"][3] < 160 else ("160-240 px" if person["bbox"][3] < 240 else ">= 240 px")
            t, h = per_height.get(band, (0, 0))
            per_height[band] = (t + 1, h + hit)
    if total == 0:
        sys.exit("no unoccluded person >= 96 px tall in the dataset")
    print(f"images with people: {len(people_by_image)}, detections: {detections}")
    for band in ["96-160 px", "160-240 px", ">= 240 px"]:
        if band in per_height:
            t, h = per_height[band]
            print(f"  {band:>10}: {h}/{t} found ({100.0 * h / t:.1f} %)")
    print(f"HOG found {found} of {total} unoccluded people >= {MIN_HEIGHT} px tall: {100.0 * found / total:.1f} %")


if __name__ == "__main__":
    main()

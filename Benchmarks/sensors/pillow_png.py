"""Pillow peer for the PNG benchmark: encode the same 640x480 RGB image at zlib level 1.
Pillow exposes no filter choice; it is reported as Pillow does it."""
import io
import sys
import time

from PIL import Image

directory = sys.argv[1]
iterations = int(sys.argv[2])
data = open(f"{directory}/smooth.rgb", "rb").read()
image = Image.frombytes("RGB", (640, 480), data)
best = float("inf")
size = 0
for _ in range(iterations):
    buffer = io.BytesIO()
    start = time.perf_counter()
    image.save(buffer, format="PNG", compress_level=1)
    best = min(best, time.perf_counter() - start)
    size = buffer.tell()
print(f"pillow_png_ms {best * 1e3} bytes {size}")

"""Benchmark the re-encoding of report images (reports.images.clean_image): a 12-megapixel phone photo with EXIF and
GPS, as it arrives, to the clean JPEG the server keeps. Target: p95 under 2 s.

Generates its inputs with Pillow (a 4000 × 3000 photo-like JPEG with camera EXIF, a GPS block and XMP; the same turned
sideways by its EXIF orientation, which costs a rotation), times `--repeat` runs of each in-process and prints a
Markdown table (wall-clock and process CPU time per image, sizes). Exit status 1 when a p95 misses the target.

    uv run python bench/report_images.py
    uv run python bench/report_images.py --repeat 30 --megapixels 24
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime

TARGET_S = 2.0


def photo(width: int, height: int, *, orientation: int) -> bytes:
    from PIL import Image, ImageFilter

    # Photo-like content: smooth gradients plus fine noise, so the JPEG is as hard to code as a real photo.
    base = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    noise = Image.effect_noise((width, height), 40).convert("RGB")
    image = Image.blend(base, noise, 0.35).filter(ImageFilter.SMOOTH)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Model X serial 0042"
    exif[0x0112] = orientation
    exif[0x9003] = "2026:05:01 06:12:44"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (53.0, 47.0, 55.2), "W", (1.0, 32.0, 57.1)
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">' + b"<rdf:Description>where and who</rdf:Description>" * 200
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=92, exif=exif, xmp=xmp)
    return out.getvalue()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    rank = p / 100 * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--megapixels", type=float, default=12.0)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "freshground.test_settings")
    import django

    django.setup()
    from PIL import Image

    from freshground.reports.images import clean_image

    height = int((args.megapixels * 1_000_000 * 3 / 4) ** 0.5)
    width = height * 4 // 3
    cases = {
        f"JPEG {width}×{height}, EXIF+GPS+XMP": photo(width, height, orientation=1),
        f"JPEG {width}×{height}, EXIF orientation 6 (rotated)": photo(width, height, orientation=6),
    }
    print(
        f"# Report image re-encoding ({datetime.now(UTC):%Y-%m-%d}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}, Pillow {Image.__version__})\n"
    )
    print("| image | input | output | p50 s | p95 s | max s | CPU p95 s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    failed = False
    for label, data in cases.items():
        clean_image(data)  # warm up
        wall: list[float] = []
        cpu: list[float] = []
        size = 0
        for _ in range(args.repeat):
            start, start_cpu = time.perf_counter(), time.process_time()
            clean = clean_image(data)
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            size = len(clean.content)
        p95 = percentile(wall, 95)
        failed |= p95 >= TARGET_S
        print(
            f"| {label} | {len(data) / 1e6:.1f} MB | {size / 1e6:.1f} MB | {statistics.median(wall):.3f} | "
            f"{p95:.3f} | {max(wall):.3f} | {percentile(cpu, 95):.3f} |"
        )
    print(f"\nTarget: p95 < {TARGET_S:.0f} s per image; {args.repeat} runs each.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

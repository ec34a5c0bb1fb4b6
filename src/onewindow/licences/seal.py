"""The center's electronic seal (电子印章), drawn once per center (R-MSG-2): a red ring,
the center's name along the upper arc, a five-pointed star and "电子证照专用章" under it,
as a PNG with a transparent ground. Pillow draws it; the CJK font is the one the PDFs
embed (Noto Sans CJK), found where the system keeps it."""

from __future__ import annotations

import io
import math
import shutil
import subprocess
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

RED = (200, 16, 24, 255)
SIZE = 480
FONT_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
)


@lru_cache(maxsize=1)
def font_path() -> str:
    """A font file with Chinese glyphs, or "" where the system has none."""
    for path in FONT_PATHS:
        try:
            with open(path, "rb"):
                return path
        except OSError:
            continue
    fc = shutil.which("fc-match")
    if fc:
        found = subprocess.run(  # noqa: S603 (a fixed program and arguments)
            [fc, "-f", "%{file}", "Noto Sans CJK SC:bold"], capture_output=True, text=True
        ).stdout.strip()
        return found if found.lower().endswith((".ttc", ".ttf", ".otf")) else ""
    return ""


def _font(size: int):
    path = font_path()
    return ImageFont.truetype(path, size) if path else None


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.382
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    draw.polygon(points, fill=RED)


def _arc_text(image: Image.Image, text: str, font, radius: float) -> None:
    """``text`` along the upper arc, each character upright to the centre."""
    if not text or font is None:
        return
    span = min(250.0, 22.0 * len(text))  # degrees the name spreads over
    step = span / max(len(text) - 1, 1)
    start = -90 - span / 2
    c = SIZE / 2
    for i, char in enumerate(text):
        angle = start + i * step if len(text) > 1 else -90
        tile = Image.new("RGBA", (96, 96), (0, 0, 0, 0))
        ImageDraw.Draw(tile).text((48, 48), char, font=font, fill=RED, anchor="mm")
        tile = tile.rotate(-(angle + 90), resample=Image.BICUBIC)
        x = c + radius * math.cos(math.radians(angle)) - 48
        y = c + radius * math.sin(math.radians(angle)) - 48
        image.alpha_composite(tile, (round(x), round(y)))


def seal_png(center_name: str, label: str = "电子证照专用章") -> bytes:
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    margin = 14
    draw.ellipse((margin, margin, SIZE - margin, SIZE - margin), outline=RED, width=16)
    name = center_name.strip()[:18]
    size = 58 if len(name) <= 10 else max(36, 580 // len(name))
    _arc_text(image, name, _font(size), SIZE / 2 - 80)
    _star(draw, SIZE / 2, SIZE / 2, 70)
    small = _font(40)
    if small is not None:
        draw.text((SIZE / 2, SIZE / 2 + 118), label, font=small, fill=RED, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()

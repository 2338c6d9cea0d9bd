"""Flat landscape illustrations for the demo cases, drawn with Pillow (no external files)."""

import math
import random

from PIL import Image, ImageDraw

MOTIFS = (
    "river",
    "sea",
    "forest",
    "field",
    "town",
    "school",
    "market",
    "festival",
    "meeting",
    "garden",
)
SCALE = 2  # draw large, then shrink: cheap anti-aliasing

Color = tuple[int, int, int]


def _mix(a: Color, b: Color, t: float) -> Color:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _sky(image: Image.Image, top: Color, bottom: Color) -> None:
    """A vertical gradient, built on a 1-pixel-wide strip and stretched (fast)."""
    strip = Image.new("RGB", (1, 256))
    strip.putdata([_mix(top, bottom, y / 255) for y in range(256)])
    image.paste(strip.resize(image.size, Image.BILINEAR))


def _hills(draw, rnd, w, h, base_y, color, amplitude, bumps=3) -> None:
    points = [(0, h)]
    phase = rnd.random() * 6.28
    for i in range(0, w + 1, 8 * SCALE):
        y = base_y - amplitude * (0.5 + 0.5 * math.sin(phase + i / w * bumps * 3.14))
        points.append((i, y))
    points.append((w, h))
    draw.polygon(points, fill=color)


def _tree(draw, x, y, size, leaf: Color, trunk: Color = (110, 78, 52)) -> None:
    draw.rectangle([x - size * 0.08, y - size * 0.35, x + size * 0.08, y], fill=trunk)
    draw.polygon(
        [(x, y - size * 1.2), (x - size * 0.45, y - size * 0.3), (x + size * 0.45, y - size * 0.3)],
        fill=leaf,
    )


def _building(draw, rnd, x, y, bw, bh, color: Color) -> None:
    draw.rectangle([x, y - bh, x + bw, y], fill=color)
    window = _mix(color, (255, 244, 200), 0.7)
    step = 22 * SCALE
    for wx in range(int(x + 10 * SCALE), int(x + bw - 14 * SCALE), step):
        for wy in range(int(y - bh + 12 * SCALE), int(y - 16 * SCALE), step):
            if rnd.random() < 0.8:
                draw.rectangle([wx, wy, wx + 10 * SCALE, wy + 12 * SCALE], fill=window)


def _person(draw, x, y, size, color: Color) -> None:
    """A faceless figure: a round head over a rounded body."""
    draw.ellipse(
        [x - size * 0.22, y - size, x + size * 0.22, y - size * 0.56], fill=(240, 205, 170)
    )
    draw.rounded_rectangle(
        [x - size * 0.32, y - size * 0.52, x + size * 0.32, y], radius=size * 0.2, fill=color
    )


def draw_illustration(motif: str, seed: int, size: tuple[int, int] = (1200, 800)) -> Image.Image:
    """A calm flat illustration of one motif; the same seed gives the same picture."""
    rnd = random.Random(f"{motif}-{seed}")
    w, h = size[0] * SCALE, size[1] * SCALE
    image = Image.new("RGB", (w, h))
    draw = ImageDraw.Draw(image)
    evening = rnd.random() < 0.25
    sky_top, sky_bottom = (
        ((250, 170, 120), (255, 225, 170)) if evening else ((120, 180, 230), (220, 238, 250))
    )
    _sky(image, sky_top, sky_bottom)
    sun = (255, 236, 150) if not evening else (255, 200, 120)
    sx, sy, r = rnd.uniform(0.15, 0.85) * w, rnd.uniform(0.12, 0.28) * h, 0.06 * h
    draw.ellipse([sx - r, sy - r, sx + r, sy + r], fill=sun)
    for _ in range(rnd.randint(2, 4)):  # clouds
        cx, cy = rnd.uniform(0, w), rnd.uniform(0.08, 0.35) * h
        for dx in (-1, 0, 1):
            rr = 0.035 * h * (1.3 if dx == 0 else 1)
            draw.ellipse(
                [cx + dx * rr - rr, cy - rr, cx + dx * rr + rr, cy + rr * 0.8], fill=(255, 255, 255)
            )
    green, dark_green = (126, 186, 110), (70, 140, 86)
    ground = 0.68 * h

    if motif == "sea":
        draw.rectangle([0, 0.5 * h, w, h], fill=(52, 130, 190))
        for i in range(12):
            y = 0.52 * h + i * 0.03 * h
            for x in range(int(rnd.uniform(0, 80)), w, int(0.12 * w)):
                draw.arc(
                    [x, y, x + 0.06 * w, y + 0.02 * h],
                    200,
                    340,
                    fill=(190, 225, 245),
                    width=3 * SCALE,
                )
        draw.polygon([(0, 0.78 * h), (w, 0.7 * h), (w, h), (0, h)], fill=(238, 214, 160))
    elif motif == "river":
        _hills(draw, rnd, w, h, 0.55 * h, (150, 190, 160), 0.12 * h)
        draw.rectangle([0, 0.6 * h, w, h], fill=green)
        draw.polygon(
            [(0.45 * w, 0.6 * h), (0.55 * w, 0.6 * h), (0.9 * w, h), (0.1 * w, h)],
            fill=(80, 150, 210),
        )
        for i in range(5):
            y = 0.66 * h + i * 0.065 * h
            draw.line([(0.42 * w, y), (0.58 * w, y)], fill=(170, 210, 240), width=3 * SCALE)
    elif motif == "forest":
        _hills(draw, rnd, w, h, 0.5 * h, (140, 180, 150), 0.15 * h)
        draw.rectangle([0, ground, w, h], fill=green)
        for row, (yf, leaf, sz) in enumerate(
            ((0.66, (90, 150, 100), 0.12), (0.8, dark_green, 0.18), (0.98, (46, 110, 70), 0.25))
        ):
            for _ in range(9 + row * 2):
                _tree(draw, rnd.uniform(0, w), yf * h, sz * h, leaf)
    elif motif == "field":
        _hills(draw, rnd, w, h, 0.55 * h, (150, 195, 150), 0.1 * h)
        draw.rectangle([0, 0.58 * h, w, h], fill=(196, 170, 100))
        for i in range(-8, 16):
            draw.line(
                [(w / 2 + i * 0.04 * w, 0.58 * h), (w / 2 + i * 0.2 * w, h)],
                fill=(120, 170, 80),
                width=10 * SCALE,
            )
    elif motif in ("town", "school", "market", "festival"):
        _hills(draw, rnd, w, h, 0.58 * h, (160, 195, 175), 0.08 * h)
        draw.rectangle(
            [0, ground, w, h], fill=(200, 200, 190) if motif != "school" else (214, 190, 150)
        )
        palette = [
            (230, 140, 110),
            (120, 160, 200),
            (240, 200, 120),
            (160, 140, 190),
            (130, 180, 150),
        ]
        if motif == "town":
            x = 0
            while x < w:
                bw = rnd.uniform(0.1, 0.18) * w
                _building(
                    draw,
                    rnd,
                    x,
                    ground,
                    bw - 6 * SCALE,
                    rnd.uniform(0.15, 0.4) * h,
                    rnd.choice(palette),
                )
                x += bw
        elif motif == "school":
            x0, x1 = 0.18 * w, 0.82 * w
            _building(draw, rnd, x0, ground, x1 - x0, 0.3 * h, (236, 228, 210))
            draw.rectangle(
                [0.45 * w, ground - 0.42 * h, 0.55 * w, ground - 0.3 * h], fill=(236, 228, 210)
            )
            cx, cy, cr = 0.5 * w, ground - 0.36 * h, 0.035 * h
            draw.ellipse(
                [cx - cr, cy - cr, cx + cr, cy + cr],
                fill=(255, 255, 255),
                outline=(90, 90, 90),
                width=3 * SCALE,
            )
            draw.line([(cx, cy), (cx, cy - cr * 0.7)], fill=(60, 60, 60), width=3 * SCALE)
            draw.line([(cx, cy), (cx + cr * 0.5, cy)], fill=(60, 60, 60), width=3 * SCALE)
            for i in range(6):
                _tree(
                    draw,
                    0.04 * w + i * 0.03 * w if i < 3 else 0.88 * w + (i - 3) * 0.04 * w,
                    ground + 0.02 * h,
                    0.12 * h,
                    dark_green,
                )
        else:
            for i in range(5):
                x = 0.04 * w + i * 0.19 * w
                color = palette[i % len(palette)]
                draw.rectangle([x, ground - 0.18 * h, x + 0.16 * w, ground], fill=(245, 240, 230))
                for s in range(6):  # striped awning
                    fill = color if s % 2 == 0 else (255, 255, 255)
                    draw.rectangle(
                        [
                            x + s * 0.16 * w / 6,
                            ground - 0.24 * h,
                            x + (s + 1) * 0.16 * w / 6,
                            ground - 0.18 * h,
                        ],
                        fill=fill,
                    )
            if motif == "festival":
                draw.line([(0, 0.2 * h), (w, 0.26 * h)], fill=(90, 60, 40), width=3 * SCALE)
                for i in range(12):
                    x = (i + 0.5) * w / 12
                    y = 0.2 * h + 0.06 * h * x / w + 0.05 * h
                    draw.ellipse(
                        [x - 0.025 * w, y - 0.04 * h, x + 0.025 * w, y + 0.04 * h],
                        fill=(225, 70, 60) if i % 2 else (250, 190, 80),
                    )
        for _ in range(rnd.randint(4, 8)):
            _person(
                draw,
                rnd.uniform(0.05, 0.95) * w,
                rnd.uniform(0.8, 0.97) * h,
                0.12 * h,
                rnd.choice(palette),
            )
    elif motif == "meeting":
        draw.rectangle([0, 0, w, h], fill=(244, 236, 222))
        draw.rectangle(
            [0.1 * w, 0.1 * h, 0.45 * w, 0.45 * h],
            fill=(180, 215, 240),
            outline=(150, 120, 90),
            width=8 * SCALE,
        )
        draw.rectangle([0.58 * w, 0.12 * h, 0.9 * w, 0.4 * h], fill=(70, 110, 90))
        for i in range(4):
            draw.line(
                [
                    (0.62 * w, 0.18 * h + i * 0.05 * h),
                    (0.62 * w + rnd.uniform(0.12, 0.24) * w, 0.18 * h + i * 0.05 * h),
                ],
                fill=(235, 235, 220),
                width=4 * SCALE,
            )
        draw.rectangle([0, 0.62 * h, w, h], fill=(200, 170, 130))
        palette = [
            (230, 140, 110),
            (120, 160, 200),
            (240, 200, 120),
            (160, 140, 190),
            (130, 180, 150),
        ]
        for i in range(6):
            _person(draw, (0.14 + i * 0.145) * w, 0.78 * h, 0.26 * h, palette[i % len(palette)])
        draw.rounded_rectangle(
            [0.06 * w, 0.74 * h, 0.94 * w, 0.84 * h], radius=10 * SCALE, fill=(160, 110, 70)
        )
    else:  # garden
        _hills(draw, rnd, w, h, 0.55 * h, (150, 195, 150), 0.1 * h)
        draw.rectangle([0, 0.6 * h, w, h], fill=green)
        for x in range(0, w, int(0.05 * w)):
            draw.rectangle([x, 0.56 * h, x + 0.015 * w, 0.68 * h], fill=(245, 240, 230))
        draw.rectangle([0, 0.59 * h, w, 0.605 * h], fill=(245, 240, 230))
        colors = [(235, 90, 110), (250, 200, 70), (245, 245, 245), (180, 110, 210), (250, 140, 60)]
        for _ in range(70):
            x, y = rnd.uniform(0, w), rnd.uniform(0.7, 0.98) * h
            r = 0.012 * h * (0.6 + y / h)
            draw.line([(x, y), (x, y + r * 3)], fill=dark_green, width=2 * SCALE)
            draw.ellipse([x - r, y - r, x + r, y + r], fill=rnd.choice(colors))
    return image.resize(size, Image.BOX)  # averaging the 2x drawing smooths its edges

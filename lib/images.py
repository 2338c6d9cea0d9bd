"""Cleaning of images the public uploads: checked, rotated upright, re-encoded without metadata.

Memory is kept low: a JPEG is decoded at the smallest scale that still gives MAX_SIDE pixels
(`draft`), other formats are refused above MAX_PIXELS, and each is shrunk before it is turned.
A truncated file is refused whatever Pillow's process-wide LOAD_TRUNCATED_IMAGES says
(WeasyPrint turns it on when imported).
"""

import contextlib
import io
import uuid
import warnings
from collections.abc import Iterator
from typing import BinaryIO

from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

MAX_BYTES = 8 * 1024 * 1024
# Decoded at once: 12 Mpx (a phone's photo) is 48 MB as RGBA; cleaning one takes a worker
# about 50 MB (PNG) or 95 MB (a 48 Mpx JPEG decoded at half size) above its usual size.
MAX_PIXELS = 12_000_000
# A JPEG is decoded at 1/2, 1/4 or 1/8 of its size, so it may declare more.
MAX_JPEG_PIXELS = 64_000_000
MAX_SIDE = 4000
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
TOO_BIG = f"画像のファイルサイズは{MAX_BYTES // 1024 // 1024}MBまでです。"
TOO_MANY_PIXELS = "画像の画素数が大きすぎます（1,200万画素まで。JPEGは6,400万画素まで）。"
BROKEN = (
    "画像ファイルが壊れているようです（途中で切れている可能性があります）。"
    "別のファイルをお送りください。"
)


class ImageRejected(ValueError):
    """The upload is not an acceptable image; the message is for the person who sent it."""


class Oversized(bytes):
    """What an upload over MAX_BYTES reads as: the upload handler kept none of it."""


@contextlib.contextmanager
def _truncated_refused() -> Iterator[None]:
    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before


def clean_image(data: bytes | BinaryIO) -> tuple[bytes, str]:
    """Return the re-encoded image and a server-made file name, or raise ImageRejected."""
    if not isinstance(data, bytes):
        data = data.read(MAX_BYTES + 1)
    if isinstance(data, Oversized) or len(data) > MAX_BYTES:
        raise ImageRejected(TOO_BIG)
    try:
        with warnings.catch_warnings(), _truncated_refused():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind = probe.format
                width, height = probe.size
                if kind not in FORMATS:
                    raise ImageRejected("画像はJPEG・PNG・WebPのいずれかでお送りください。")
                limit = MAX_JPEG_PIXELS if kind == "JPEG" else MAX_PIXELS
                if width * height > limit:
                    raise ImageRejected(TOO_MANY_PIXELS)
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                ratio = min(1, MAX_SIDE / width, MAX_SIDE / height)
                if kind == "JPEG":  # decoded at 1/2, 1/4 or 1/8 where that still suffices
                    image.draft("RGB", (int(width * ratio), int(height * ratio)))
                image.load()
                image.thumbnail((MAX_SIDE, MAX_SIDE))
                ImageOps.exif_transpose(image, in_place=True)
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageRejected(TOO_MANY_PIXELS) from error
    except UnidentifiedImageError as error:
        message = "画像として読み込めないファイルです。JPEG・PNG・WebPの画像をお送りください。"
        raise ImageRejected(message) from error
    except (OSError, SyntaxError, ValueError) as error:
        raise ImageRejected(BROKEN) from error
    image.info = {}  # no comment, EXIF, XMP, ICC or text chunk is written again
    out = io.BytesIO()
    if kind == "JPEG" or image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        image.convert("RGB").save(out, "JPEG", quality=88)
        kind = "JPEG"
    else:
        image.save(out, kind)
    return out.getvalue(), f"{uuid.uuid4().hex}.{FORMATS[kind]}"

"""Cleaning of images the public uploads: checked, rotated upright, re-encoded without metadata."""

import io
import uuid
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 4000
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


class ImageRejected(ValueError):
    """The upload is not an acceptable image; the message is for the person who sent it."""


def clean_image(data: bytes) -> tuple[bytes, str]:
    """Return the re-encoded image and a server-made file name, or raise ImageRejected."""
    if len(data) > MAX_BYTES:
        raise ImageRejected(f"画像のファイルサイズは{MAX_BYTES // 1024 // 1024}MBまでです。")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind = probe.format
                width, height = probe.size
                if kind not in FORMATS:
                    raise ImageRejected("画像はJPEG・PNG・WebPのいずれかでお送りください。")
                if width * height > MAX_PIXELS:
                    raise ImageRejected("画像の画素数が大きすぎます（4,000万画素まで）。")
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageRejected("画像の画素数が大きすぎます（4,000万画素まで）。") from error
    except UnidentifiedImageError as error:
        message = "画像として読み込めないファイルです。JPEG・PNG・WebPの画像をお送りください。"
        raise ImageRejected(message) from error
    except (OSError, SyntaxError, ValueError) as error:
        message = "画像ファイルが壊れているようです。別のファイルをお送りください。"
        raise ImageRejected(message) from error
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    if kind == "JPEG" or image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        image.convert("RGB").save(out, "JPEG", quality=88)
        kind = "JPEG"
    else:
        image.save(out, kind)  # a fresh encode carries no EXIF, GPS or other metadata
    return out.getvalue(), f"{uuid.uuid4().hex}.{FORMATS[kind]}"

"""What a PDF may fetch: the project's own static and media files, photos downscaled for print.

WeasyPrint's side of it (`layout.LocalFilesOnly`) asks `local_file` for every URL that is not
a `data:` one, and `check_data_url` for those; this module never imports WeasyPrint.
"""

import io
import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

PRINT_IMAGE_MAX_PX = 1200  # long side; 84 mm wide photos stay above 300 dpi
DATA_IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"}


def check_data_url(url: str) -> None:
    """Refuse a `data:` URL unless it holds an image."""
    mime = url[5:].split(",", 1)[0].split(";", 1)[0].strip().lower()
    if mime not in DATA_IMAGE_TYPES:
        raise ValueError(f"refused data: URL of type {mime or 'text/plain'}")


def local_file(url: str) -> tuple[bytes, str]:
    """The content and type of a static or media file of this site; ValueError for any other."""
    parts = urlsplit(url)
    site = urlsplit(settings.SITE_URL)
    if parts.scheme in ("http", "https") and parts.netloc == site.netloc:
        return _typed(url, _site_file(unquote(parts.path)))
    if parts.scheme == "file":
        return _typed(url, _local_file(Path(unquote(parts.path))))
    raise ValueError(f"refused URL outside the project: {url[:80]}")


def _site_file(path: str) -> bytes:
    clean = posixpath.normpath(path)
    if clean != path.rstrip("/") or ".." in clean.split("/"):
        raise ValueError(f"refused path: {path}")
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    media_prefix = "/" + settings.MEDIA_URL.strip("/") + "/"
    if clean.startswith(static_prefix):
        found = finders.find(clean.removeprefix(static_prefix))
        if not found:
            raise ValueError(f"no such static file: {path}")
        return Path(found).read_bytes()
    if clean.startswith(media_prefix):
        with default_storage.open(clean.removeprefix(media_prefix)) as f:
            return f.read()
    raise ValueError(f"refused path outside static and media: {path}")


def _local_file(path: Path) -> bytes:
    real = path.resolve()
    roots = [Path(settings.MEDIA_ROOT), *map(Path, settings.STATICFILES_DIRS)]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    if not any(real.is_relative_to(root.resolve()) for root in roots):
        raise ValueError(f"refused file outside static and media: {path}")
    return real.read_bytes()


def _typed(url: str, data: bytes) -> tuple[bytes, str]:
    mime = mimetypes.guess_type(urlsplit(url).path)[0] or "application/octet-stream"
    if mime in ("image/jpeg", "image/png", "image/webp", "image/gif"):
        data, mime = print_image(data), "image/jpeg"
    return data, mime


def print_image(data: bytes) -> bytes:
    """Downscale a photo for print and re-encode it, so PDFs stay small and carry no EXIF."""
    with Image.open(io.BytesIO(data)) as image:
        if _fit_for_print(image):
            return data  # already small, clean JPEG (as uploads are stored): nothing to decode
        image = ImageOps.exif_transpose(image)
        image.thumbnail((PRINT_IMAGE_MAX_PX, PRINT_IMAGE_MAX_PX))
        if image.mode != "RGB":
            image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, "JPEG", quality=80, optimize=True)
    return out.getvalue()


def _fit_for_print(image: Image.Image) -> bool:
    return (
        image.format == "JPEG"
        and image.mode in ("RGB", "L")
        and max(image.size) <= PRINT_IMAGE_MAX_PX
        and "exif" not in image.info
    )

import io

import pytest
from PIL import Image

from lib.images import MAX_BYTES, ImageRejected, clean_image


def _image(fmt: str = "JPEG", size=(64, 48), exif: bool = False, orientation: int = 0) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    image.putpixel((0, 0), (0, 0, 255))
    out = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        data[0x8825] = {1: "N", 2: (35.0, 36.0, 0.0)}  # GPS
        if orientation:
            data[0x0112] = orientation
        kwargs["exif"] = data
    image.save(out, fmt, **kwargs)
    return out.getvalue()


def test_jpeg_is_reencoded_without_exif_or_gps_and_renamed():
    data, name = clean_image(_image(exif=True))
    assert name.endswith(".jpg") and len(name) == 36
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif()
        assert b"SecretCam" not in data


def test_orientation_is_applied():
    data, _ = clean_image(_image(size=(64, 48), exif=True, orientation=6))
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (48, 64)


@pytest.mark.parametrize("fmt, ext", [("PNG", "png"), ("WEBP", "webp")])
def test_png_and_webp_are_accepted(fmt, ext):
    assert clean_image(_image(fmt))[1].endswith(ext)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"<html>not an image</html>", "画像として読み込めない"),
        (b"GIF89a" + b"\x00" * 100, "画像として読み込めない"),
        (_image("GIF"), "JPEG・PNG・WebPのいずれか"),
        (_image("BMP"), "JPEG・PNG・WebPのいずれか"),
        (_image()[:60], "壊れている"),
        (b"\xff" * (MAX_BYTES + 1), "8MBまで"),
    ],
    ids=["html", "fake-gif", "gif", "bmp", "truncated", "too-big"],
)
def test_refusals(data, message):
    with pytest.raises(ImageRejected) as error:
        clean_image(data)
    assert message in str(error.value)


def test_decompression_bomb_is_refused():
    # A small PNG that claims 10,000 × 10,000 pixels.
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, "PNG")
    with pytest.raises(ImageRejected) as error:
        clean_image(out.getvalue())
    assert "画素数" in str(error.value)

"""Uploads: refused on their length before they are read, cut off at 8 MB as they arrive,
decoded small, stored without any metadata, truncated files refused."""

import io
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile, PngImagePlugin

from inquiries.models import ProposalPhoto
from kernel.uploads import LimitedUploadHandler, OversizedUpload
from lib.images import MAX_BYTES, MAX_SIDE, ImageRejected, clean_image
from tests import factories, served

pytestmark = pytest.mark.django_db

SECRETS = [b"<script>", b"Taro Boso", b"35.6", b"SecretCam", b"GPS"]


def _jpeg_with_everything(size=(640, 480)) -> bytes:
    image = Image.new("RGB", size, (30, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    exif[0x8825] = {1: "N", 2: (35.0, 36.0, 0.0)}
    out = io.BytesIO()
    image.save(
        out,
        "JPEG",
        exif=exif,
        comment=b"<script>alert(1)</script> Taro Boso, GPS 35.6 N",
        icc_profile=b"\0" * 128,
    )
    return out.getvalue()


def _field_error(html: str, field: str) -> str:
    found = re.search(rf'id="id_{field}_error"[^>]*>(.*?)</ul>', html, re.DOTALL)
    return found[1] if found else ""


@pytest.fixture
def case():
    return factories.case(title="写真の事例")


def test_a_stored_photo_has_no_comment_or_metadata(client, case, settings):
    upload = SimpleUploadedFile("me.jpg", _jpeg_with_everything(), content_type="image/jpeg")
    response = client.post(
        f"/cases/{case.number}/update/",
        factories.proposal_form(case, **{"photos-0-image": upload, "photos-0-alt": "森"}),
    )
    assert response.status_code == 302
    stored = ProposalPhoto.objects.get().image
    data = stored.read()
    for secret in SECRETS:
        assert secret not in data
    with Image.open(io.BytesIO(data)) as image:
        assert set(image.info) <= {"jfif", "jfif_version", "jfif_unit", "jfif_density"}
        assert not image.getexif()


def test_a_png_loses_its_text_chunks():
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Taro Boso <script>")
    out = io.BytesIO()
    Image.new("RGB", (32, 32), "blue").save(out, "PNG", pnginfo=info, icc_profile=b"\0" * 128)
    data, name = clean_image(out.getvalue())
    assert name.endswith(".png") and b"Taro Boso" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert "Author" not in image.info and "icc_profile" not in image.info


def test_a_truncated_jpeg_is_refused_beside_the_field_whatever_pillow_is_told(
    client, case, monkeypatch
):
    import weasyprint  # noqa: F401  # sets LOAD_TRUNCATED_IMAGES for the whole process

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    whole = _jpeg_with_everything(size=(1200, 900))
    Image.effect_noise((1200, 900), 80).convert("RGB").save(buffer := io.BytesIO(), "JPEG")
    whole = buffer.getvalue()
    cut = SimpleUploadedFile("cut.jpg", whole[: len(whole) * 2 // 3], content_type="image/jpeg")
    html = client.post(
        f"/cases/{case.number}/update/",
        factories.proposal_form(case, **{"photos-0-image": cut, "photos-0-alt": "森"}),
    ).content.decode()
    assert "画像ファイルが壊れているようです" in _field_error(html, "photos-0-image")
    assert not ProposalPhoto.objects.exists()
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # left as it was for WeasyPrint


def test_a_photo_over_8_mb_is_cut_off_as_it_arrives(client, case, settings):
    settings.FILE_UPLOAD_MAX_BYTES = 64 * 1024  # the handler's limit, small for the test
    big = SimpleUploadedFile("big.jpg", b"\xff" * (200 * 1024), content_type="image/jpeg")
    html = client.post(
        f"/cases/{case.number}/update/",
        factories.proposal_form(case, **{"photos-0-image": big, "photos-0-alt": "森"}),
    ).content.decode()
    assert "8MBまで" in _field_error(html, "photos-0-image")


def test_the_handler_keeps_nothing_past_the_limit(settings):
    settings.FILE_UPLOAD_MAX_BYTES = 100_000
    handler = LimitedUploadHandler()
    handler.new_file("photos-0-image", "big.jpg", "image/jpeg", None)
    kept = handler.file.temporary_file_path()
    for start in range(0, 1_000_000, 65_536):
        handler.receive_data_chunk(b"\0" * 65_536, start)
        if handler.oversized:
            assert not __import__("os").path.exists(kept)  # the partial file is deleted
    result = handler.file_complete(1_000_000)
    assert isinstance(result, OversizedUpload) and result.size > 100_000
    with pytest.raises(ImageRejected, match="8MBまで"):
        clean_image(result.read())


def test_a_body_over_the_limit_is_refused_on_its_length(client, case):
    response = client.post(
        f"/cases/{case.number}/update/", {}, CONTENT_LENGTH=str(100 * 1024 * 1024)
    )
    assert response.status_code == 413
    assert "合計26.0\xa0MBまで" in response.content.decode()


def test_a_large_jpeg_is_decoded_small_and_a_large_png_refused():
    out = io.BytesIO()
    Image.new("RGB", (8000, 6000), "white").save(out, "JPEG", quality=50)  # 48 Mpx
    data, _ = clean_image(out.getvalue())
    with Image.open(io.BytesIO(data)) as image:
        assert max(image.size) <= MAX_SIDE
    out = io.BytesIO()
    Image.new("1", (4100, 3000)).save(out, "PNG")  # 12.3 Mpx
    with pytest.raises(ImageRejected, match="画素数"):
        clean_image(out.getvalue())


CLEAN_IN_A_PROCESS = """
import resource, sys
sys.path.insert(0, {root!r})
from lib.images import clean_image
data = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
clean_image(data)
print(before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


@pytest.mark.process  # measures a process of its own
@pytest.mark.parametrize("fmt, size", [("JPEG", (8000, 6000)), ("PNG", (4000, 3000))])
def test_cleaning_the_largest_accepted_photo_stays_well_under_200_mb(tmp_path, fmt, size):
    path = tmp_path / f"photo.{fmt.lower()}"
    small = Image.effect_noise((size[0] // 40, size[1] // 40), 60).convert("RGB")
    small.resize(size, Image.Resampling.BILINEAR).save(path, fmt)  # a photo-like blur
    if path.stat().st_size > MAX_BYTES:
        Image.new("RGB", size, "white").save(path, fmt)
    assert path.stat().st_size <= MAX_BYTES
    code = CLEAN_IN_A_PROCESS.format(root=str(served.ROOT))
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    ).stdout.split()
    before, peak = int(out[0]) // 1024, int(out[1]) // 1024
    assert peak - before < 120, (before, peak)


@pytest.mark.process  # a gunicorn worker
@pytest.mark.django_db(transaction=False)
def test_a_100_mb_upload_is_refused_without_the_worker_growing(site_env):
    env = site_env
    number = served.manage(env, code="from tests import factories; print(factories.case().number)")
    with served.Server(env) as server:
        assert server.started
        # Both workers warmed up: one connection after another mostly reaches the same worker,
        # so several at once, until neither grows from a page any more.
        page = f"/cases/{number}/update/"
        before = {}
        for _ in range(10):
            with ThreadPoolExecutor(4) as pool:
                list(pool.map(lambda _: server.get(page), range(12)))
            now = {pid: served.rss_kb(pid) for pid in server.worker_pids()}
            if before and all(now[pid] - before[pid] < 1024 for pid in now):
                break
            before = now
        status = served.post_huge(server.port, f"/cases/{number}/update/", 100 * 1024 * 1024)
        after = {pid: served.rss_kb(pid) for pid in server.worker_pids()}
    assert status == 413
    assert max(after[pid] - before[pid] for pid in before) < 5 * 1024, (before, after)

"""Refused uploads as a sender sees them: the reason beside the photo, or a page saying the
whole post was too large."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests import factories
from tests.browser import assert_no_axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _photo(tmp_path, size=(400, 300), cut: bool = False):
    out = io.BytesIO()
    Image.effect_noise(size, 90).convert("RGB").save(out, "JPEG", quality=95)
    data = out.getvalue()
    path = tmp_path / "photo.jpg"
    path.write_bytes(data[: len(data) * 2 // 3] if cut else data)
    return path


def _propose_with(page, base: str, case, photo) -> None:
    page.goto(base + case.get_absolute_url())
    page.get_by_role("link", name=re.compile("掲載情報の更新を提案する")).click()
    page.get_by_label("お名前").fill("房総 太郎")
    page.get_by_label("団体名").fill("NPO法人みどり")
    page.get_by_label("メールアドレス").fill("taro@example.jp")
    page.get_by_label("事例との関係").select_option("partner")
    page.get_by_label("写真1", exact=True).set_input_files(photo)
    page.get_by_label("写真1の説明（代替テキスト）").fill("観察会の様子")
    page.get_by_label(re.compile("プライバシーポリシー.*同意する")).check()
    page.get_by_role("button", name="更新を提案する").click()


def test_a_photo_too_large_is_named_beside_its_field(
    page, live_server, reference_data, settings, tmp_path
):
    settings.FILE_UPLOAD_MAX_BYTES = 50 * 1024
    case = factories.case(title="写真を送る事例")
    _propose_with(page, live_server.url, case, _photo(tmp_path))
    field = page.locator(".field--error").filter(has=page.get_by_label("写真1", exact=True))
    expect(field).to_contain_text("8MBまで")
    expect(page.get_by_label("お名前")).to_have_value("房総 太郎")
    assert_no_axe_violations(page)
    field.scroll_into_view_if_needed()
    page.screenshot(path=tmp_path / "photo-too-large.png")


def test_a_truncated_photo_is_refused_beside_its_field(page, live_server, reference_data, tmp_path):
    import weasyprint  # noqa: F401  # LOAD_TRUNCATED_IMAGES on, as in every worker

    case = factories.case(title="写真を送る事例")
    _propose_with(page, live_server.url, case, _photo(tmp_path, size=(1200, 900), cut=True))
    field = page.locator(".field--error").filter(has=page.get_by_label("写真1", exact=True))
    expect(field).to_contain_text("画像ファイルが壊れているようです")


@pytest.mark.parametrize("width", [390, 1280])
def test_a_post_too_large_gets_a_page_saying_so(
    page, live_server, reference_data, settings, tmp_path, width
):
    settings.MAX_REQUEST_BYTES = 100 * 1024
    page.set_viewport_size({"width": width, "height": 800})
    case = factories.case(title="写真を送る事例")
    _propose_with(page, live_server.url, case, _photo(tmp_path, size=(600, 450)))
    expect(page.get_by_role("heading", name="送信できる大きさを超えています")).to_be_visible()
    expect(page.get_by_text(re.compile("合計100.0.KBまで"))).to_be_visible()
    assert_no_axe_violations(page)
    page.screenshot(path=tmp_path / f"413-{width}.png", full_page=True)

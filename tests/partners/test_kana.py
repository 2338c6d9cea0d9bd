"""団体名（カナ） is kept in katakana, whatever script it was typed in, so 50音順 holds."""

import pytest

from lib.text import katakana
from tests import factories
from tests.staff import admin_form_data

pytestmark = pytest.mark.django_db


def test_katakana_folds_hiragana_and_half_width_kana():
    assert katakana(" みどりのて ") == "ミドリノテ"
    assert katakana("ｶﾓﾒ") == "カモメ"
    assert katakana("ゝゞ") == "ヽヾ"
    assert katakana("ミドリノテ") == "ミドリノテ"


def test_a_reading_typed_in_hiragana_is_saved_in_katakana(admin_client):
    organization = factories.organization("NPO法人あおぞら", kana="アオゾラ")
    url = f"/admin/partners/organization/{organization.pk}/change/"
    data = {**admin_form_data(admin_client.get(url)), "kana": "あおぞら"}
    assert admin_client.post(url, data).status_code == 302
    organization.refresh_from_db()
    assert organization.kana == "アオゾラ"

"""Printing a case page from the browser (print.css): Chromium's own PDF of the page."""

import io
import unicodedata

import pytest
from django.core.management import call_command
from django.db.models.functions import Length
from pypdf import PdfReader

from cases.models import Case

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TEXT_FIELDS = ("summary", "background", "activities", "outcomes", "tips", "future_plans")


def printed(page, url: str) -> PdfReader:
    page.goto(url)
    page.emulate_media(media="print")
    page.evaluate("document.fonts.ready.then(() => true)")
    return PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True)))


def test_a_printed_case_is_its_content_on_at_most_four_pages(
    page, live_server, reference_data, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", verbosity=0)
    by_length = Case.objects.published().alias(
        length=sum((Length(name) for name in TEXT_FIELDS[1:]), Length(TEXT_FIELDS[0]))
    )
    longest = list(by_length.order_by("-length")[:2])
    for case in [*longest, Case.objects.get(number=8)]:
        reader = printed(page, live_server.url + case.get_absolute_url())
        # The font maps some kanji to radical look-alikes (入 → ⼊, 民 → ⺠): NFKC and one more.
        text = unicodedata.normalize("NFKC", "".join(p.extract_text() for p in reader.pages))
        text = text.replace("\u2ea0", "民")
        text = text.replace("\n", "")
        assert len(reader.pages) <= 4, f"事例No.{case.number}: {len(reader.pages)} pages"
        assert case.title in text.replace(" ", "")  # the text is there, in a Japanese font
        assert f"事例No.{case.number}" in text
        assert f"{settings.SITE_URL}/cases/{case.number}/" in text
        for unwanted in ["役に立ちましたか", "この事例について", "事例集に追加", "事例を探す"]:
            assert unwanted not in text

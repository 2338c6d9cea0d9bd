"""Case cards, the 役割分担 table and related cases at a phone's 390 px and a desk's 1280 px."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser import DESKTOP, PHONE, assert_no_axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def case_with_relatives(reference_data):
    npo = factories.organization("特定非営利活動法人ならしの国際交流ひろば", kind="npo")
    other = factories.organization("習志野市 総務部 危機管理課", kind="other")
    case = factories.case(
        title="多言語防災ガイド",
        lead=npo,
        partners=(other,),
        photos=1,
        lead_role="事業の受託者として全体の進行を担いました。",
    )
    for i in range(4):
        factories.case(title=f"関連する防災の事例{i}", photos=1)
    return case


def _one_line(locator) -> bool:
    """Whether the element's text is laid out as one line box."""
    script = "e => { const r = document.createRange(); r.selectNodeContents(e); "
    script += "return new Set([...r.getClientRects()].map(c => Math.round(c.top))).size; }"
    return locator.evaluate(script) == 1


def test_on_a_phone_cards_stack_and_kinds_stay_whole(browser, live_server, case_with_relatives):
    context = browser.new_context(locale="ja-JP", viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/cases/")
        card = page.locator(".case-card").first
        media, body = card.locator(".case-card__media"), card.locator(".case-card__body")
        image = media.bounding_box()
        assert image["y"] + image["height"] <= body.bounding_box()["y"]
        assert body.bounding_box()["width"] > 300  # the text has the card's width
        assert_no_axe_violations(page)

        page.goto(live_server.url + case_with_relatives.get_absolute_url())
        roles = page.get_by_role("table").filter(has_text="役割")
        for kind in ("NPO法人", "その他"):
            label = roles.get_by_text(kind, exact=True).filter(visible=True)
            expect(label).to_be_visible()
            assert _one_line(label), kind
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        related = page.locator(".case-list--related > li")
        expect(related).to_have_count(4)
        xs = {round(related.nth(i).bounding_box()["x"]) for i in range(4)}
        assert len(xs) == 1  # one column
        assert_no_axe_violations(page)
    finally:
        context.close()


def test_on_a_desk_four_related_cases_share_one_row(browser, live_server, case_with_relatives):
    context = browser.new_context(locale="ja-JP", viewport=DESKTOP)
    page = context.new_page()
    try:
        page.goto(live_server.url + case_with_relatives.get_absolute_url())
        related = page.locator(".case-list--related > li")
        expect(related).to_have_count(4)
        ys = {round(related.nth(i).bounding_box()["y"]) for i in range(4)}
        assert len(ys) == 1
        kind = page.get_by_role("cell", name="NPO法人", exact=True)
        expect(kind).to_be_visible()
        assert _one_line(kind)
        assert_no_axe_violations(page)
    finally:
        context.close()

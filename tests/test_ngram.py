import random

import pytest

from cases.models import Case, Domain, Method
from cases.selectors import CASES
from inquiries import services as inquiry_services
from kernel import ngram
from partners.models import Organization
from tests import factories

pytestmark = pytest.mark.django_db

KANA = (
    "あいうえおかきくけこさしすせそたちつてとなにのはひまみむめもやゆよらりるれろわをん"
    + "がぎぐごっゃょー"
)
KANJI = "子供地域福祉町作空家竹林防災訓練協働事業活動参加市民会"
ASCII = "abcxyz0129"
MARKS = "%_\\.,;:!?'\"()[]{}-*/・、。「」〜"
RARE = "𠮷\uffff"  # outside the 16-bit codes PostgreSQL's index holds exactly
ALPHABET = KANA + KANJI + ASCII + MARKS + RARE


def _text(rnd: random.Random) -> str:
    """Like a search text: folded text, a newline, its word forms (spaces and all)."""

    def half() -> str:
        chars = []
        for _ in range(rnd.randint(0, 120)):
            pool = rnd.choice([KANA, KANA, KANJI, KANJI, ASCII, MARKS, " ", RARE])
            chars.append(rnd.choice(pool))
        return "".join(chars)

    text = half()
    return f"{text}\n{half()}" if rnd.random() < 0.7 else text


def _term(rnd: random.Random, texts: list[str]) -> str:
    length = rnd.randint(1, 6)
    text = rnd.choice(texts)
    if rnd.random() < 0.2 and "\n" in text:  # the two halves joined: must not match across
        first, second = text.split("\n", 1)
        joined = first[-rnd.randint(1, 3) :] + second[: rnd.randint(1, 3)]
        if joined.strip() and not any(c.isspace() for c in joined):
            return joined
    if rnd.random() < 0.75 and len(text) > length:
        start = rnd.randrange(len(text) - length)
        piece = text[start : start + length]
        if not any(c.isspace() for c in piece):
            return piece
    return "".join(rnd.choice(ALPHABET) for _ in range(length))


def _rows(model, count: int) -> list[int]:
    lead = factories.organization("運営団体")
    if model is Organization:
        rows = Organization.objects.bulk_create(
            Organization(name=f"団体{i}", kind="npo") for i in range(count)
        )
    else:
        rows = Case.objects.bulk_create(
            Case(
                number=i, title=f"事例{i}", area=lead.area, lead_organization=lead, start_year=2020
            )
            for i in range(1, count + 1)
        )
    return [row.pk for row in rows]


@pytest.mark.parametrize("model", [Case, Organization])
def test_index_finds_exactly_what_a_substring_scan_finds(model):
    rnd = random.Random(20261202)
    pks = _rows(model, 60)
    texts = dict(zip(pks, (_text(rnd) for _ in pks), strict=True))
    ngram.save_texts(model, texts)
    ngram.save_texts(model, {pk: _text(rnd) for pk in pks[::3]})  # re-indexed rows
    texts = dict(model.objects.filter(pk__in=pks).values_list("pk", "search_text"))
    corpus = list(texts.values())
    found = 0
    for _ in range(300):
        terms = [
            tuple(dict.fromkeys(_term(rnd, corpus) for _ in range(rnd.choice([1, 1, 2]))))
            for _ in range(rnd.choice([1, 1, 1, 2, 3]))
        ]
        expected = {
            pk
            for pk, text in texts.items()
            if all(any(s in text for s in spellings) for spellings in terms)
        }
        assert set(ngram.matching(model, terms)) & set(pks) == expected, terms
        assert set(ngram._scan(model, terms)) & set(pks) == expected, terms
        found += bool(expected)
    assert 100 < found < 250  # both outcomes well represented


def test_each_class_of_term_is_found_and_not_across_the_line_break():
    (pk,) = _rows(Case, 1)
    ngram.save_texts(Case, {pk: "子ども食堂 100%_ok\n子供食堂"})
    for term in ["子", "ど", "%", "_", "子ど", "%_", "子ども食堂", "100%_ok", "子供食堂"]:
        assert ngram.matching(Case, [term]) == [pk], term
    for term in ["堂子", "ok子", "子供も", "_%", "0%_x"]:
        assert ngram.matching(Case, [term]) == [], term
    assert ngram.matching(Case, ["食堂", ("猫", "ok")]) == [pk]
    assert ngram.matching(Case, ["食堂", ("猫", "犬")]) == []


def _found(query: str) -> set[int]:
    return {case.number for case in CASES.search({"q": query}).page}


def test_a_new_case_is_found_at_once():
    assert _found("竹林") == set()
    case = factories.case(summary="竹林を整備します。")
    assert _found("竹林") == {case.number}


def test_an_edit_in_the_staff_site_changes_what_is_found(admin_client):
    lead = factories.organization("NPO法人みどりの手")
    form = {
        "number": "501",
        "title": "里山の保全",
        "status": "published",
        "area": lead.area_id,
        "start_year": "2022",
        "domains": [Domain.objects.first().pk],
        "methods": [Method.objects.first().pk],
        "summary": "竹林を整備します。",
        "lead_organization": lead.pk,
        "verified_on": "2026-04-01",  # publishing needs it, a 手法 and a partner
        **{f"{name}-{k}": "0" for name in ("partners", "schedule", "awards", "photos")
           for k in ("TOTAL_FORMS", "INITIAL_FORMS")},
        "partners-TOTAL_FORMS": "1",
        "partners-0-organization": factories.organization("株式会社みどり造園").pk,
        "partners-0-role": "竹の伐採",
        "partners-0-order": "0",
    }  # fmt: skip
    assert admin_client.post("/admin/cases/case/add/", form).status_code == 302
    assert _found("竹林") == {501}
    case = Case.objects.get(number=501)
    form["summary"] = "里山の田んぼを守ります。"
    form.update({"partners-INITIAL_FORMS": "1", "partners-0-id": case.partners.get().pk})
    response = admin_client.post(f"/admin/cases/case/{case.pk}/change/", form)
    assert response.status_code == 302
    assert _found("竹林") == set()
    assert _found("田んぼ") == {501}


def test_an_approved_update_proposal_changes_what_is_found(admin_user):
    case = factories.case(summary="竹林を整備します。")
    proposal = inquiry_services.submit_proposal(
        case=case,
        sender={
            "name": "太郎",
            "organization": "NPO法人",
            "email": "t@example.jp",
            "relation": "lead",
        },
        changes={"summary": "海岸のごみを拾います。"},
        photos=[],
    )
    inquiry_services.approve_proposal(proposal=proposal, reviewer=admin_user)
    assert _found("竹林") == set()
    assert _found("海岸") == {case.number}


def test_an_import_changes_what_is_found(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    factories.organization("NPO法人みどりの手")
    header = "事例No.,事例名,公開状態,地域,開始年度,活動分野,事業の手法,事業概要,運営団体"
    row = "901,里山の保全,draft,市川市,2021,環境,委託,竹林を整備します。,NPO法人みどりの手"
    upload = SimpleUploadedFile("cases.csv", f"{header}\r\n{row}\r\n".encode(), "text/csv")
    preview = admin_client.post(
        "/admin/cases/case/import/", {"resource": "0", "format": "0", "import_file": upload}
    )
    done = admin_client.post(
        "/admin/cases/case/process_import/", preview.context["confirm_form"].initial
    )
    assert done.status_code == 302  # imported as a draft: publishing asks for a partner first
    found = Case.objects.filter(pk__in=ngram.matching(Case, ["竹林"]))
    assert list(found.values_list("number", flat=True)) == [901]


def test_an_organization_renamed_is_found_by_its_new_name_in_its_cases():
    lead = factories.organization("NPO法人ひだまり")
    case = factories.case(lead=lead)
    assert _found("ひだまり") == {case.number}
    lead.name = "NPO法人こもれび"
    lead.save()
    assert _found("ひだまり") == set()
    assert _found("こもれび") == {case.number}
    assert ngram.matching(Organization, ["こもれび"]) == [lead.pk]


def test_a_deleted_case_leaves_the_index(admin_client):
    case = factories.case(summary="竹林を整備します。", status=Case.Status.DRAFT)
    assert ngram.matching(Case, ["竹林"]) == [case.pk]
    response = admin_client.post(f"/admin/cases/case/{case.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Case.objects.exists()
    assert ngram.matching(Case, ["竹林"]) == []


def test_reindex_and_rebuild_index_what_is_stored():
    from django.core.management import call_command

    case = factories.case(summary="竹林を整備します。")
    Case._base_manager.filter(pk=case.pk).update(search_text="")  # as an older release left it
    ngram.rebuild(Case)
    assert ngram.matching(Case, ["竹林"]) == []
    call_command("reindex", verbosity=0)
    assert ngram.matching(Case, ["竹林"]) == [case.pk]


@pytest.mark.django_db(transaction=True)
def test_the_planner_settings_of_a_lookup_end_with_it_in_or_out_of_a_transaction(reference_data):
    from django.db import connection, transaction

    from lib.text import keyword_terms

    if connection.vendor != "postgresql":
        pytest.skip("the planner settings are PostgreSQL's")
    # words no other test writes: a transactional test's flush leaves the n-gram table alone
    case = factories.case(summary="柚子坂の棚田保全隊と鰆汁の会")

    def seqscan() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('enable_seqscan')")
            return cursor.fetchone()[0]

    assert ngram.matching(Case, keyword_terms("棚田保全隊")) == [case.pk]  # its own transaction
    assert seqscan() == "on"
    with transaction.atomic():  # within the caller's: put back before the caller goes on
        assert ngram.matching(Case, keyword_terms("鰆汁")) == [case.pk]
        assert seqscan() == "on"

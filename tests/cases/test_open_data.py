import csv
import io
import json

import pytest

from cases.models import Case, Domain
from partners.models import OrganizationRecord
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases():
    lead = factories.organization("NPO法人みどりの手", founded_year=2008, mission="森を守る")
    OrganizationRecord.objects.create(organization=lead, year=2021, kind="award", title="知事表彰")
    partner = factories.organization("株式会社かもめ", kind="company")
    green = factories.case(
        number=1,
        title="里山の保全",
        domains=("環境",),
        lead=lead,
        partners=(partner,),
        schedule=(("4月", "下草刈り"),),
        tips="=危険なセル",
    )
    sport = factories.case(number=2, title="地域スポーツ", domains=("スポーツ",))
    factories.case(number=3, title="下書きの事例", domains=("環境",), status=Case.Status.DRAFT)
    return green, sport


def _rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads UTF-8 only with a BOM
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def _json(response) -> dict:
    return json.loads(b"".join(response.streaming_content))


def test_csv_has_the_twelve_fields_and_never_drafts(client, cases):
    response = client.get("/cases/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert 'rel="license"' in response["Link"]
    rows = _rows(response)
    assert [r["事例名"] for r in rows] == ["里山の保全", "地域スポーツ"]
    green = rows[0]
    assert green["1 活動分野"] == "環境"
    assert green["2 協働パートナーの種別"] == "企業"
    assert green["7 年間スケジュール"] == "4月：下草刈り"
    assert green["8 協働パートナーと役割"] == "株式会社かもめ（企業）：役割1"
    assert green["10 コラボのコツ"] == "'=危険なセル"  # escaped for spreadsheets
    assert (
        "設立2008年" in green["12 運営団体の概要"] and "知事表彰" in green["12 運営団体の活動実績"]
    )
    assert green["URL"] == "http://127.0.0.1:8000/cases/1/"


def test_exports_follow_the_search_filters(client, cases):
    env = Domain.objects.get(name="環境").pk
    assert [r["事例No."] for r in _rows(client.get(f"/cases/export.csv?domain={env}"))] == ["1"]
    data = _json(client.get("/cases/export.json?q=スポーツ"))
    assert data["count"] == 1 and data["cases"][0]["事例名"] == "地域スポーツ"
    assert "CC BY 4.0" in data["license"]


def test_field_12_comes_from_the_organization_as_it_is_now(client, cases):
    lead = cases[0].lead_organization
    lead.mission = "新しいミッション"
    lead.save()
    assert (
        "新しいミッション"
        in _json(client.get("/cases/export.json"))["cases"][0]["12 運営団体の概要"]
    )


def test_search_page_links_to_the_exports_with_its_filters(client, cases):
    html = client.get("/cases/?q=里山").content.decode()
    assert 'href="/cases/export.csv?q=%E9%87%8C%E5%B1%B1"' in html
    assert "CC BY 4.0" in html


@pytest.mark.parametrize("query", ["page=x", "domain=999", "q=" + "あ" * 3000, "year=abc"])
def test_malformed_export_queries_never_fail(client, cases, query):
    assert client.get(f"/cases/export.csv?{query}").status_code == 200
    assert client.get(f"/cases/export.json?{query}").status_code == 200


def _old_json_export() -> bytes:
    """The export as JsonResponse built it in memory before it streamed."""
    from django.conf import settings
    from django.http import JsonResponse

    from cases import opendata
    from cases.pdf import with_pdf_data
    from cases.selectors import CASES

    rows = [opendata.row(case) for case in with_pdf_data(CASES.matching({}, "number"))]
    document = {
        "title": f"{settings.SITE_NAME} 協働事例",
        "publisher": f"{settings.PREFECTURE_NAME} {settings.CONTACT_OFFICE}",
        "license": settings.OPEN_DATA_LICENSE,
        "license_url": settings.OPEN_DATA_LICENSE_URL,
        "generated_at": "T",
        "count": len(rows),
        "cases": rows,
    }
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False}).content


def _without_time(data: bytes) -> bytes:
    import re

    return re.sub(rb'"generated_at": "[^"]*"', b'"generated_at": "T"', data)


def test_the_streamed_json_is_the_document_it_was(client, cases):
    streamed = b"".join(client.get("/cases/export.json").streaming_content)
    assert _without_time(streamed) == _old_json_export()


def test_an_export_is_written_once_per_catalogue_version(client, cases, django_assert_num_queries):
    first = b"".join(client.get("/cases/export.csv").streaming_content)
    # the change feed's head (the catalogue version) and the versions of the kinds the
    # facets' options read
    with django_assert_num_queries(2):
        again = client.get("/cases/export.csv")
        assert b"".join(again.streaming_content) == first
    assert again["Content-Type"] == "text/csv" and 'rel="license"' in again["Link"]
    assert again["Content-Disposition"] == 'attachment; filename="collanavi-cases.csv"'
    cases[1].title = "地域スポーツ（改）"
    cases[1].save()
    assert (
        "地域スポーツ（改）" in b"".join(client.get("/cases/export.csv").streaming_content).decode()
    )


def test_junk_parameters_share_the_written_export(client, cases, settings):
    b"".join(client.get("/cases/export.json").streaming_content)
    for query in ("junk=1", "page=3", "sort=number", "domain=99999", "q="):
        b"".join(client.get(f"/cases/export.json?{query}").streaming_content)
    assert len(list((settings.EXPORT_CACHE_DIR / "export-json").iterdir())) == 1


def test_an_export_streams_with_bounded_memory(client, monkeypatch):
    import tracemalloc

    from cases import opendata

    monkeypatch.setattr(opendata, "CHUNK", 10)
    first = factories.case(number=1, summary="長い概要。" * 2000)
    # 59 more rows written straight to the table: an export reads no search index, and
    # indexing 600,000 characters would be most of this test's time
    row = {f.attname: getattr(first, f.attname) for f in Case._meta.concrete_fields}
    copies = [Case(**{**row, "id": None, "number": n}) for n in range(2, 61)]
    Case._base_manager.bulk_create(copies)
    response = client.get("/cases/export.json")
    tracemalloc.start()
    chunks = iter(response.streaming_content)
    size = len(next(chunks))
    tracemalloc.reset_peak()
    first = tracemalloc.get_traced_memory()[0]  # a chunk of cases read, the writer set up
    size += sum(len(chunk) for chunk in chunks)
    growth = tracemalloc.get_traced_memory()[1] - first
    tracemalloc.stop()
    assert size > 1_500_000
    assert growth < size / 5, (growth, size)


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_long_export_is_written_by_the_worker_and_the_last_one_served_meanwhile(
    client, cases, settings
):
    from django_tasks_db.models import DBTaskResult

    from cases.tasks import build_export
    from tests.worker import run_worker

    settings.EXPORT_IN_REQUEST_MAX = 1  # both published cases: too long for a request
    response = client.get("/cases/export.csv")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "オープンデータを作成しています" in response.content.decode()
    client.get("/cases/export.csv")  # asked again: queued once
    queued = DBTaskResult.objects.filter(task_path=build_export.module_path)
    assert queued.count() == 1

    run_worker()
    response = client.get("/cases/export.csv")
    assert response.status_code == 200 and "Last-Modified" in response
    assert [row["事例名"] for row in _rows(response)] == ["里山の保全", "地域スポーツ"]

    green, _ = cases
    green.title = "里山の保全と活用"
    green.save()
    meanwhile = client.get("/cases/export.csv")  # the earlier file, while the new one is written
    assert [row["事例名"] for row in _rows(meanwhile)] == ["里山の保全", "地域スポーツ"]
    run_worker()
    titles = [row["事例名"] for row in _rows(client.get("/cases/export.csv"))]
    assert titles == ["里山の保全と活用", "地域スポーツ"]
    assert len(list((settings.EXPORT_CACHE_DIR / "export-csv").iterdir())) == 1  # the old went


def test_a_short_export_is_written_in_the_request(client, cases, settings):
    settings.EXPORT_IN_REQUEST_MAX = 1
    response = client.get("/cases/export.csv?q=スポーツ")  # one case
    assert response.status_code == 200
    assert [row["事例名"] for row in _rows(response)] == ["地域スポーツ"]

"""Case PDFs laid out ahead of time by the worker; books wait on a progress page, never lay out."""

import io
import shutil

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from cases import pdf, tasks
from cases.models import BoundBook, Case, CasePdf, Domain, Method
from kernel.ratelimit import one_of
from kernel.tasks import follow_feed
from partners.models import Area
from tests import factories
from tests.worker import lay_out_all, run_worker

pytestmark = pytest.mark.django_db


def everything(content: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def keys(*cases: Case) -> list[str]:
    return pdf.case_keys(list(pdf.with_pdf_data(Case.objects.filter(pk__in=[c.pk for c in cases]))))


def test_a_cold_book_answers_a_progress_page_then_the_worker_makes_the_pdf(client):
    first = factories.case(title="フードバンクの協働")
    second = factories.case(title="里山の保全")
    url = f"/casebook/pdf/?cases={first.number},{second.number}"

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "事例集を作成しています（<span data-progress-ready>0</span> / 2件）" in page
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert 'src="/static/js/pdf-progress.js"' in page
    crumbs = '<li><a href="/casebook/">マイ事例集</a></li><li aria-current="page">事例集の作成</li>'
    assert crumbs in page
    assert "no-store" in response["Cache-Control"]
    queued = DBTaskResult.objects.filter(task_path="cases.tasks.render_case_pdf")
    assert sorted(r.args_kwargs["args"][0] for r in queued) == [first.pk, second.pk]
    assert {r.priority for r in queued} == {tasks.WAITED_FOR}
    client.get(url)
    assert queued.count() == 2  # the page's reloads do not queue the same layout again

    progress = client.get(url, headers={"Accept": "application/json"}).json()
    assert progress == {"ready": 0, "total": 2, "done": False}

    run_worker()
    assert CasePdf.objects.count() == 2
    assert client.get(url, headers={"Accept": "application/json"}).json()["done"] is True
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="casebook.pdf"')
    assert "里山の保全" in everything(response.content)


def test_a_ready_case_downloads_and_a_cold_one_waits(client):
    case = factories.case(title="里山の保全")
    response = client.get(f"/cases/{case.number}/pdf/")
    assert "PDFを作成しています" in response.content.decode()
    lay_out_all()
    response = client.get(f"/cases/{case.number}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert "里山の保全" in everything(response.content)


def test_staff_preview_a_draft_laid_out_on_request(client):
    draft = factories.case(title="下書きの事例", status=Case.Status.DRAFT)
    client.force_login(factories.staff_user("管理者"))
    response = client.get(f"/cases/{draft.number}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert not CasePdf.objects.exists()  # never stored: drafts are not public


def test_changes_are_queued_once_per_transaction(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        company = factories.organization("株式会社房総フーズ", kind="company")
        case = factories.case(partners=(company,))
    assert DBTaskResult.objects.get().task_path == "kernel.tasks.follow_feed"
    follow_feed.call()  # the worker has followed the feed so far
    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        case.title = "新しい題"
        case.save()
        case.save()
        company.name = "株式会社新房総フーズ"
        company.save()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "kernel.tasks.follow_feed"
    DBTaskResult.objects.all().delete()
    assert follow_feed.call() == 5  # the case twice (and its lead's), the company
    layouts = DBTaskResult.objects.filter(task_path="cases.tasks.render_case_pdf")
    assert [t.args_kwargs["args"] for t in layouts] == [[case.pk]]


def test_affected_cases_follow_what_they_print():
    company = factories.organization("株式会社房総フーズ", kind="company")
    lead = factories.organization("NPO法人里山")
    as_partner = factories.case(partners=(company,), domains=("環境",), methods=("共催",))
    as_lead = factories.case(lead=company, area_name="館山市")
    draft = factories.case(partners=(company,), status=Case.Status.DRAFT)
    other = factories.case(lead=lead)
    environment = Domain.objects.get(name="環境")
    assert tasks.affected_cases([f"organization:{company.pk}"]) == [as_partner.pk, as_lead.pk]
    assert tasks.affected_cases([f"domain:{environment.pk}"]) == [as_partner.pk]
    method = Method.objects.get(name="共催")
    assert tasks.affected_cases([f"method:{method.pk}"]) == [as_partner.pk]
    area = Area.objects.get(name="館山市")
    assert tasks.affected_cases([f"area:{area.pk}"]) == [as_lead.pk]
    assert tasks.affected_cases([f"case:{draft.pk}"]) == [draft.pk]  # to drop its pages
    assert set(tasks.affected_cases(["*"])) == {as_partner.pk, as_lead.pk, other.pk}


@pytest.mark.parametrize(
    ("model", "name", "field"),
    [(Domain, "まちづくり", "domains"), (Method, "委託", "methods"), (Area, "千葉市", "area")],
)
def test_a_renamed_name_changes_the_next_pdf(
    model, name, field, client, django_capture_on_commit_callbacks
):
    case = factories.case(title="駅前の花壇づくり")
    lay_out_all()
    before = keys(case)
    row = model.objects.get(name=name)
    with django_capture_on_commit_callbacks(execute=True):
        row.name = "新しい名前"
        row.save()
    assert keys(case) != before
    url = f"/casebook/pdf/?cases={case.number}"
    assert "作成しています" in client.get(url).content.decode()
    run_worker()  # the rename's refresh task, then the layout it queued
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert "新しい名前" in everything(response.content)


def test_site_settings_are_in_the_key(settings):
    case = factories.case()
    before = keys(case)
    settings.SITE_URL = "https://collanavi.example.jp"
    assert keys(case) != before


def test_a_layout_file_change_changes_the_key(settings, tmp_path, monkeypatch):
    for folder in ("templates/pdf", "static/css", "static/fonts"):
        shutil.copytree(settings.BASE_DIR / folder, tmp_path / folder)
    monkeypatch.setattr(settings, "BASE_DIR", tmp_path)
    pdf.layout_version.cache_clear()
    try:
        case = factories.case()
        before = keys(case)
        css = tmp_path / "static/css/pdf.css"
        css.write_text(css.read_text() + "\nh1 { color: navy; }\n")
        pdf.layout_version.cache_clear()
        assert keys(case) != before
        changed_css = keys(case)
        template = tmp_path / "templates/pdf/front.html"  # not even in a case's HTML
        template.write_text(template.read_text() + "\n")
        pdf.layout_version.cache_clear()
        assert keys(case) != changed_css
    finally:
        pdf.layout_version.cache_clear()


def test_a_withdrawn_case_loses_its_stored_pages():
    case = factories.case()
    lay_out_all()
    case.status = Case.Status.ARCHIVED
    case.save()
    assert tasks.render_case_pdf.call(case.pk) is False
    assert not CasePdf.objects.exists()


def test_render_pdfs_queues_or_lays_out_everything():
    factories.case()
    factories.case(status=Case.Status.DRAFT)
    DBTaskResult.objects.all().delete()
    call_command("render_pdfs", verbosity=0)
    assert DBTaskResult.objects.get().task_path == "cases.tasks.check_every_pdf"
    call_command("render_pdfs", now=True, verbosity=0)
    assert CasePdf.objects.count() == 1


def test_pdf_routes_have_their_own_rate_limit(client, settings):
    settings.RATE_LIMIT_PDFS = (2, 600)
    case = factories.case()
    assert client.get(f"/cases/{case.number}/pdf/").status_code == 200
    assert client.get(f"/casebook/pdf/?cases={case.number}").status_code == 200
    response = client.get(f"/cases/{case.number}/pdf/")
    assert response.status_code == 429
    assert "しばらくお待ちください" in response.content.decode()
    # Forms and casebook clicks keep their own counts.
    assert client.post(f"/casebook/add/{case.number}/").status_code == 302


def test_a_busy_server_answers_the_progress_page_instead_of_binding(client, settings):
    settings.PDF_CONCURRENT_BUILDS = 1
    case = factories.case()
    lay_out_all()
    with one_of("pdf", "PDF_CONCURRENT_BUILDS") as free:
        assert free
        response = client.get(f"/casebook/pdf/?cases={case.number}")
        assert "事例集を作成しています" in response.content.decode()
    response = client.get(f"/casebook/pdf/?cases={case.number}")
    assert response["Content-Type"] == "application/pdf"


def test_a_long_book_is_bound_by_the_worker_while_the_progress_page_waits(client, settings):
    settings.PDF_BIND_IN_REQUEST_MAX = 1
    first, second = factories.case(title="フードバンクの協働"), factories.case(title="里山の保全")
    lay_out_all()
    url = f"/casebook/pdf/?cases={first.number},{second.number}&title=長い本"
    assert "作成しています" in client.get(url).content.decode()
    assert client.get(url, headers={"Accept": "application/json"}).json() == {
        "ready": 2,
        "total": 2,
        "done": False,
    }
    queued = DBTaskResult.objects.filter(task_path="cases.tasks.bind_casebook")
    assert queued.count() == 1  # asked twice, queued once
    run_worker()
    assert BoundBook.objects.count() == 1
    assert client.get(url, headers={"Accept": "application/json"}).json()["done"] is True
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert "長い本" in everything(response.content) and "里山の保全" in everything(response.content)

import pytest
from django.contrib.auth.models import Group, User

from cases.models import Case
from cases.resources import CaseResource
from collanavi.spreadsheets import ExcelCSV, ExcelXLSX, JapaneseJSON
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = (
    "事例No.,事例名,公開状態,地域,開始年度,終了年度,活動分野,事業の手法,事業費（円）,"
    "事業概要,運営団体"
)


def _csv(rows: list[str]) -> str:
    return "\r\n".join([HEADER, *rows]) + "\r\n"


def _upload(client, content: bytes, name: str = "cases.csv", fmt: str = "0"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(
        "/admin/cases/case/import/", {"resource": "0", "format": fmt, "import_file": file}
    )


@pytest.fixture
def lead():
    return factories.organization("NPO法人みどりの手", kana="ミドリノテ")


@pytest.mark.parametrize(
    "encoding", ["cp932", "utf-8-sig", "utf-8"], ids=["shift_jis", "utf8-bom", "utf8"]
)
def test_csv_import_detects_the_encoding_and_previews_before_saving(admin_client, lead, encoding):
    row = (
        "901,里山の保全と竹林整備,draft,市川市,2021,,環境|まちづくり,委託,500000,"
        "竹林を整備します。,NPO法人みどりの手"
    )
    preview = _upload(admin_client, _csv([row]).encode(encoding))
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "里山の保全と竹林整備" in html  # decoded correctly, shown in the dry run
    assert not Case.objects.filter(number=901).exists()  # nothing saved before confirming
    form = preview.context["confirm_form"]
    done = admin_client.post("/admin/cases/case/process_import/", form.initial)
    assert done.status_code == 302
    case = Case.objects.get(number=901)
    assert case.title == "里山の保全と竹林整備" and case.area.name == "市川市"
    assert {d.name for d in case.domains.all()} == {"環境", "まちづくり"}
    assert "竹林" in case.search_text
    record = case.history.get()  # one history record, with who imported it
    assert record.history_user.username == "admin" and record.history_change_reason == "インポート"


def test_bad_rows_are_reported_with_their_number_and_nothing_is_imported(admin_client, lead):
    good = "902,良い行,draft,市川市,2021,,環境,委託,,概要,NPO法人みどりの手"
    bad = "903,悪い行,draft,架空市,2021,,環境,委託,,概要,存在しない団体"
    preview = _upload(admin_client, _csv([good, bad]).encode("utf-8"))
    html = preview.content.decode()
    assert "地域「架空市」は登録されていません。" in html
    assert "運営団体「存在しない団体」は登録されていません。" in html
    assert preview.context.get("confirm_form") is None  # nothing can be confirmed
    assert [row.number for row in preview.context["result"].invalid_rows] == [2]
    assert not Case.objects.filter(number__in=[902, 903]).exists()


def test_unknown_taxonomy_names_are_reported_not_created(admin_client, lead):
    row = "904,分野が未知,draft,市川市,2021,,宇宙開発,委託,,概要,NPO法人みどりの手"
    html = _upload(admin_client, _csv([row]).encode("utf-8")).content.decode()
    assert "活動分野「宇宙開発」は登録されていません。" in html
    assert not Case.objects.filter(number=904).exists()


def test_export_escapes_formula_cells_and_opens_in_excel():
    factories.case(number=910, title='=HYPERLINK("http://evil")', summary="@SUM(A1)")
    dataset = CaseResource().export()
    text = ExcelCSV().export_data(dataset)
    assert text.startswith("\ufeff")
    assert "'=HYPERLINK" in text and "'@SUM(A1)" in text


@pytest.mark.parametrize("fmt", [ExcelCSV, ExcelXLSX, JapaneseJSON], ids=["csv", "xlsx", "json"])
def test_export_then_import_changes_nothing(fmt):
    partner = factories.organization("株式会社かもめ", kind="company", kana="カモメ")
    factories.case(
        number=920,
        title="-で始まる題名",
        summary="改行を含む\n概要",
        budget=None,
        end_year=2023,
        partners=(partner,),
        domains=("環境", "スポーツ"),
    )
    factories.case(number=921, title="=1+1", budget=1_000_000)
    exported = fmt().export_data(CaseResource().export())
    data = exported.encode("utf-8") if isinstance(exported, str) else exported
    dataset = fmt().create_dataset(data)
    result = CaseResource().import_data(dataset, dry_run=True)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 0 and result.totals["update"] == 0
    assert result.totals["skip"] == 2


def _staff_in(group: str) -> User:
    user = User.objects.create_user(group, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def test_import_and_export_need_their_own_permissions(client):
    client.force_login(_staff_in("事例編集者"))
    assert client.get("/admin/cases/case/import/").status_code == 403
    assert client.get("/admin/cases/case/export/").status_code == 200
    client.force_login(_staff_in("管理者"))
    assert client.get("/admin/cases/case/import/").status_code == 200
    assert client.get("/admin/partners/organization/import/").status_code == 200

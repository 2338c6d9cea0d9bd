import csv
import datetime
import io
from urllib.parse import quote

import openpyxl
import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from cases.models import Case
from cases.resources import CaseResource
from kernel.spreadsheets import ExcelCSV, ExcelXLSX, JapaneseJSON
from partners.models import Organization
from partners.resources import OrganizationResource
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
    revision = case.revisions.get()  # one revision, with who imported it
    assert revision.author.username == "admin" and revision.source == "インポート"


def test_bad_rows_are_reported_with_their_number_and_nothing_is_imported(admin_client, lead):
    good = "902,良い行,draft,市川市,2021,,環境,委託,,概要,NPO法人みどりの手"
    bad = "903,悪い行,draft,架空市,2021,,環境,委託,,概要,存在しない団体"
    preview = _upload(admin_client, _csv([good, bad]).encode("utf-8"))
    html = preview.content.decode()
    assert "地域：「架空市」は登録されていません" in html
    assert "運営団体：「存在しない団体」は登録されていません" in html
    assert preview.context.get("confirm_form") is None  # nothing can be confirmed
    assert [row.number for row in preview.context["result"].invalid_rows] == [2]
    assert not Case.objects.filter(number__in=[902, 903]).exists()


def test_unknown_taxonomy_names_are_reported_not_created(admin_client, lead):
    row = "904,分野が未知,draft,市川市,2021,,宇宙開発,委託,,概要,NPO法人みどりの手"
    html = _upload(admin_client, _csv([row]).encode("utf-8")).content.decode()
    assert "活動分野：「宇宙開発」は登録されていません" in html
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


# Every column, filled as a clerk would; each garbage test spoils one cell.
GOOD_ROW = {
    "事例No.": "950",
    "事例名": "河川敷の清掃",
    "公開状態": "下書き",
    "地域": "市川市",
    "開始年度": "2021",
    "終了年度": "2023",
    "活動分野": "環境",
    "事業の手法": "委託",
    "事業費（円）": "500000",
    "事業費の財源・内訳": "市の委託料",
    "事業概要": "河川敷を清掃します。",
    "協働までの経緯": "",
    "主な事業内容": "",
    "運営団体": "NPO法人みどりの手",
    "運営団体の役割": "",
    "協働事業によって生まれた成果": "",
    "コラボのコツ": "",
    "今後力を入れていきたいこと": "",
    "公開日": "",
    "情報確認日": "2026-04-01",
}


def _sheet(rows: list[dict], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


GARBAGE = [
    ("事例No.", "abc", "事例No.：半角数字で入力してください"),
    ("事例No.", "1" * 20, "事例No.：2,147,483,647以下の数を入力してください"),
    ("事例No.", "9" * 5000, "事例No.：2,147,483,647以下の数を入力してください"),
    ("事例No.", "-5", "事例No.：0以上の数を入力してください"),
    ("事例No.", "12.5", "事例No.：整数で入力してください"),
    ("事例No.", "", "事例No.：空欄にはできません。入力してください"),
    ("事例名", "長" * 201, "事例名：この値は 200 文字以下でなければなりません"),
    ("事例名", "", "事例名：空欄にはできません"),
    ("公開状態", "公開中", "公開状態：「公開中」は選べません"),
    ("地域", "架空市", "地域：「架空市」は登録されていません"),
    ("地域", "", "地域：空欄にはできません"),
    ("開始年度", "二〇二一", "開始年度：半角数字で入力してください"),
    ("開始年度", "99999", "開始年度：32,767以下の数を入力してください"),
    ("開始年度", "NaN", "開始年度：半角数字で入力してください"),
    ("終了年度", "2019", "終了年度：開始年度より前の年度です"),
    ("終了年度", "-1", "終了年度：0以上の数を入力してください"),
    ("活動分野", "環境|宇宙開発", "活動分野：「宇宙開発」は登録されていません"),
    ("事業の手法", "魔法", "事業の手法：「魔法」は登録されていません"),
    ("事業費（円）", "1e5", "事業費（円）：半角数字で入力してください"),
    ("事業費（円）", "9" * 20, "事業費（円）：9,223,372,036,854,775,807以下の数を入力してください"),
    ("事業費（円）", "-100", "事業費（円）：0以上の数を入力してください"),
    (
        "事業費の財源・内訳",
        "長" * 301,
        "事業費の財源・内訳：この値は 300 文字以下でなければなりません",
    ),
    ("事業概要", "", "事業概要：空欄にはできません"),
    ("事業概要", "NUL\x00文字", "事業概要：使えない文字（制御文字）が含まれています"),
    ("運営団体", "存在しない団体", "運営団体：「存在しない団体」は登録されていません"),
    ("公開日", "2026-02-30", "公開日：「2026-02-30」は日付として読めません"),
    ("情報確認日", "昨日", "情報確認日：「昨日」は日付として読めません"),
]


@pytest.mark.parametrize(("header", "value", "message"), GARBAGE)
def test_garbage_in_any_column_is_an_error_on_its_row_naming_the_column(
    admin_client, lead, header, value, message
):
    rows = [{**GOOD_ROW, "事例No.": "949"}, {**GOOD_ROW, header: value}]
    response = _upload(admin_client, _sheet(rows))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert response.context.get("confirm_form") is None  # the file cannot be confirmed
    assert [row.number for row in response.context["result"].invalid_rows] == [2]
    assert not Case.objects.filter(number__in=[949, 950]).exists()


def test_garbage_in_an_existing_cases_row_is_reported_too(admin_client, lead):
    factories.case(number=950, title="元の題名", lead=lead)
    rows = [{**GOOD_ROW, "開始年度": "abc", "公開日": "昨日"}]
    html = _upload(admin_client, _sheet(rows, "cp932")).content.decode()
    assert "開始年度：半角数字で入力してください" in html
    assert "公開日：「昨日」は日付として読めません" in html
    assert Case.objects.get(number=950).title == "元の題名"


def test_confirming_a_file_that_went_bad_imports_nothing(admin_client, lead):
    good = {**GOOD_ROW, "事例No.": "951"}
    preview = _upload(admin_client, _sheet([good, {**GOOD_ROW, "事例No.": "952"}]))
    form = preview.context["confirm_form"]
    Area = type(factories.area())
    Area.objects.filter(name="市川市").update(name="市川市（改名）")  # the sheet is now wrong
    done = admin_client.post("/admin/cases/case/process_import/", form.initial, follow=True)
    assert "取り込みませんでした" in done.content.decode()
    assert not Case.objects.filter(number__in=[951, 952]).exists()


ORGANIZATION_GARBAGE = [
    ("種別", "財団", "種別：「財団」は選べません"),
    ("設立年", "昭和50年", "設立年：半角数字で入力してください"),
    ("設立年", "70000", "設立年：32,767以下の数を入力してください"),
    ("一覧に掲載する", "たぶん", "一覧に掲載する：「たぶん」は読めません"),
    ("地域", "架空市", "地域：「架空市」は登録されていません"),
    ("団体名", "長" * 201, "団体名：この値は 200 文字以下でなければなりません"),
    ("ウェブサイト", "not a url", "ウェブサイト："),
]


@pytest.mark.parametrize(("header", "value", "message"), ORGANIZATION_GARBAGE)
def test_organization_garbage_is_an_error_naming_the_column(admin_client, header, value, message):
    row = {
        "団体名": "NPO法人そよかぜ",
        "団体名（カナ）": "ソヨカゼ",
        "種別": "NPO法人",
        "地域": "千葉市",
        "設立年": "2001",
        "一覧に掲載する": "はい",
        header: value,
    }
    response = _upload_organizations(admin_client, _sheet([row]))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context.get("confirm_form") is None
    assert not Organization.objects.filter(kana="ソヨカゼ").exists()


def _upload_organizations(client, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile("organizations.csv", content, content_type="text/csv")
    return client.post(
        "/admin/partners/organization/import/",
        {"resource": "0", "format": "0", "import_file": file},
    )


def test_choice_columns_are_written_and_read_by_their_japanese_labels(admin_client, lead):
    factories.case(number=960, status=Case.Status.ARCHIVED, lead=lead)
    exported = ExcelCSV().export_data(CaseResource().export())
    assert ",アーカイブ," in exported and "archived" not in exported
    organizations = ExcelCSV().export_data(OrganizationResource().export())
    assert "NPO法人" in organizations and ",npo," not in organizations
    partner = factories.organization("株式会社房総フーズ", kind="company")
    for number in (961, 962):  # publishing needs a partner, added in the admin first
        factories.case(number=number, status=Case.Status.DRAFT, lead=lead, partners=(partner,))
    rows = [
        {**GOOD_ROW, "事例No.": "961", "公開状態": "公開", "公開日": "2026/4/1"},
        {**GOOD_ROW, "事例No.": "962", "公開状態": "published"},  # the stored value also reads
        {**GOOD_ROW, "事例No.": "963", "公開状態": "アーカイブ"},
    ]
    preview = _upload(admin_client, _sheet(rows))
    admin_client.post("/admin/cases/case/process_import/", preview.context["confirm_form"].initial)
    statuses = dict(Case.objects.filter(number__gte=961).values_list("number", "status"))
    assert statuses == {961: "published", 962: "published", 963: "archived"}
    assert Case.objects.get(number=961).published_on == datetime.date(2026, 4, 1)


def _export(client, url: str):
    form = client.get(url).context["form"]
    data = {"format": "0", "resource": "0"}
    data |= {name: "on" for name, field in form.fields.items() if field.initial is True}
    return client.post(url, data)


@pytest.mark.parametrize(
    ("url", "stem", "fallback"),
    [
        ("/admin/cases/case/export/", "事例", "case"),
        ("/admin/partners/organization/export/", "団体", "organization"),
    ],
)
def test_export_files_are_named_in_japanese_with_an_ascii_fallback(
    admin_client, lead, url, stem, fallback
):
    factories.case(lead=lead)
    response = _export(admin_client, url)
    today = timezone.localdate().isoformat()
    disposition = response["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="{fallback}_{today}.csv"; ')
    assert f"filename*=UTF-8''{quote(stem)}_{today}.csv" in disposition
    assert response.content.startswith("\ufeff".encode())


def test_imported_revisions_have_the_domains_and_methods_who_and_why(admin_client, lead):
    row = {**GOOD_ROW, "活動分野": "環境|まちづくり", "事業の手法": "委託"}
    preview = _upload(admin_client, _sheet([row]))
    admin_client.post("/admin/cases/case/process_import/", preview.context["confirm_form"].initial)
    case = Case.objects.get(number=950)
    revision = case.revisions.get()
    assert revision.author.username == "admin" and revision.source == "インポート"
    assert set(revision.data["domain_names"]) == {"環境", "まちづくり"}
    assert revision.data["method_names"] == ["委託"]
    # An update is a new revision with the new many-to-many values.
    row = {**row, "活動分野": "環境"}
    preview = _upload(admin_client, _sheet([row]))
    admin_client.post("/admin/cases/case/process_import/", preview.context["confirm_form"].initial)
    latest, before = case.revisions.all()[:2]
    assert latest.source == "インポート" and latest.data["domain_names"] == ["環境"]
    assert set(before.data["domain_names"]) == {"環境", "まちづくり"}


def test_preview_lists_each_row_with_its_kind_and_only_what_changes(admin_client, lead):
    factories.case(number=970, title="変わらない", lead=lead, summary="同じ", area_name="市川市")
    unchanged = dict(zip(*_exported_row(970), strict=True))
    changed = {**GOOD_ROW, "事例No.": "971", "事業概要": "長い概要。" * 40}
    factories.case(number=971, title="河川敷の清掃", lead=lead, area_name="市川市")
    new = {**GOOD_ROW, "事例No.": "972"}
    response = _upload(admin_client, _sheet([unchanged, changed, new]))
    html = response.content.decode()
    kinds = [row.import_type for row in response.context["result"].rows]
    assert kinds == ["skip", "update", "new"]
    assert "変更なし" in html and "更新" in html and "新規" in html
    assert "<details><summary" in html  # the long summary is folded
    assert html.count("長い概要。") < 40 * 2 + 20  # shown once in full, once shortened
    changed_headers = [cell.header for cell in response.context["result"].rows[1].diff]
    assert "事例名" not in changed_headers and "事業概要" in changed_headers


def _exported_row(number: int):
    dataset = CaseResource().export(queryset=Case.objects.filter(number=number))
    return dataset.headers, dataset[0]


@pytest.mark.parametrize("fmt", [ExcelCSV, ExcelXLSX, JapaneseJSON], ids=["csv", "xlsx", "json"])
def test_organizations_export_then_import_changes_nothing(fmt):
    factories.organization("株式会社かもめ", kind="company", kana="カモメ", is_public=True)
    factories.organization("みなと会", kind="voluntary", kana="ミナトカイ", founded_year=1999)
    exported = fmt().export_data(OrganizationResource().export())
    data = exported.encode("utf-8") if isinstance(exported, str) else exported
    result = OrganizationResource().import_data(fmt().create_dataset(data), dry_run=True)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == 2


def test_a_sheet_saved_as_shift_jis_by_excel_changes_nothing():
    factories.case(number=930, summary="4月〜9月に開催。気温−5℃でも‖続けた—と話す")
    exported = ExcelCSV().export_data(CaseResource().export())
    # Excel writes 〜 − ‖ — with the Shift_JIS codes that read back as ～ － ∥ ―.
    as_excel = exported.lstrip("\ufeff").translate(str.maketrans("〜−‖—", "～－∥―")).encode("cp932")
    result = CaseResource().import_data(ExcelCSV().create_dataset(as_excel), dry_run=True)
    assert result.totals["update"] == 0 and result.totals["skip"] == 1


def test_a_workbook_export_has_numbers_dates_and_a_named_sheet(admin_client):
    factories.case(number=940, budget=1_200_000, start_year=2021)
    url = "/admin/cases/case/export/"
    form = admin_client.get(url).context["form"]
    data = {"format": "1", "resource": "0"}  # XLSX
    data |= {name: "on" for name, field in form.fields.items() if field.initial is True}
    response = admin_client.post(url, data)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "事例"
    headings = [c.value for c in sheet[1]]
    row = dict(zip(headings, [c.value for c in sheet[2]], strict=True))
    assert row["事例No."] == 940 and row["事業費（円）"] == 1_200_000 and row["開始年度"] == 2021
    assert isinstance(row["公開日"], datetime.date) and row["公開状態"] == "公開"
    imported = CaseResource().import_data(
        ExcelXLSX().create_dataset(response.content), dry_run=True
    )
    assert not imported.has_validation_errors() and imported.totals["skip"] == 1

import gc
import io
import shutil
import subprocess
from urllib.parse import quote

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from cases import pdf
from cases.models import Case
from cases.pdf import bind, layout
from tests import factories
from tests.worker import lay_out_all

pytestmark = pytest.mark.django_db


def text(reader: PdfReader, index: int) -> str:
    return reader.pages[index].extract_text().replace("\n", "")


def book_of(cases: list[Case], title: str = "本") -> bytes:
    cases = list(pdf.with_pdf_data(Case.objects.filter(pk__in=[c.pk for c in cases])))
    bodies = pdf.stored_bodies(cases, pdf.case_keys(cases))
    assert bodies is not None, "every case laid out"
    return pdf.casebook_pdf(cases, bodies, title=title)


@pytest.fixture
def two_cases():
    company = factories.organization("株式会社房総フーズ", kind="company", kana="ボウソウフーズ")
    first = factories.case(
        title="フードバンクの協働", partners=(company,), photos=1, tips="役割を書き出すこと"
    )
    second = factories.case(title="里山の保全", schedule=(("4月", "下草刈り"),))
    return first, second


def test_casebook_pdf_is_a_real_book(client, two_cases):
    first, second = two_cases
    draft = factories.case(title="下書きの秘密", status=Case.Status.DRAFT)
    lay_out_all()
    response = client.get(
        f"/casebook/pdf/?cases={second.number},{first.number},{draft.number}&title=私の事例集"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    saved = response["Content-Disposition"]  # saved under its title; ASCII for old clients
    assert saved.startswith("attachment;") and 'filename="casebook.pdf"' in saved
    assert "filename*=UTF-8''" + quote("私の事例集.pdf") in saved
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata.title == "私の事例集"
    cover = text(reader, 0)
    for expected in ["私の事例集", "2件の協働事例", "作成", "コラボナビ", str(draft.number)]:
        assert expected in cover
    everything = "".join(text(reader, i) for i in range(len(reader.pages)))
    assert "下書きの秘密" not in everything
    # The table of contents gives each case's first page, and links to it.
    toc = text(reader, 1)
    assert "目次" in toc and "里山の保全" in toc and "フードバンクの協働" in toc
    pages = [page.indirect_reference for page in reader.pages]
    links = [a.get_object() for a in reader.pages[1].get("/Annots", [])]
    targets = list(dict.fromkeys(pages.index(link["/Dest"][0]) for link in links))
    assert len(targets) == 2 and targets[0] == 2 and targets[1] > 2
    assert "里山の保全" in text(reader, 2)
    assert "フードバンクの協働" in text(reader, targets[1])
    assert f"No.{first.number}" in toc and str(targets[1] + 1) in toc
    # Bookmarks: cover, contents, then one per case in book order.
    titles = [item.title for item in reader.outline]
    assert titles[2:] == [f"No.{second.number} 里山の保全", f"No.{first.number} フードバンクの協働"]
    # Every case has the 12 fields, its partners and its URL; every page but the cover a footer.
    for label in factories.TWELVE_FIELDS:
        assert label in everything
    assert "株式会社房総フーズ" in everything and "役割を書き出すこと" in everything
    assert f"http://127.0.0.1:8000/cases/{first.number}/" in everything
    total = len(reader.pages)
    assert f"コラボナビ ｜ 2 / {total}" in text(reader, 1)
    assert f"コラボナビ ｜ {total} / {total}" in text(reader, total - 1)
    assert "1 /" not in cover


def embedded_fonts(content: bytes) -> set[str]:
    """Every font of every page, asserting each is embedded (as `pdffonts` would show)."""
    fonts = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert font["/Subtype"] == "/Type0", f"not embedded: {font['/BaseFont']}"
            descendant = font["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in descendant["/FontDescriptor"]
            fonts.add(str(font["/BaseFont"]))
    return fonts


def test_every_font_of_case_and_casebook_pdfs_is_embedded(client, two_cases):
    first, second = two_cases
    lay_out_all()
    case = client.get(f"/cases/{first.number}/pdf/").content
    book = client.get(f"/casebook/pdf/?cases={first.number},{second.number}").content
    for content in (case, book):
        fonts = embedded_fonts(content)
        assert fonts and all("+IPAexGothic" in name for name in fonts)
    assert "フードバンクの協働" in text(PdfReader(io.BytesIO(case)), 0)


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils not installed")
def test_pdffonts_lists_no_font_that_is_not_embedded(client, two_cases, tmp_path):
    lay_out_all()
    path = tmp_path / "book.pdf"
    path.write_bytes(client.get(f"/casebook/pdf/?cases={two_cases[0].number}").content)
    rows = subprocess.run(["pdffonts", path], capture_output=True, text=True, check=True)
    fonts = rows.stdout.splitlines()[2:]
    assert fonts and all(row.split()[-5] == "yes" for row in fonts)  # the "emb" column


def test_case_pdf_footer_numbers_pages_with_the_site_name(client, two_cases, settings):
    settings.SITE_NAME = "ちばコラボナビ"
    lay_out_all()
    reader = PdfReader(io.BytesIO(client.get(f"/cases/{two_cases[0].number}/pdf/").content))
    total = len(reader.pages)
    for index in range(total):
        assert f"ちばコラボナビ ｜ {index + 1} / {total}" in text(reader, index)


def test_continuation_pages_carry_a_running_header_with_the_case_number(client):
    long = factories.case(title="長い事例の継続ページ", summary="協働の記録。" * 900)
    lay_out_all()
    reader = PdfReader(io.BytesIO(client.get(f"/cases/{long.number}/pdf/").content))
    assert len(reader.pages) > 1
    heading = f"事例No.{long.number}　長い事例の継続ページ"
    assert heading not in text(reader, 0)  # the first page has its own title
    for index in range(1, len(reader.pages)):
        assert heading in text(reader, index)


def test_case_pdf_is_shown_inline_with_a_japanese_file_name(client, two_cases):
    case = two_cases[0]
    lay_out_all()
    response = client.get(f"/cases/{case.number}/pdf/")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline;")
    name = quote(f"事例No.{case.number}_フードバンクの協働.pdf")
    assert f"filename*=UTF-8''{name}" in disposition
    assert f'filename="case-{case.number}.pdf"' in disposition


def test_cover_names_the_issuing_office_contact_and_site(client, two_cases, settings):
    settings.ISSUER_NAME = "千葉県 環境生活部 県民生活・文化課"
    settings.ISSUER_CONTACT = "電話 043-000-0000"
    lay_out_all()
    content = client.get(f"/casebook/pdf/?cases={two_cases[0].number}&title=地域交通").content
    cover = text(PdfReader(io.BytesIO(content)), 0)
    for expected in ["千葉県 環境生活部 県民生活・文化課", "電話 043-000-0000", "作成"]:
        assert expected in cover
    assert "http://127.0.0.1:8000/" in cover


def test_case_pdf_refuses_unpublished_cases(client):
    draft = factories.case(status=Case.Status.DRAFT)
    assert client.get(f"/cases/{draft.number}/pdf/").status_code == 404
    assert client.get("/cases/999999/pdf/").status_code == 404
    assert client.post(f"/cases/{draft.number}/pdf/").status_code == 405


def test_empty_casebook_pdf_explains(client):
    response = client.get("/casebook/pdf/", follow=True)
    assert "事例集に事例がありません" in response.content.decode()


def test_each_case_is_laid_out_once_until_it_changes(
    two_cases, monkeypatch, django_capture_on_commit_callbacks
):
    first, second = two_cases
    laid_out = []
    real_html_to_pdf = layout.html_to_pdf

    def counting(html):
        if '<section class="sheet">' not in html:  # page footers: laid out once per page count
            laid_out.append(html)
        return real_html_to_pdf(html)

    monkeypatch.setattr(layout, "html_to_pdf", counting)
    assert lay_out_all() == 2
    book_of([first, second], "本")
    assert len(laid_out) == 3  # each case once, then the cover and contents
    assert lay_out_all() == 0  # idempotent: nothing changed, nothing laid out
    book_of([first, second], "別の題")
    assert len(laid_out) == 4  # a new title: only the cover and contents again
    with django_capture_on_commit_callbacks(execute=True):
        first.title = "新しい題名"
        first.save()
    assert lay_out_all() == 1
    out = book_of([first, second])
    assert "新しい題名" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(out)).pages)


def test_a_renamed_partner_renews_the_cached_case(two_cases, django_capture_on_commit_callbacks):
    first, _ = two_cases
    lay_out_all()
    before = book_of([first])
    partner = first.partners.get().organization
    with django_capture_on_commit_callbacks(execute=True):
        partner.name = "株式会社新房総フーズ"
        partner.save()
    with pytest.raises(AssertionError, match="every case laid out"):
        book_of([first])  # out of date until the worker has laid it out again
    assert lay_out_all() == 1
    after = book_of([first])
    assert before != after
    assert "株式会社新房総フーズ" in "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(after)).pages
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/logo.png",
        "http://127.0.0.1:9999/static/css/pdf.css",
        "ftp://127.0.0.1/x",
        "file:///etc/passwd",
        "data:text/html,<script>alert(1)</script>",
        "http://127.0.0.1:8000/static/../collanavi/settings.py",
        "http://127.0.0.1:8000/admin/",
    ],
)
def test_url_fetcher_refuses_everything_outside_the_project(url):
    with pytest.raises(ValueError):
        pdf.LocalFilesOnly().fetch(url)


def test_url_fetcher_serves_static_media_and_image_data(two_cases, settings):
    fetcher = pdf.LocalFilesOnly()
    css = fetcher.fetch("http://127.0.0.1:8000/static/css/pdf.css")
    assert b"IPAexGothic" in css.read()
    photo = two_cases[0].photos.get()
    assert fetcher.fetch(f"http://127.0.0.1:8000{photo.image.url}").read()[:2] == b"\xff\xd8"
    pixel = (
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4"
        "nGNgYGBgAAAABQABpfZFQAAAAABJRU5ErkJggg=="
    )
    assert fetcher.fetch(pixel).read()[:4] == b"\x89PNG"
    assert fetcher.fetch(f"file://{settings.MEDIA_ROOT}/{photo.image.name}").read()


def test_photos_are_downscaled_for_print():
    big = io.BytesIO()
    Image.new("RGB", (4000, 3000), "teal").save(big, "PNG")
    small = Image.open(io.BytesIO(pdf.print_image(big.getvalue())))
    assert max(small.size) == pdf.PRINT_IMAGE_MAX_PX
    assert small.format == "JPEG"


def test_the_same_book_asked_again_is_served_as_bound(two_cases, monkeypatch):
    lay_out_all()
    first = book_of(list(two_cases), "本")
    monkeypatch.setattr(layout, "html_to_pdf", lambda html: pytest.fail("laid out again"))
    assert book_of(list(two_cases), "本") == first


def test_layout_and_binding_run_without_garbage_collection_and_restore_it(two_cases, monkeypatch):
    lay_out_all()
    seen = []
    write_pdf = layout.weasyprint.HTML.write_pdf
    monkeypatch.setattr(
        layout.weasyprint.HTML,
        "write_pdf",
        lambda self, *a, **k: seen.append(gc.isenabled()) or write_pdf(self, *a, **k),
    )
    append = bind.PdfWriter.append
    monkeypatch.setattr(
        bind.PdfWriter,
        "append",
        lambda self, *a, **k: seen.append(gc.isenabled()) or append(self, *a, **k),
    )
    assert gc.isenabled()
    book_of(list(two_cases), "ごみ集めなしで綴じた本")
    assert seen and not any(seen)  # the front matter's layout, then each part appended
    assert gc.isenabled()


def test_cover_title_breaks_between_phrases(client):
    case = factories.case()
    lay_out_all()
    title = "地域交通と福祉の協働事例集 サンプル版の手引き"
    content = client.get(f"/casebook/pdf/?cases={case.number}&title={title}").content
    lines = PdfReader(io.BytesIO(content)).pages[0].extract_text().splitlines()
    title_lines = [line for line in lines if line and line in title and len(line) > 2]
    assert len(title_lines) > 1  # the title needs several lines at 28pt
    assert "".join(title_lines).replace(" ", "") == title.replace(" ", "")
    for line in title_lines:
        assert line.startswith(("地域交通", "福祉", "協働事例集", "サンプル", "版", "手引き"))


def test_a_small_clean_jpeg_goes_in_as_it_is_and_exif_never_does():
    clean = io.BytesIO()
    Image.new("RGB", (1200, 800), "teal").save(clean, "JPEG")
    assert pdf.print_image(clean.getvalue()) == clean.getvalue()
    tagged = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "カメラ"  # Make
    Image.new("RGB", (600, 400), "teal").save(tagged, "JPEG", exif=exif)
    assert "exif" not in Image.open(io.BytesIO(pdf.print_image(tagged.getvalue()))).info


def test_a_tables_last_row_never_stands_alone_on_a_page():
    # Schedules of growing length: with 33 rows (today's pdf.css) the last would open page 2 alone.
    for rows in range(31, 36):
        schedule = tuple((f"{i}月", f"行事その{i:02d}") for i in range(1, rows + 1))
        case = factories.case(schedule=schedule, summary="地域の課題に取り組みました。" * 60)
        case = pdf.with_pdf_data(Case.objects.filter(pk=case.pk)).get()
        content = pdf.case_pdf(case, pdf.render_body(case))
        pages = [p.extract_text() for p in PdfReader(io.BytesIO(content)).pages]
        last = next(page for page in pages if f"行事その{rows:02d}" in page)
        assert f"行事その{rows - 1:02d}" in last, f"{rows} rows: the last one alone"


def test_each_page_of_a_long_book_shows_its_own_footer_and_no_other(settings):
    settings.SITE_NAME = "コラボナビ"
    writer = PdfWriter()
    for _ in range(bind.FOOTER_LINES_PER_SHEET + 5):  # footers laid out on two sheets
        writer.add_blank_page(width=595.28, height=841.89)
    bind._stamp_page_numbers(writer, skip_first=True)
    out = io.BytesIO()
    writer.write(out)
    pages = [page.extract_text().strip() for page in PdfReader(out).pages]
    total = len(pages)
    assert pages[0] == ""
    assert pages[1:] == [f"コラボナビ ｜ {n} / {total}" for n in range(2, total + 1)]


def test_a_casebook_is_saved_under_a_name_any_system_accepts(client, two_cases):
    lay_out_all()
    response = client.get(f"/casebook/pdf/?cases={two_cases[0].number}&title=福祉/環境:2026")
    assert "filename*=UTF-8''" + quote("福祉_環境_2026.pdf") in response["Content-Disposition"]

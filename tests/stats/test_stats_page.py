import csv
import io
import re
from html.parser import HTMLParser

import pytest

from cases.models import Case
from stats.charts import CHART_NAMES
from tests import factories

pytestmark = pytest.mark.django_db


class StatsPage(HTMLParser):
    """The tables (caption, rows of label, link and count) and the bar links of /stats/."""

    def __init__(self, html: str):
        super().__init__()
        self.tables: list[dict] = []
        self.bars: list[dict] = []
        self.csv_links: list[str] = []
        self._cell = None
        self._in_caption = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append({"caption": "", "head": [], "rows": []})
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("th", "td") and self.tables:
            self._cell = {"text": "", "href": None, "scope": attrs.get("scope")}
        elif tag == "a":
            if self._cell is not None:
                self._cell["href"] = attrs["href"]
            elif "aria-label" in attrs and attrs["href"].startswith("/cases/"):
                self.bars.append(attrs)
            elif attrs.get("href", "").endswith(".csv"):
                self.csv_links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag in ("th", "td") and self._cell is not None:
            self._row.append(self._cell)
            self._cell = None
        elif tag == "tr" and self.tables:
            table = self.tables[-1]
            if all(c["scope"] == "col" for c in self._row):
                table["head"] = [c["text"] for c in self._row]
            else:
                table["rows"].append(self._row)

    def handle_data(self, data):
        if self._in_caption:
            self.tables[-1]["caption"] += data
        elif self._cell is not None:
            self._cell["text"] += data


def case_search_counts(html: str) -> dict[str, dict[str, int]]:
    """Per facet of /cases/, each value's label and count as its checkboxes show them."""
    counts = {}
    for name, body in re.findall(
        r'<fieldset class="facet facet--(\w+)">(.*?)</fieldset>', html, re.S
    ):
        pairs = re.findall(r'<label for="[^"]+">([^<]+)<span class="count">（(\d+)件）', body)
        counts[name] = {label: int(n) for label, n in pairs}
    return counts


def total_of(html: str) -> int:
    found = re.search(r'class="results-count"[^>]*>\s*(\d+)件中', html)
    return int(found[1]) if found else 0


@pytest.fixture
def catalogue():
    npo = factories.organization("NPO法人みどりの輪", kind="npo")
    company = factories.organization("株式会社海辺", kind="company")
    city = factories.organization("市川市役所", kind="government")
    factories.case(
        "里山の保全",
        domains=("環境",),
        methods=("委託",),
        partners=(company,),
        area_name="市川市",
        start_year=2019,
        end_year=2021,
        budget=300_000,
    )
    factories.case(
        "子ども食堂",
        domains=("福祉（子ども）", "まちづくり"),
        methods=("共催", "後援"),
        partners=(npo, city),
        start_year=2022,
        budget=2_000_000,
    )
    factories.case(
        "防災訓練",
        domains=("防災・防犯",),
        methods=("委託",),
        partners=(city,),
        area_name="市川市",
        start_year=2024,
        end_year=2024,
        budget=None,
    )
    factories.case("下書きの事例", domains=("環境",), status=Case.Status.DRAFT, start_year=2018)
    factories.case("終わった事例", domains=("環境",), status=Case.Status.ARCHIVED)


def test_every_chart_has_a_table_with_caption_and_header_cells(client, catalogue):
    page = StatsPage(client.get("/stats/").content.decode())
    assert len(page.tables) == len(CHART_NAMES) == 6
    for table in page.tables:
        assert table["caption"].endswith("（表）")
        assert table["head"][1] == "事例数"
        assert table["rows"] and all(row[0]["scope"] == "row" for row in table["rows"])


def test_numbers_equal_the_facet_counts_of_the_case_search(client, catalogue):
    html = client.get("/stats/").content.decode()
    assert "公開中の協働事例 <strong>3件</strong>" in html
    page = StatsPage(html)
    counts = case_search_counts(client.get("/cases/").content.decode())
    assert set(counts) >= set(CHART_NAMES)
    for name, table in zip(CHART_NAMES, page.tables, strict=True):
        shown = {row[0]["text"]: int(row[1]["text"].removesuffix("件")) for row in table["rows"]}
        for label, count in counts[name].items():
            assert shown.get(label, 0) == count, (name, label)  # a value left out counts 0
        assert set(shown) <= set(counts[name])
    year = dict((r[0]["text"], r[1]["text"]) for r in page.tables[0]["rows"])
    assert year["2020年度"] == "1件" and year["2024年度"] == "2件"  # a case counts in each year


def test_a_bar_leads_to_a_search_of_as_many_cases(client, catalogue):
    page = StatsPage(client.get("/stats/").content.decode())
    assert len(page.bars) > 10
    for bar in page.bars:
        count = int(re.search(r"：(\d+)件$", bar["aria-label"])[1])
        assert total_of(client.get(bar["href"]).content.decode()) == count, bar
    linked = [row[0]["href"] for table in page.tables for row in table["rows"] if row[0]["href"]]
    assert sorted(linked) == sorted(bar["href"] for bar in page.bars)


def test_a_value_without_cases_has_no_link(client, catalogue):
    page = StatsPage(client.get("/stats/").content.decode())
    domains = page.tables[1]["rows"]
    sport = next(row for row in domains if row[0]["text"] == "スポーツ")
    assert sport[0]["href"] is None and sport[1]["text"] == "0件"
    areas = [row[0]["text"] for row in page.tables[4]["rows"]]
    assert areas == ["市川市", "千葉市"]  # most cases first; areas without any left out


def test_each_csv_equals_its_table(client, catalogue):
    page = StatsPage(client.get("/stats/").content.decode())
    assert page.csv_links == [f"/stats/{name}.csv" for name in CHART_NAMES]
    for link, table in zip(page.csv_links, page.tables, strict=True):
        response = client.get(link)
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert "filename*=UTF-8''" in response["Content-Disposition"]
        body = response.content.decode("utf-8")
        assert body.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
        assert rows[0] == table["head"]
        assert rows[1:] == [
            [row[0]["text"], row[1]["text"].removesuffix("件")] for row in table["rows"]
        ]


def test_a_label_that_looks_like_a_formula_is_escaped_in_the_csv(client, catalogue):
    from cases.models import Domain

    Domain.objects.filter(name="環境").update(name="=環境")
    Domain.objects.get(name="=環境").save()  # a staff edit: a new catalogue version
    body = client.get("/stats/domain.csv").content.decode()
    assert "'=環境,1" in body


def test_publishing_a_case_changes_the_numbers_at_once(client, catalogue):
    assert "<strong>3件</strong>" in client.get("/stats/").content.decode()
    draft = Case.objects.get(title="下書きの事例")
    draft.status = Case.Status.PUBLISHED
    draft.save()
    html = client.get("/stats/").content.decode()
    assert "<strong>4件</strong>" in html
    assert "2018年度：1件" in html
    assert "2018年度,1" in client.get("/stats/year.csv").content.decode()


def test_unknown_chart_is_404_and_post_is_refused(client, catalogue):
    assert client.get("/stats/nothing.csv").status_code == 404
    assert client.post("/stats/").status_code == 405
    assert client.post("/stats/domain.csv").status_code == 405


def test_empty_catalogue_still_answers(client):
    html = client.get("/stats/").content.decode()
    assert "公開中の協働事例 <strong>0件</strong>" in html


def test_linked_from_the_footer_the_top_page_and_the_sitemap(client, catalogue):
    top = client.get("/").content.decode()
    assert top.count('href="/stats/"') == 2  # the entry section and the footer
    assert 'href="/stats/"' in client.get("/cases/").content.decode()
    assert "/stats/</loc>" in client.get("/sitemap-top.xml").content.decode()


def test_the_award_cases_are_counted_and_linked(client, catalogue):
    from cases.models import Award

    Award.objects.create(
        case=Case.objects.get(title="子ども食堂"), name="ちば県民協働大賞", year=2024
    )
    html = client.get("/stats/").content.decode()
    assert '<a href="/cases/?award=yes">表彰を受けた事例 1件</a>' in html
    assert total_of(client.get("/cases/?award=yes").content.decode()) == 1

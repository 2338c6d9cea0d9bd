"""The catalogue in numbers: one bar chart per facet of /cases/, from the facet counts it shows."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from cases.selectors import CASES
from kernel.facets import Facet


@dataclass(frozen=True)
class ChartSpec:
    """A chart of one facet of the case search: its title, column heading and order."""

    facet: str
    title: str
    column: str
    order: str = "options"  # "options" as the search lists them, "count" largest first, "reversed"
    note: str = ""
    hide_zero: bool = False


CHARTS = [
    ChartSpec(
        "year",
        "年度別の事例数",
        "年度",
        order="reversed",
        note="その年度（4月〜翌年3月）に実施していた事例の数です。複数年度にわたる事例は各年度に数えています。",
    ),
    ChartSpec("domain", "活動分野別の事例数", "活動分野", order="count"),
    ChartSpec(
        "partner",
        "協働パートナーの種別ごとの事例数",
        "パートナーの種別",
        note="運営団体とともに協働した団体の種別です。",
    ),
    ChartSpec("method", "事業の手法別の事例数", "事業の手法", order="count"),
    ChartSpec(
        "area",
        "地域別の事例数",
        "地域",
        order="count",
        hide_zero=True,
        note="事例のない地域は省いています。",
    ),
    ChartSpec("budget", "事業費別の事例数", "事業費"),
]
SHARED_NOTE = (
    "1つの事例が複数の分野・種別・手法・年度に当てはまることがあるため、"
    "合計は事例数と一致しません。"
)
CHART_NAMES = [spec.facet for spec in CHARTS]

# Room left right of the longest bar for its number (percent of the chart's width).
LONGEST_BAR = 78
ROW_HEIGHT = 46  # pixels: a label line above a bar


@dataclass
class Bar:
    label: str
    count: int
    query: str  # the /cases/ search giving exactly these cases
    width: float = 0  # percent of the chart's width
    y: int = 0  # pixels from the chart's top

    @property
    def url(self) -> str:
        return f"{reverse('cases:list')}?{self.query}"


@dataclass
class Chart:
    spec: ChartSpec
    bars: list[Bar]

    @property
    def name(self) -> str:
        return self.spec.facet

    @property
    def height(self) -> int:
        return len(self.bars) * ROW_HEIGHT

    def csv_rows(self) -> list[list]:
        return [[self.spec.column, "事例数"], *([bar.label, bar.count] for bar in self.bars)]


def chart_of(spec: ChartSpec, facet: Facet) -> Chart:
    values = [v for v in facet.values if v.count or not spec.hide_zero]
    if spec.order == "count":
        values = sorted(values, key=lambda v: -v.count)  # stable: ties keep the search's order
    elif spec.order == "reversed":
        values = values[::-1]
    longest = max((v.count for v in values), default=0)
    bars = [
        Bar(
            v.label,
            v.count,
            urlencode({facet.name: v.value}),
            width=round(LONGEST_BAR * v.count / longest, 2) if longest else 0,
            y=i * ROW_HEIGHT,
        )
        for i, v in enumerate(values)
    ]
    return Chart(spec, bars)


@dataclass
class Numbers:
    total: int  # published cases
    awarded: int  # of which received an award
    charts: list[Chart]


def catalogue_numbers() -> Numbers:
    """The number of published cases, of award cases and a chart of each facet, as /cases/
    counts them."""
    total, facets = CASES.totals()
    by_name = {facet.name: facet for facet in facets}
    awarded = sum(v.count for v in by_name["award"].values)
    return Numbers(total, awarded, [chart_of(spec, by_name[spec.facet]) for spec in CHARTS])

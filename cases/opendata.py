"""Open data: the published cases matching a search, as CSV or JSON rows with the 12 fields."""

import json
from collections.abc import Iterator
from urllib.parse import urlencode

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import QueryDict
from django.utils import timezone

from cases.models import Case
from cases.pdf import with_pdf_data
from cases.selectors import CASES
from kernel import spreadsheets

# Cases read from the database at a time while an export is written.
CHUNK = 100

COLUMNS = [
    "事例No.",
    "事例名",
    "URL",
    "地域",
    "実施期間",
    "1 活動分野",
    "2 協働パートナーの種別",
    "3 事業の手法",
    "4 事業費（円）",
    "4 事業費の財源・内訳",
    "5 事業概要",
    "6 協働までの経緯",
    "7 主な事業内容",
    "7 年間スケジュール",
    "8 運営団体",
    "8 運営団体の役割",
    "8 協働パートナーと役割",
    "9 協働事業によって生まれた成果",
    "10 コラボのコツ",
    "11 今後力を入れていきたいこと",
    "12 運営団体の概要",
    "12 運営団体の活動実績",
    "公開日",
    "情報確認日",
]


def row(case: Case) -> dict:
    """One case; field 12 comes from its organization as it is now, not a copy."""
    lead = case.lead_organization
    profile = [
        lead.get_kind_display(),
        lead.area.name if lead.area else "",
        f"設立{lead.founded_year}年" if lead.founded_year else "",
        lead.members,
        lead.mission,
    ]
    values = [
        case.number,
        case.title,
        settings.SITE_URL + case.get_absolute_url(),
        case.area.name,
        case.period_display,
        "、".join(d.name for d in case.domains.all()),
        "、".join(case.partner_types()),
        "、".join(m.name for m in case.methods.all()),
        case.budget,
        case.budget_note,
        case.summary,
        case.background,
        case.activities,
        "\n".join(f"{s.period}：{s.activity}" for s in case.schedule.all()),
        lead.name,
        case.lead_role,
        "\n".join(
            f"{p.organization.name}（{p.organization.get_kind_display()}）：{p.role}"
            for p in case.partners.all()
        ),
        case.outcomes,
        case.tips,
        case.future_plans,
        " ／ ".join(v for v in profile if v),
        "\n".join(f"{r.year}年度 {r.get_kind_display()} {r.title}" for r in lead.records.all()),
        case.published_on.isoformat() if case.published_on else "",
        case.verified_on.isoformat() if case.verified_on else "",
    ]
    return dict(zip(COLUMNS, values, strict=True))


def released(cases) -> Iterator[Case]:
    """The cases one by one, each let go of its prefetched rows once used: they refer back to
    it, and such cycles would wait for a full garbage collection, growing with the export."""
    for case in cases:
        yield case
        for obj in (case, case.lead_organization):
            obj.__dict__.get("_prefetched_objects_cache", {}).clear()


def csv_lines(cases) -> Iterator[str]:
    """UTF-8 CSV with a BOM for Excel; cells that could run as formulas are escaped."""
    return spreadsheets.csv_lines(COLUMNS, (row(case) for case in released(cases)))


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)


def json_chunks(cases, count: int) -> Iterator[str]:
    """The JSON document of these cases (as JsonResponse wrote it), one case at a time."""
    head = _dumps(
        {
            "title": f"{settings.SITE_NAME} 協働事例",
            "publisher": f"{settings.PREFECTURE_NAME} {settings.CONTACT_OFFICE}",
            "license": settings.OPEN_DATA_LICENSE,
            "license_url": settings.OPEN_DATA_LICENSE_URL,
            "generated_at": timezone.now().isoformat(timespec="seconds"),
            "count": count,
            "cases": [],
        }
    )
    yield head.removesuffix("]}")
    for n, case in enumerate(released(cases)):
        yield (", " if n else "") + _dumps(row(case))
    yield "]}"


def matching(params: list[tuple[str, str]]):
    """The published cases these search parameters (name, value pairs) match."""
    return CASES.matching(QueryDict(urlencode(params)), "number")


def lines(kind: str, params: list[tuple[str, str]]) -> Iterator[str]:
    """The export ("csv" or "json") of the published cases these search parameters match."""

    found = matching(params)
    cases = with_pdf_data(found).defer("search_text").iterator(chunk_size=CHUNK)
    if kind == "csv":
        return csv_lines(cases)
    return json_chunks(cases, found.count())

"""Open data: the approved seeds matching a board search, as CSV or JSON rows. The poster's
private contact and the staff's notes are never among the columns."""

from collections.abc import Iterable, Iterator

from django.conf import settings
from django.utils import timezone

from kernel import spreadsheets
from seeds.models import Seed, SeedQuerySet

COLUMNS = [
    "ID",
    "タイトル",
    "URL",
    "種類",
    "団体名・担当課名",
    "地域",
    "活動分野",
    "課題",
    "やりたいこと",
    "求める協働相手",
    "求めているもの",
    "提供できるもの",
    "実施時期・期間",
    "募集期限",
    "進み具合",
    "生まれた事例",
    "掲載日",
]


def with_export_data(seeds: SeedQuerySet) -> SeedQuerySet:
    return seeds.select_related("area", "organization", "case").prefetch_related("domains")


def row(seed: Seed) -> dict:
    case = seed.case if seed.case_id and seed.case.is_published else None
    values = [
        seed.pk,
        seed.title,
        settings.SITE_URL + seed.get_absolute_url(),
        seed.get_kind_display(),
        seed.poster,
        seed.area.name,
        "、".join(d.name for d in seed.domains.all()),
        seed.issue,
        seed.wish,
        "、".join(seed.partner_type_labels()),
        "、".join(seed.wanted_labels()),
        "、".join(seed.offered_labels()),
        seed.period,
        seed.deadline.isoformat() if seed.deadline else "",
        seed.get_status_display(),
        settings.SITE_URL + case.get_absolute_url() if case else "",
        seed.approved_on.isoformat() if seed.approved_on else "",
    ]
    return dict(zip(COLUMNS, values, strict=True))


def csv_lines(seeds: Iterable[Seed]) -> Iterator[str]:
    """UTF-8 CSV with a BOM for Excel; cells that could run as formulas are escaped."""
    return spreadsheets.csv_lines(COLUMNS, (row(seed) for seed in seeds))


def document(seeds: Iterable[Seed]) -> dict:
    rows = [row(seed) for seed in seeds]
    return {
        "title": f"{settings.SITE_NAME} 協働の種",
        "publisher": f"{settings.PREFECTURE_NAME} {settings.CONTACT_OFFICE}",
        "license": settings.OPEN_DATA_LICENSE,
        "license_url": settings.OPEN_DATA_LICENSE_URL,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "count": len(rows),
        "seeds": rows,
    }

"""Japanese fiscal years (April to March) read from what people write: 2027年4月から,
2027年度, 令和9年度, R9.4, 来年度."""

import datetime
import re
import unicodedata

REIWA_START = 2018  # 令和1年 (元年) = 2019
_YEAR_MONTH = re.compile(
    r"(?:(?<!\d)(?P<western>(?:19|20)\d\d)|(?:令和|R)\s*(?P<reiwa>元|\d{1,2}))"
    r"\s*(?:(?P<fiscal>年度)|年\s*(?:(?P<month>\d{1,2})\s*月)?|[./-]\s*(?P<dotted>\d{1,2})(?!\d))"
)
_RELATIVE = {"今年度": 0, "本年度": 0, "来年度": 1, "次年度": 1, "再来年度": 2}
_RELATIVE_PATTERN = re.compile("|".join(sorted(_RELATIVE, key=len, reverse=True)))


def fiscal_year_of(date: datetime.date) -> int:
    """Japanese fiscal years start in April."""
    return date.year if date.month >= 4 else date.year - 1


def start_fiscal_year(text: str, *, today: datetime.date) -> int | None:
    """The fiscal year of the first year written in the text (a month before April belongs to
    the year before), or None when it names none."""
    text = unicodedata.normalize("NFKC", text or "")
    found: list[tuple[int, int]] = []  # (position, fiscal year)
    for match in _YEAR_MONTH.finditer(text):
        if match["western"]:
            year = int(match["western"])
        else:
            year = REIWA_START + (1 if match["reiwa"] == "元" else int(match["reiwa"]))
        month = match["month"] or match["dotted"]
        if month and not match["fiscal"] and 1 <= int(month) <= 3:
            year -= 1
        if 1990 <= year <= 2100:
            found.append((match.start(), year))
    for match in _RELATIVE_PATTERN.finditer(text):
        found.append((match.start(), fiscal_year_of(today) + _RELATIVE[match[0]]))
    return min(found)[1] if found else None

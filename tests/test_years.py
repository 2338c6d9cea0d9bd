import datetime

import pytest

from lib.text import name_key
from lib.years import fiscal_year_of, start_fiscal_year

POSTED = datetime.date(2026, 10, 1)


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2027年4月から", 2027),
        ("２０２７年４月から", 2027),  # as a phone keyboard writes it
        ("2028年2月から3月まで", 2027),  # January to March belong to the year before
        ("2026年度中", 2026),
        ("令和9年度から", 2027),
        ("令和元年5月", 2019),
        ("R9.4〜", 2027),
        ("来年度から", 2027),
        ("今年度", 2026),
        ("2027年4月から2029年3月まで", 2027),  # the first year written is the start
    ],
)
def test_start_fiscal_year_reads_what_people_write(text, year):
    assert start_fiscal_year(text, today=POSTED) == year


@pytest.mark.parametrize(
    "text", ["", "通年", "毎年夏休み", "参加者2030人", "R9", "電話043-2027-1111"]
)
def test_start_fiscal_year_is_none_without_a_year(text):
    assert start_fiscal_year(text, today=POSTED) is None


def test_fiscal_years_start_in_april():
    assert fiscal_year_of(datetime.date(2027, 3, 31)) == 2026
    assert fiscal_year_of(datetime.date(2027, 4, 1)) == 2027


def test_name_key_sets_width_and_spaces_aside():
    assert name_key("ＮＰＯ法人　みどり の会") == name_key("NPO法人みどりの会")
    assert name_key("みどりの会") != name_key("ミドリの会")  # a different spelling is another name

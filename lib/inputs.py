"""What people type into forms: full-width digits and dashes, and characters that break lines."""

import re
import unicodedata

# Dashes people type between digits (full-width hyphen-minus, hyphen, minus, dashes, the long
# vowel mark ー of a Japanese IME); NFKC turns only some of them into "-".
_DASHES = "\u002d\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe63\uff0d\u30fc\uff70"
_DASH_BETWEEN_DIGITS = re.compile(rf"(?<=\d)\s*[{_DASHES}]\s*(?=\d)")
# C0 and C1 controls (CR, LF, tab, NUL, ...), line and paragraph separators, bidi overrides.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def half_width(value: str) -> str:
    """Full-width letters, digits and symbols as half-width (NFKC), and any dash between
    two digits as "-": 「０４３－２２３－４１３３」 → 043-223-4133, ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ →
    taro@example.jp."""
    return _DASH_BETWEEN_DIGITS.sub("-", unicodedata.normalize("NFKC", value)).strip()


def phone_number(value: str) -> str:
    """A phone number as typed, half-width, with brackets around an area code as hyphens:
    （０４３）２２３ー４１３３ → 043-223-4133."""
    value = half_width(value)
    value = re.sub(r"^\((\d+)\)\s*", r"\1-", value)
    return re.sub(r"(?<=\d)\s*\((\d+)\)\s*(?=\d)", r"-\1-", value)


def has_control_characters(value: str) -> bool:
    """Whether a single-line value holds a line break or another control character."""
    return bool(_CONTROL.search(value))

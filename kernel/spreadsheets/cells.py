"""What Excel in Japan does to a cell's text: formulas, encodings, Shift_JIS's twin characters.

Cells that a spreadsheet would run as a formula get a leading apostrophe on export, which
import takes off again; CSV is read as UTF-8 (with or without BOM) or Shift_JIS/CP932.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unescape_formula(value):
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def decode_japanese_text(data: bytes | str) -> str:
    """UTF-8 (BOM or not) first; what is not valid UTF-8 is read as CP932 (Excel's Shift_JIS)."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp932")


# Shift_JIS has one code for each of these pairs, and reads it back as the second: a sheet that
# Excel saved turns 〜 into ～ though nobody changed the text.
_SHIFT_JIS_TWINS = str.maketrans("～∥－￠￡￢―", "〜‖−¢£¬—")


def same_in_shift_jis(old, new) -> bool:
    """Two texts that differ only where Shift_JIS cannot tell the characters apart."""
    if not isinstance(old, str) or not isinstance(new, str) or old == new:
        return False
    return old.translate(_SHIFT_JIS_TWINS) == new.translate(_SHIFT_JIS_TWINS)

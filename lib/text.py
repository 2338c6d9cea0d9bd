"""Japanese text normalisation shared by every keyword search.

A search document holds the text twice: folded (NFKC, case, katakana into hiragana) for
substring search of what was written, and as the morphological analyser's normalised word
forms, so that spelling variants of one word meet (子ども・こども・子供・コドモ → 子供).
"""

import functools
import html
import re
import unicodedata

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
_SPACES = re.compile(r"\s+")
# ァ..ヶ → ぁ..ゖ: the same word in either script compares equal (ウラヤス = うらやす).
_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}
# SudachiPy refuses inputs over 49,149 bytes; lines are cut well below that.
_CHUNK = 4000


# ぁ..ゖ, ゝゞ → ァ..ヶ, ヽヾ: a reading typed in hiragana sorts with the katakana ones.
_HIRAGANA_TO_KATAKANA = {
    **{code: code + 0x60 for code in range(0x3041, 0x3097)},
    0x309D: 0x30FD,
    0x309E: 0x30FE,
}


def katakana(text: str) -> str:
    """A reading as stored: NFKC (ｶﾅ → カナ), hiragana into katakana, no outer spaces."""
    return unicodedata.normalize("NFKC", text).translate(_HIRAGANA_TO_KATAKANA).strip()


def normalize(text: str) -> str:
    """NFKC, case and kana folded, so ＮＰＯ/ｎｐｏ/NPO and ウラヤス/うらやす compare equal;
    runs of spaces (line breaks too) become one."""
    text = unicodedata.normalize("NFKC", text.replace("\x00", "")).casefold()
    return _SPACES.sub(" ", text.translate(_KATAKANA_TO_HIRAGANA)).strip()


@functools.cache
def _tokenizer():
    from sudachipy import Dictionary, SplitMode  # loads a dictionary: only when first needed

    return Dictionary(dict="core").tokenizer(mode=SplitMode.C)


def word_forms(text: str) -> str:
    """Each word replaced by the analyser's normalised form (空家 → 空き家, 街づくり → 町作り)."""
    tokenizer = _tokenizer()
    lines = []
    for line in text.replace("\x00", "").splitlines():
        for start in range(0, len(line), _CHUNK):
            morphemes = tokenizer.tokenize(line[start : start + _CHUNK])
            lines.append("".join(m.normalized_form() for m in morphemes))
    return "\n".join(lines)


def search_document(text: str) -> str:
    """What a keyword is looked for in: the folded text, then its folded word forms."""
    literal = normalize(text)
    forms = normalize(word_forms(text))
    return literal if forms == literal else f"{literal}\n{forms}"


def _raw_terms(query: str) -> list[str]:
    text = unicodedata.normalize("NFKC", query[: MAX_QUERY_LENGTH * 2].replace("\x00", ""))
    return _SPACES.sub(" ", text).strip()[:MAX_QUERY_LENGTH].split(" ")


def keyword_terms(query: str) -> list[tuple[str, ...]]:
    """The query's terms, each with its spellings to look for (as written, as a word form).

    A document matches a term when it contains any of its spellings, and matches the query
    when it matches every term.
    """
    terms = {}
    for raw in _raw_terms(query):
        literal = normalize(raw)
        if literal and literal not in terms:
            terms[literal] = tuple(
                dict.fromkeys(s for s in (literal, normalize(word_forms(raw))) if s)
            )
    return list(terms.values())[:MAX_TERMS]


def name_key(name: str) -> str:
    """A name as compared for "the same organization": NFKC, without any spaces
    (ＮＰＯ法人　みどり = NPO法人みどり)."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", name.replace("\x00", "")))


def escaped(value) -> str:
    """Text for HTML, escaped as Django escapes it (& < > " '), without Django's lazy-string
    wrapper on every call: for markup written in one pass (result cards, facet checkboxes)."""
    return html.escape(str(value), quote=True)

"""Japanese text normalisation shared by every keyword search."""

import re
import unicodedata

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """NFKC + case fold, so ＮＰＯ, ｎｐｏ and NPO compare equal; runs of spaces become one."""
    text = unicodedata.normalize("NFKC", text.replace("\x00", "")).casefold()
    return _SPACES.sub(" ", text).strip()


def search_terms(query: str) -> list[str]:
    """Split a user's query on half- or full-width spaces into normalised, distinct terms."""
    terms = normalize(query[: MAX_QUERY_LENGTH * 2])[:MAX_QUERY_LENGTH].split(" ")
    return list(dict.fromkeys(t for t in terms if t))[:MAX_TERMS]

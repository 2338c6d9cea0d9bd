"""Japanese text split into phrases (文節) with BudouX, so lines break between words."""

import functools
import re

# A phrase longer than this may still break inside, rather than overflow a narrow line.
MAX_UNBROKEN = 16
_SPACES = re.compile(r"(\s+)")
_KANJI = re.compile(r"[\u3005\u4e00-\u9fff\uf900-\ufaff]")  # 々 and CJK ideographs


@functools.cache
def _parser():
    import budoux  # loads a model: only when first needed

    return budoux.load_default_japanese_parser()


def phrases(text: str) -> list[str]:
    """「地域交通を支える 協働事例集」 → ["地域交通を", "支える", " ", "協働事例集"].

    The pieces join back to the text; spaces are pieces of their own. BudouX sometimes
    cuts a compound of kanji (協働事/例集): a boundary between two kanji is not kept.
    """
    pieces = []
    for chunk in _SPACES.split(text):
        if not chunk or chunk.isspace():
            pieces.extend([chunk] if chunk else [])
            continue
        for phrase in _parser().parse(chunk):
            if pieces and _KANJI.fullmatch(pieces[-1][-1:]) and _KANJI.match(phrase):
                pieces[-1] += phrase
            else:
                pieces.append(phrase)
    return pieces

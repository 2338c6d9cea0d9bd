"""Word-level differences between two texts, as escaped HTML."""

import difflib

from django.utils.html import format_html, format_html_join


def diff_html(old: str, new: str) -> str:
    """What was removed struck through, what was added marked; both texts escaped."""
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    parts = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(format_html("{}", old[a1:a2]))
        if op in ("delete", "replace"):
            parts.append(format_html('<del class="diff-del">{}</del>', old[a1:a2]))
        if op in ("insert", "replace"):
            parts.append(format_html('<ins class="diff-ins">{}</ins>', new[b1:b2]))
    return format_html_join("", "{}", ((p,) for p in parts))


def before_after_html(old: str, new: str) -> str:
    """A value that is not prose (an amount, a table's rows): the whole old and new, escaped."""
    return format_html(
        '<span class="diff-label">現在</span><del class="diff-del">{}</del>'
        '<span class="diff-label">提案</span><ins class="diff-ins">{}</ins>',
        old,
        new,
    )


def lines_diff_html(old: str, new: str) -> str:
    """A list of rows (schedule, records): kept rows plain, removed struck, added marked."""
    a, b = old.splitlines(), new.splitlines()
    parts = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            parts += [format_html('<span class="diff-line">{}</span>', line) for line in a[a1:a2]]
        if op in ("delete", "replace"):
            parts += [format_html('<del class="diff-del diff-line">{}</del>', x) for x in a[a1:a2]]
        if op in ("insert", "replace"):
            parts += [format_html('<ins class="diff-ins diff-line">{}</ins>', x) for x in b[b1:b2]]
    return format_html_join("", "{}", ((p,) for p in parts))

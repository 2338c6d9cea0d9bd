"""Word-level differences between two texts, as escaped HTML."""

import difflib

from django.utils.html import format_html, format_html_join

from lib.phrases import phrases as split_phrases


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


def paragraphs_html(old: str, new: str) -> str:
    """Rewritten prose: the old and the new text each whole, side by side, the phrases that went
    struck in the old and those that came marked in the new (a character-by-character diff of a
    rewritten paragraph cannot be read)."""
    a, b = split_phrases(old), split_phrases(new)
    before, after = [], []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            before.append(format_html("{}", "".join(a[a1:a2])))
            after.append(format_html("{}", "".join(b[b1:b2])))
        if op in ("delete", "replace"):
            before.append(format_html('<del class="diff-del">{}</del>', "".join(a[a1:a2])))
        if op in ("insert", "replace"):
            after.append(format_html('<ins class="diff-ins">{}</ins>', "".join(b[b1:b2])))
    join = lambda parts: format_html_join("", "{}", ((p,) for p in parts))  # noqa: E731
    return format_html(
        '<div class="diff-sides"><div class="diff-side"><span class="diff-label">変更前</span>'
        '<p class="diff-text">{}</p></div><div class="diff-side"><span class="diff-label">変更後'
        '</span><p class="diff-text">{}</p></div></div>',
        join(before),
        join(after),
    )

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from lib.phrases import MAX_UNBROKEN
from lib.phrases import phrases as split_phrases

register = template.Library()


@register.filter
def yen(value: int | None) -> str:
    """1200000 → 「1,200,000円」; unknown budgets say so."""
    if value is None:
        return "不明"
    return f"{intcomma(value)}円"


@register.inclusion_tag("includes/case_card.html", takes_context=True)
def case_card(context, case):
    """A result card; its casebook button needs the request and CSRF token (hole) of the page."""
    return {
        "case": case,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def css_string(value: str) -> str:
    """A value as a quoted CSS string, for generated content such as PDF footers."""
    escaped = "".join(
        f"\\{ord(ch):x} " if ch in '"\\<>&' or ord(ch) < 0x20 else ch for ch in str(value)
    )
    return mark_safe(f'"{escaped}"')  # every character that could end the string is escaped


@register.filter
def phrases(value: str) -> str:
    """Text whose lines break only between phrases: each one kept whole, <wbr> between them.

    `white-space: nowrap` on `.phrase` (pdf.css) keeps a phrase together in WeasyPrint,
    which ignores `word-break: keep-all`.
    """
    html, previous = [], " "
    for part in split_phrases(str(value)):
        if not (part.isspace() or previous.isspace()):
            html.append("<wbr>")
        if part.isspace() or len(part) > MAX_UNBROKEN:
            html.append(conditional_escape(part))
        else:
            html.append(format_html('<span class="phrase">{}</span>', part))
        previous = part
    return mark_safe("".join(html))  # every part is escaped above

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.safestring import mark_safe

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

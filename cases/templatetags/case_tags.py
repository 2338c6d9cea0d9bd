from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

register = template.Library()


@register.filter
def yen(value: int | None) -> str:
    """1200000 → 「1,200,000円」; unknown budgets say so."""
    if value is None:
        return "不明"
    return f"{intcomma(value)}円"


@register.inclusion_tag("includes/case_card.html")
def case_card(case):
    return {"case": case}

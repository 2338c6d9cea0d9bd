import functools

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from cases.selectors import CaseCard
from lib.phrases import MAX_UNBROKEN
from lib.phrases import phrases as split_phrases
from lib.text import escaped as _e

register = template.Library()


@register.filter
def yen(value: int | None) -> str:
    """1200000 → 「1,200,000円」; unknown budgets say so."""
    if value is None:
        return "不明"
    return f"{intcomma(value)}円"


@register.simple_tag(takes_context=True)
def case_card(context, case: CaseCard) -> SafeString:
    """A result card (cases.selectors.case_cards). Written here in one pass with plain string
    formatting, every value escaped: a page of results shows twenty, and through the template
    language, then format_html, they took a third of an uncached search."""
    body, end = _card_html(case)
    return mark_safe(f"{body}{casebook_button(context, case)}{end}")  # escaped in _card_html


@functools.lru_cache(maxsize=4096)
def _card_html(case: CaseCard) -> tuple[str, str]:
    """A card but its casebook button (it names the visitor's page): the same card, the same
    text, made once per process."""
    if case.photo:
        url, width, height = case.photo
        size = f'width="{width or ""}" height="{height or ""}"'
        media = f'<img src="{_e(url)}" alt="" {size} loading="lazy">'
    else:
        label = _e(case.domains[0]) if case.domains else "協働"
        media = f'<span class="case-card__noimage" aria-hidden="true">{label}</span>'
    tags = "".join(f'<li class="tag tag--domain">{_e(name)}</li>' for name in case.domains)
    tags += "".join(f'<li class="tag tag--partner">{label}</li>' for label in case.partner_types)
    body = (
        f'<article class="case-card" id="case-{case.number}">\n'
        f'<div class="case-card__media">{media}</div>\n<div class="case-card__body">\n'
        f'<p class="case-card__number">事例No.{case.number}</p>\n'
        f'<h3 class="case-card__title"><a href="{_url("cases:detail", case.number)}">'
        f"{_e(case.title)}</a></h3>\n{award_badges(case.awards)}\n"
        f'<p class="case-card__meta">{_e(case.area)} ／ {case.period_display} ／ '
        f"{_e(case.lead)}</p>\n"
        f'<p class="case-card__summary">{_e(Truncator(case.summary).chars(90))}</p>\n'
        f'<ul class="tags" aria-label="活動分野・パートナー">{tags}</ul>\n'
        f'<p class="case-card__budget">事業費：{yen(case.budget)}</p>\n'
    )
    return body, "\n</div>\n</article>"


@functools.cache
def _url_parts(name: str) -> tuple[str, str]:
    return tuple(reverse(name, args=[_SENTINEL]).split(str(_SENTINEL), 1))


_SENTINEL = 987654321


def _url(name: str, number: int) -> str:
    """reverse(name, args=[number]) for a URL with one number, without resolving each time."""
    before, after = _url_parts(name)
    return f"{before}{number}{after}"


def award_badges(awards, full: bool = False) -> SafeString:
    """Awards as badges: title and year (a case's Award or an organization's 表彰 record);
    `full` adds who gave it."""
    if not awards:
        return mark_safe("")
    items = format_html_join(
        "",
        '<li class="award-badge"><span class="award-badge__label">表彰</span>'
        "<span>{}（{}年度{}）</span></li>",
        (
            (a.title, a.year, f"・{a.awarding_body}" if full and a.awarding_body else "")
            for a in awards
        ),
    )
    return format_html('<ul class="award-badges" aria-label="表彰">{}</ul>', items)


register.simple_tag(award_badges, name="award_badges")


@register.simple_tag(takes_context=True)
def casebook_button(context, case) -> SafeString:
    """Both states, between markers: cases.casebook.fill keeps the one that fits the visitor
    (the page may be shared by every visitor)."""
    request = context.get("request")
    token = context.get("csrf_token")
    csrf = (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{_e(token)}">'
        if token and token != "NOTPROVIDED"
        else ""
    )
    back = _e(f"{request.get_full_path() if request else ''}#case-{case.number}")
    title = _e(case.title)

    def form(action: str, style: str, pressed: str, label: str) -> str:
        return (
            f'<form method="post" action="{_url(action, case.number)}" class="casebook-button">'
            f'{csrf}<input type="hidden" name="next" value="{back}">'
            f'<button type="submit" class="button {style}button--small"{pressed}>{label}'
            f'<span class="visually-hidden">：{title}</span></button></form>'
        )

    add = form("casebook:add", "", "", "＋ 事例集に追加")
    remove = form("casebook:remove", "button--outline ", ' aria-pressed="true"', "事例集から外す")
    return mark_safe(f"<!--casebook {case.number}-->{add}<!--or-->{remove}<!--end-->")


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

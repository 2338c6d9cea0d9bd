from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from lib.phrases import MAX_UNBROKEN
from lib.phrases import phrases as split_phrases

register = template.Library()


@register.filter
def yen(value: int | None) -> str:
    """1200000 → 「1,200,000円」; unknown budgets say so."""
    if value is None:
        return "不明"
    return f"{intcomma(value)}円"


@register.simple_tag(takes_context=True)
def case_card(context, case) -> SafeString:
    """A result card. Written here in one pass, not by a template: a page of results shows
    twenty, and through the template language they took a third of an uncached search."""
    photos, domains = case.photos.all(), case.domains.all()
    if photos:
        photo = photos[0]
        media = format_html(
            '<img src="{}" alt="" width="{}" height="{}" loading="lazy">',
            photo.image.url,
            photo.width or "",
            photo.height or "",
        )
    else:
        media = format_html(
            '<span class="case-card__noimage" aria-hidden="true">{}</span>',
            domains[0].name if domains else "協働",
        )
    tags = format_html_join("", '<li class="tag tag--domain">{}</li>', ((d.name,) for d in domains))
    tags += format_html_join(
        "", '<li class="tag tag--partner">{}</li>', ((label,) for label in case.partner_types())
    )
    return format_html(
        '<article class="case-card" id="case-{number}">\n'
        '<div class="case-card__media">{media}</div>\n<div class="case-card__body">\n'
        '<p class="case-card__number">事例No.{number}</p>\n'
        '<h3 class="case-card__title"><a href="{url}">{title}</a></h3>\n{awards}\n'
        '<p class="case-card__meta">{area} ／ {period} ／ {lead}</p>\n'
        '<p class="case-card__summary">{summary}</p>\n'
        '<ul class="tags" aria-label="活動分野・パートナー">{tags}</ul>\n'
        '<p class="case-card__budget">事業費：{budget}</p>\n{button}\n</div>\n</article>',
        number=case.number,
        media=media,
        url=case.get_absolute_url(),
        title=case.title,
        awards=award_badges(case.awards.all()),
        area=case.area.name,
        period=case.period_display,
        lead=case.lead_organization.name,
        summary=Truncator(case.summary).chars(90),
        tags=tags,
        budget=yen(case.budget),
        button=casebook_button(context, case),
    )


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
        format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
        if token and token != "NOTPROVIDED"
        else ""
    )
    back = f"{request.get_full_path() if request else ''}#case-{case.number}"
    form = (
        '<form method="post" action="{action}" class="casebook-button">{csrf}'
        '<input type="hidden" name="next" value="{back}">'
        '<button type="submit" class="button {style}button--small"{pressed}>{label}'
        '<span class="visually-hidden">：{title}</span></button></form>'
    )
    add = format_html(
        form, action=reverse("casebook:add", args=[case.number]), csrf=csrf, back=back,
        style="", pressed="", label="＋ 事例集に追加", title=case.title,
    )  # fmt: skip
    remove = format_html(
        form, action=reverse("casebook:remove", args=[case.number]), csrf=csrf, back=back,
        style="button--outline ", pressed=mark_safe(' aria-pressed="true"'),
        label="事例集から外す", title=case.title,
    )  # fmt: skip
    return format_html("<!--casebook {}-->{}<!--or-->{}<!--end-->", case.number, add, remove)


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

import json

from django import template
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from collanavi.lib.phrases import MAX_UNBROKEN
from collanavi.lib.phrases import phrases as split_phrases
from partners.models import Organization

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


@register.filter
def on_site(url: str) -> str:
    """A path as an absolute address on the public site (SITE_URL); full URLs stay as they are."""
    return url if "://" in url else f"{settings.SITE_URL}{url}"


# schema.org's type for each kind of organization.
SCHEMA_TYPES = {
    Organization.Kind.NPO: "NGO",
    Organization.Kind.COMPANY: "Corporation",
    Organization.Kind.GOVERNMENT: "GovernmentOrganization",
    Organization.Kind.EDUCATION: "EducationalOrganization",
}
# json.dumps leaves these as they are; inside <script> they could end it or open a comment.
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _organization(organization: Organization) -> dict:
    return {
        "@type": SCHEMA_TYPES.get(organization.kind, "Organization"),
        "name": organization.name,
        "url": on_site(organization.get_absolute_url()),
    }


@register.simple_tag
def case_json_ld(case) -> SafeString:
    """The case as a schema.org Article by its organizations, for search engines."""
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": case.title,
        "description": case.summary[:300],
        "identifier": f"事例No.{case.number}",
        "url": on_site(case.get_absolute_url()),
        "mainEntityOfPage": on_site(case.get_absolute_url()),
        "inLanguage": "ja",
        "dateModified": case.updated_at.isoformat(),
        "author": _organization(case.lead_organization),
        "contributor": [_organization(p.organization) for p in case.partners.all()],
        "publisher": {
            "@type": "GovernmentOrganization",
            "name": f"{settings.PREFECTURE_NAME} {settings.SITE_NAME}",
            "url": settings.SITE_URL + "/",
        },
        "about": [d.name for d in case.domains.all()],
        "keywords": ", ".join(m.name for m in case.methods.all()),
        "spatialCoverage": {"@type": "Place", "name": case.area.name},
        "image": [on_site(photo.image.url) for photo in case.photos.all()],
    }
    if case.published_on:
        data["datePublished"] = case.published_on.isoformat()
    text = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))

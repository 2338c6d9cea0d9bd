"""What a case page tells search engines and link previews: absolute addresses, JSON-LD."""

import json

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from partners.models import Organization

register = template.Library()

# schema.org's type for each kind of organization.
SCHEMA_TYPES = {
    Organization.Kind.NPO: "NGO",
    Organization.Kind.COMPANY: "Corporation",
    Organization.Kind.GOVERNMENT: "GovernmentOrganization",
    Organization.Kind.EDUCATION: "EducationalOrganization",
}
# json.dumps leaves these as they are; inside <script> they could end it or open a comment.
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def on_site(url: str) -> str:
    """A path as an absolute address on the public site (SITE_URL); full URLs stay as they are."""
    return url if "://" in url else f"{settings.SITE_URL}{url}"


def _organization(organization: Organization) -> dict:
    kind = SCHEMA_TYPES.get(organization.kind, "Organization")
    found = {"@type": kind, "name": organization.name}
    if organization.may_be_listed:  # its page exists
        found["url"] = on_site(organization.get_absolute_url())
    return found


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

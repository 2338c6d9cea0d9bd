from django.conf import settings
from django.http import HttpRequest

from kernel import pagecache


def instance() -> dict:
    """The instance's name, address and contact office, for pages and PDFs alike."""
    return {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "site_tagline": settings.SITE_TAGLINE,
        "prefecture_name": settings.PREFECTURE_NAME,
        "contact_hours": settings.CONTACT_HOURS,
        "contact_office": settings.CONTACT_OFFICE,
        "contact_phone": settings.CONTACT_PHONE,
        "contact_email": settings.CONTACT_EMAIL,
        "issuer_name": settings.ISSUER_NAME,
        "issuer_contact": settings.ISSUER_CONTACT,
        "demo_notice": settings.DEMO_NOTICE,
        "open_data_license": settings.OPEN_DATA_LICENSE,
        "open_data_license_url": settings.OPEN_DATA_LICENSE_URL,
    }


def site(request: HttpRequest) -> dict:
    """The instance, and the visitor's casebook for the header counter, for every template.

    A shared page (kernel.pagecache) gets holes instead of the visitor's own parts.
    """
    if pagecache.is_shared(request):
        return {**instance(), **pagecache.HOLES}
    from cases.casebook import Casebook  # a higher app: the header's casebook counter

    session = getattr(request, "session", None)
    return {**instance(), "casebook_count": len(Casebook(session)) if session is not None else 0}

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
    """The instance, for every template; a shared page (kernel.pagecache) gets its holes too."""
    if pagecache.is_shared(request):
        return {**instance(), **pagecache.HOLES}
    return instance()

from django.conf import settings
from django.http import HttpRequest

from cases.casebook import Casebook


def site(request: HttpRequest) -> dict:
    """The instance's name and contact office, for every template."""
    return {
        "site_name": settings.SITE_NAME,
        "site_tagline": settings.SITE_TAGLINE,
        "prefecture_name": settings.PREFECTURE_NAME,
        "contact_office": settings.CONTACT_OFFICE,
        "contact_phone": settings.CONTACT_PHONE,
        "contact_email": settings.CONTACT_EMAIL,
        "demo_notice": settings.DEMO_NOTICE,
        "open_data_license": settings.OPEN_DATA_LICENSE,
        "open_data_license_url": settings.OPEN_DATA_LICENSE_URL,
        "casebook_numbers": set(Casebook(request.session).numbers)
        if hasattr(request, "session")
        else set(),
    }

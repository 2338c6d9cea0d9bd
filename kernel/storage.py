"""Where files that only staff may see are kept: outside MEDIA_ROOT, with no public URL."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages


class PrivateStorage(FileSystemStorage):
    """Local files under PRIVATE_MEDIA_ROOT; `url()` refuses, so nothing links to them."""

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return str(self.base_location)

    @property
    def base_url(self):
        return None


def private_storage():
    """The "private" storage of settings.STORAGES (a private bucket in production)."""
    return storages["private"]

"""What a backup archive holds: the records (times to the microsecond) and the media folders."""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.serializers import json as django_json

DATA = "data.json"  # loaddata reads it as Django's JSON
FORMAT = "backup-json"  # written as Django's JSON, but with times to the microsecond
# Rebuilt by migrate/flush on the target, or worthless there (case PDFs: `render_pdfs`).
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "axes",
    "cases.casepdf",
    "cases.boundbook",
    "django_tasks_database",
]


class _Encoder(django_json.DjangoJSONEncoder):
    """Times in full (Django's JSON cuts them to milliseconds: history would come back altered)."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time) and o.utcoffset() is None:
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    """The FORMAT serializer (registered by `backup`)."""

    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = _Encoder


Deserializer = django_json.Deserializer


def media_folders() -> dict[str, Path]:
    """The archive's folder for each media root: public photos, and files only staff may see."""
    return {"media": Path(settings.MEDIA_ROOT), "private": Path(settings.PRIVATE_MEDIA_ROOT)}

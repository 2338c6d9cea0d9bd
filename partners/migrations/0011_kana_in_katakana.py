"""Readings typed in hiragana or half-width kana, stored in katakana as the form now keeps them."""

import unicodedata

from django.db import migrations

# lib.text.katakana as of this migration (a migration does not follow later edits).
HIRAGANA_TO_KATAKANA = {
    **{code: code + 0x60 for code in range(0x3041, 0x3097)},
    0x309D: 0x30FD,
    0x309E: 0x30FE,
}


def forward(apps, schema_editor):
    Organization = apps.get_model("partners", "Organization")
    for organization in Organization.objects.only("pk", "kana").iterator():
        kana = unicodedata.normalize("NFKC", organization.kana)
        kana = kana.translate(HIRAGANA_TO_KATAKANA).strip()
        if kana != organization.kana:
            Organization.objects.filter(pk=organization.pk).update(kana=kana)


class Migration(migrations.Migration):
    dependencies = [("partners", "0010_history_change_reason_text")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]

"""Seeds in the two staff roles: 事例編集者 prepare seeds and follow their progress (not the
consultations: they hold the personal data of inquiries, which editors do not see);
管理者 also approve, reject and delete them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "事例編集者"
ADMINISTRATOR = "管理者"
EDITOR_PERMISSIONS = [
    f"{verb}_{model}" for model in ("seed", "statuschange") for verb in ("add", "change", "view")
]


def forward(apps, schema_editor):
    # Permissions are normally made after migrations; the groups need them now.
    app_config = apps.get_app_config("seeds")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    seeds = Permission.objects.filter(content_type__app_label="seeds")
    editor, _ = Group.objects.get_or_create(name=EDITOR)
    editor.permissions.add(*seeds.filter(codename__in=EDITOR_PERMISSIONS))
    administrator, _ = Group.objects.get_or_create(name=ADMINISTRATOR)
    administrator.permissions.add(*seeds)


class Migration(migrations.Migration):
    dependencies = [
        ("seeds", "0002_search_ngram_index"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]

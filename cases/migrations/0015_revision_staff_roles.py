"""Revisions in the two staff roles: 事例編集者 see their changes' outcome and may remove a
partner, schedule row, photo or award (on a published case the removal waits for review like
any other change); 管理者 approve or return changes."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# The groups 0005_staff_roles makes.
EDITOR = "事例編集者"
ADMINISTRATOR = "管理者"
EDITOR_CODENAMES = [
    "view_revision",
    "delete_casepartner",
    "delete_scheduleitem",
    "delete_photo",
    "delete_award",
]
ADMINISTRATOR_CODENAMES = ["view_revision", "review_revision"]


def forward(apps, schema_editor):
    # Permissions are normally made after migrations; the groups need them now.
    app_config = apps.get_app_config("cases")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module  # as found: the real registry needs its models
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    cases = Permission.objects.filter(content_type__app_label="cases")
    editor, _ = Group.objects.get_or_create(name=EDITOR)
    editor.permissions.add(*cases.filter(codename__in=EDITOR_CODENAMES))
    administrator, _ = Group.objects.get_or_create(name=ADMINISTRATOR)
    administrator.permissions.add(*cases.filter(codename__in=ADMINISTRATOR_CODENAMES))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0014_revision"),
        ("cases", "0013_award_staff_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]

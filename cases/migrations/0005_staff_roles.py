"""The two staff roles: 事例編集者 (create and edit, no publishing or deleting) and 管理者 (all)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "事例編集者"
ADMINISTRATOR = "管理者"
APPS = ["cases", "partners", "inquiries"]
# 事例編集者: what they may do, as (app, codename).
EDITOR_PERMISSIONS = [
    *[
        ("cases", f"{verb}_{model}")
        for model in ("case", "photo", "casepartner", "scheduleitem")
        for verb in ("add", "change", "view")
    ],
    ("cases", "export_case"),
    ("cases", "view_domain"),
    ("cases", "view_method"),
    *[
        ("partners", f"{verb}_{model}")
        for model in ("organization", "organizationrecord")
        for verb in ("add", "change", "view")
    ],
    ("partners", "export_organization"),
    ("partners", "view_area"),
    ("inquiries", "view_updateproposal"),
    ("inquiries", "view_pagefeedback"),
]


def forward(apps, schema_editor):
    # Permissions are normally made after migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor, _ = Group.objects.get_or_create(name=EDITOR)
    editor.permissions.set(
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in EDITOR_PERMISSIONS
    )
    administrator, _ = Group.objects.get_or_create(name=ADMINISTRATOR)
    administrator.permissions.set(Permission.objects.filter(content_type__app_label__in=APPS))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_alter_case_options_historicalcase_and_more"),
        ("partners", "0004_alter_organization_options_historicalorganization"),
        ("inquiries", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]

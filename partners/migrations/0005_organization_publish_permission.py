from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0004_alter_organization_options_historicalorganization"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="organization",
            options={
                "ordering": ["kana", "name"],
                "permissions": [
                    ("import_organization", "団体をインポートできる"),
                    ("export_organization", "団体をエクスポートできる"),
                    ("publish_organization", "団体を一覧に掲載できる"),
                ],
                "verbose_name": "団体",
                "verbose_name_plural": "団体",
            },
        ),
    ]

"""The privacy policy becomes a guide page staff edit (it was a fixed template)."""

from django.db import migrations
from django.utils import timezone

PRIVACY = """\
{{ site_name }}（運営：{{ prefecture_name }} {{ contact_office }}）は、お問い合わせ・ご相談・情報提供・掲載情報の更新提案でお預かりする個人情報を、次のとおり取り扱います。

## 1. 利用の目的

お預かりした氏名・団体名・メールアドレス・電話番号・内容は、お問い合わせへの回答、協働のご相談への対応、事例の掲載・更新の確認のためだけに利用します。

## 2. 第三者への提供

法令に基づく場合を除き、ご本人の同意なく第三者に提供しません。ご相談の内容により関係団体へのおつなぎが必要な場合は、事前にご本人に確認します。

## 3. 管理と保存期間

個人情報は、権限を持つ職員だけが閲覧できるよう管理し、受付から一定期間（標準3年）を過ぎたものは削除します。

## 4. ページの評価

各ページの「このページの情報は役に立ちましたか？」への回答は、個人を特定できない形（ページのアドレスと回答のみ）で保存し、サイトの改善に使います。

## 5. お問い合わせ先

{{ contact_office }}　電話 [{{ contact_phone }}](tel:{{ contact_phone }})　メール [{{ contact_email }}](mailto:{{ contact_email }})
"""


def forward(apps, schema_editor):
    GuidePage = apps.get_model("guide", "GuidePage")
    HistoricalGuidePage = apps.get_model("guide", "HistoricalGuidePage")
    if GuidePage.objects.filter(path="/privacy/").exists():
        return
    fields = {
        "title": "プライバシーポリシー（個人情報の取り扱い）",
        "path": "/privacy/",
        "menu": "none",  # the footer links it beside the forms
        "menu_label": "プライバシーポリシー",
        "description": "お問い合わせやご相談でお預かりする個人情報の取り扱いについて説明します。",
        "body": PRIVACY,
        "order": 70,
        "is_published": True,
    }
    page = GuidePage.objects.create(**fields)
    HistoricalGuidePage.objects.create(
        id=page.pk,
        **fields,
        history_date=timezone.now(),
        history_type="+",
        history_change_reason="最初の内容（データ移行）",
    )


class Migration(migrations.Migration):
    dependencies = [("guide", "0003_first_pages")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]

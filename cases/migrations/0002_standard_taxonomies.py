"""The standard 活動分野 and 事業の手法 of ちばコラボナビ; staff may edit them."""

from django.db import migrations

DOMAINS = [
    "まちづくり",
    "福祉（高齢者）",
    "福祉（障害）",
    "福祉（子ども）",
    "保健・医療",
    "環境",
    "教育・文化",
    "防災・防犯",
    "国際・多文化共生",
    "産業・観光",
    "スポーツ",
    "その他",
]
METHODS = [
    "委託",
    "補助・助成",
    "共催",
    "実行委員会・協議会",
    "事業協力・協定",
    "後援",
    "企画参画",
    "情報提供・交流",
]


def forward(apps, schema_editor):
    for model, names in (("Domain", DOMAINS), ("Method", METHODS)):
        Model = apps.get_model("cases", model)
        for order, name in enumerate(names):
            Model.objects.get_or_create(name=name, defaults={"order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]

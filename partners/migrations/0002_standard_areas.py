"""Chiba Prefecture's municipalities, as the default area list; staff may edit them."""

from django.db import migrations

AREAS = [
    "千葉県全域",
    "千葉市",
    "銚子市",
    "市川市",
    "船橋市",
    "館山市",
    "木更津市",
    "松戸市",
    "野田市",
    "茂原市",
    "成田市",
    "佐倉市",
    "東金市",
    "旭市",
    "習志野市",
    "柏市",
    "勝浦市",
    "市原市",
    "流山市",
    "八千代市",
    "我孫子市",
    "鴨川市",
    "鎌ケ谷市",
    "君津市",
    "富津市",
    "浦安市",
    "四街道市",
    "袖ケ浦市",
    "八街市",
    "印西市",
    "白井市",
    "富里市",
    "南房総市",
    "匝瑳市",
    "香取市",
    "山武市",
    "いすみ市",
    "大網白里市",
    "酒々井町",
    "栄町",
    "神崎町",
    "多古町",
    "東庄町",
    "九十九里町",
    "芝山町",
    "横芝光町",
    "一宮町",
    "睦沢町",
    "長生村",
    "白子町",
    "長柄町",
    "長南町",
    "大多喜町",
    "御宿町",
    "鋸南町",
]


def forward(apps, schema_editor):
    Area = apps.get_model("partners", "Area")
    for order, name in enumerate(AREAS):
        Area.objects.get_or_create(name=name, defaults={"order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]

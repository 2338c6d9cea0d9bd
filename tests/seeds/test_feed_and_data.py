import csv
import io
import json

import pytest

from cases.models import Domain
from tests import factories

pytestmark = pytest.mark.django_db


def test_feed_follows_the_search(client):
    factories.seed(title="環境の種", domains=("環境",))
    factories.seed(title="スポーツの種", domains=("スポーツ",))
    env = Domain.objects.get(name="環境").pk
    feed = client.get(f"/seeds/feed/?domain={env}").content.decode()
    assert "環境の種" in feed and "スポーツの種" not in feed
    assert "活動分野：環境" in feed  # the feed's title names the search
    board = client.get(f"/seeds/?domain={env}").content.decode()
    assert f'href="/seeds/feed/?domain={env}"' in board


def test_csv_escapes_formulas_and_json_counts(client):
    factories.seed(title="=HYPERLINK(1)", period="@2027")
    response = client.get("/seeds/export.csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["ID", "タイトル", "URL"]
    assert rows[1][1] == "'=HYPERLINK(1)"
    data = json.loads(client.get("/seeds/export.json").content)
    assert data["count"] == 1 and data["seeds"][0]["タイトル"] == "=HYPERLINK(1)"
    assert "担当者" not in json.dumps(data, ensure_ascii=False)

from django.urls import path
from django.views.decorators.http import require_safe

from kernel.pagecache import shared_document
from seeds import selectors, views
from seeds.feeds import SeedFeed

app_name = "seeds"
urlpatterns = [
    path("", views.seed_list, name="list"),
    path("new/", views.seed_new, name="new"),
    path("new/confirm/", views.seed_confirm, name="confirm"),
    path("new/done/", views.seed_done, name="done"),
    path("export.csv", views.seed_export_csv, name="export_csv"),
    path("export.json", views.seed_export_json, name="export_json"),
    path(
        "feed/",
        require_safe(shared_document(SeedFeed(), query=selectors.SEEDS.canonical_query)),
        name="feed",
    ),
    path("poster/<path:name>/", views.poster_seeds, name="poster"),
    path("<int:pk>/", views.seed_detail, name="detail"),
    path("<int:pk>/consult/", views.consult_new, name="consult"),
    path("<int:pk>/consult/confirm/", views.consult_confirm, name="consult_confirm"),
    path("<int:pk>/consult/done/", views.consult_done, name="consult_done"),
]

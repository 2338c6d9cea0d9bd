from django.urls import path
from django.views.decorators.http import require_safe

from cases import casebook_views, views
from cases.feeds import CaseFeed
from cases.selectors import CASES
from kernel.pagecache import shared_document

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("export.csv", views.case_export_csv, name="export_csv"),
    path("export.json", views.case_export_json, name="export_json"),
    path(
        "feed/",
        require_safe(shared_document(CaseFeed(), query=CASES.canonical_query)),
        name="feed",
    ),
    path("<int:number>/", views.case_detail, name="detail"),
    path("<int:number>/pdf/", casebook_views.case_pdf, name="pdf"),
]

import csv
import io

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from kernel.pagecache import shared_document, shared_page
from kernel.spreadsheets import content_disposition, escape_formula
from stats.charts import CHART_NAMES, SHARED_NOTE, catalogue_numbers


@require_safe
@shared_page
def stats_page(request: HttpRequest) -> HttpResponse:
    context = {"numbers": catalogue_numbers(), "note": SHARED_NOTE, "today": timezone.localdate()}
    return render(request, "stats/page.html", context)


@require_safe
@shared_document
def chart_csv(request: HttpRequest, chart: str) -> HttpResponse:
    """One chart's numbers as its table shows them: UTF-8 with a BOM, so Excel reads it."""
    if chart not in CHART_NAMES:
        raise Http404("集計が見つかりません")
    found = next(c for c in catalogue_numbers().charts if c.name == chart)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows([escape_formula(cell) for cell in row] for row in found.csv_rows())
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(
        f"{found.spec.title}.csv", f"collanavi-stats-{chart}.csv"
    )
    return response

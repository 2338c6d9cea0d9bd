"""Laying out case PDFs in tests as the background worker does, without a worker."""

from cases import tasks
from cases.models import Case


def lay_out_all() -> int:
    """Run the worker's task for every case now; how many were laid out (not already current)."""
    return sum(tasks.render_case_pdf.call(pk) for pk in Case.objects.values_list("pk", flat=True))

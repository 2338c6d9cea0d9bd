"""The background worker in tests, without a worker process: its queue run once, or its PDF
task called for every case."""

import signal
from unittest import mock

from django.core.management import call_command

from cases import tasks
from cases.models import Case


def run_worker() -> None:
    """`manage.py db_worker --batch`: every queued task, then exit (as a cron job would)."""
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    # Its connection housekeeping would close the test's transaction (on PostgreSQL).
    housekeeping = "django_tasks_db.management.commands.db_worker.close_old_connections"
    try:
        with mock.patch(housekeeping):
            call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def lay_out_all() -> int:
    """Run the worker's task for every case now; how many were laid out (not already current)."""
    return sum(tasks.render_case_pdf.call(pk) for pk in Case.objects.values_list("pk", flat=True))

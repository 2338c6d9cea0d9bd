"""Background work (django-tasks): each published case's PDF is laid out ahead of time.

Whatever a case's PDF prints may change (the case, its photos, an organization, a taxonomy or
area name, an import): the PDFs follow the change feed on the worker (`refresh_pdfs`, declared
in cases/apps.py), which queues one layout per case concerned, so several worker processes
share them. Every task is idempotent: a case whose stored pages are current is not laid out
again.
"""

import datetime
from collections.abc import Iterable, Mapping

from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from cases.models import BoundBook, Case, CasePdf
from kernel import feed
from kernel.cache import shared

EVERYTHING = feed.EVERYTHING
# A casebook someone waits for goes before the background's catch-up after a rename.
WAITED_FOR = 10
# A layout asked for by a waiting visitor is not queued again for this long.
REQUEUE_AFTER = 300
# Books the worker bound are kept this long (a day's date is in their key anyway).
BOUND_BOOKS_KEPT = datetime.timedelta(hours=2)


def affected_cases(changes: Iterable[str] | Mapping[str, set]) -> list[int]:
    """The cases whose PDF these changes ("case:12", or kind: keys) may alter (a changed case,
    whatever its status, so that a withdrawn case's stored pages go)."""
    named = changes if isinstance(changes, Mapping) else feed.grouped(changes)
    if EVERYTHING in named or any(None in keys for keys in named.values()):
        return list(Case.objects.published().order_by("number").values_list("pk", flat=True))
    published = (
        Q(lead_organization__in=named.get("organization", ()))
        | Q(partners__organization__in=named.get("organization", ()))
        | Q(domains__in=named.get("domain", ()))
        | Q(methods__in=named.get("method", ()))
        | Q(area__in=named.get("area", ()))
    )
    cases = {pk for pk in named.get("case", ()) if pk is not None}
    if named.keys() - {"case"}:
        cases.update(Case.objects.published().filter(published).values_list("pk", flat=True))
    return sorted(cases)


def refresh_pdfs(keys: Mapping[str, set]) -> int:
    """On the worker, from the change feed: queue a layout of each case these changes concern."""
    pks = affected_cases(keys)
    for pk in pks:
        render_case_pdf.enqueue(pk)
    return len(pks)


def refresh_every_pdf() -> int:
    return refresh_pdfs({EVERYTHING: {None}})


@task()
def check_every_pdf() -> int:
    """Queue a check of every published case (after a template or font change)."""
    return refresh_every_pdf()


@task()
def render_case_pdf(case_pk: int) -> bool:
    """Lay out one published case's pages unless they are current; drop a withdrawn one's."""
    from cases import pdf  # WeasyPrint loads only where PDFs are made

    case = pdf.with_pdf_data(Case.objects.published()).filter(pk=case_pk).first()
    if case is None:
        CasePdf.objects.filter(case_id=case_pk).delete()
        return False
    return pdf.lay_out(case)


def render_soon(cases: list[Case], keys: list[str]) -> None:
    """Someone waits for these cases (with these keys): queue them ahead of the background's
    other work, once however often the progress page asks."""
    for case, key in zip(cases, keys, strict=True):
        if shared.add(f"pdf-queued:{case.pk}:{key}", True, REQUEUE_AFTER):
            render_case_pdf.using(priority=WAITED_FOR).enqueue(case.pk)


def refresh_all() -> None:
    """Queue a check of every published case (after a template or font change, a restore)."""
    check_every_pdf.enqueue()


def bound_or_queued(
    cases: list[Case], keys: list[str], *, title: str, dropped: list[int]
) -> BoundBook | None:
    """A long book (all its cases laid out) as the worker bound it (its content read when
    used), or None once its binding is queued: binding it would take a request too long."""
    from cases import pdf

    key = pdf.book_key(keys, title=title, dropped=dropped)
    book = BoundBook.objects.defer("content").filter(key=key).first()
    if book is None and shared.add(f"pdf-bind-queued:{key}", True, REQUEUE_AFTER):
        numbers = [case.number for case in cases]
        bind_casebook.using(priority=WAITED_FOR).enqueue(numbers, title, list(dropped))
    return book


@task()
def bind_casebook(numbers: list[int], title: str, dropped: list[int]) -> bool:
    """Bind a long book from its cases' stored pages, unless bound already or a case changed."""
    from cases import pdf
    from cases.selectors import cases_by_numbers

    cases, _ = cases_by_numbers(numbers, prefetch=pdf.with_pdf_data)
    keys = pdf.case_keys(cases)
    key = pdf.book_key(keys, title=title, dropped=dropped)
    bodies = pdf.stored_bodies(cases, keys)
    if bodies is None or BoundBook.objects.filter(key=key).exists():
        return False
    content = pdf.casebook_pdf(cases, bodies, title=title, dropped=dropped)
    BoundBook.objects.filter(created_at__lt=timezone.now() - BOUND_BOOKS_KEPT).delete()
    BoundBook.objects.get_or_create(key=key, defaults={"content": content})
    return True


# An export asked for again while it is being written is not queued again for this long.
EXPORT_REQUEUE_AFTER = 600


def export_soon(kind: str, params: list[tuple[str, str]]) -> None:
    """Write this export for the current catalogue version in the background, once."""
    from kernel import catalogue

    path = catalogue.cached_file(f"export-{kind}", params)
    if shared.add(f"export-queued:{kind}:{path.name}", True, EXPORT_REQUEUE_AFTER):
        build_export.using(priority=WAITED_FOR).enqueue(kind, [list(p) for p in params])


@task()
def build_export(kind: str, params: list[list[str]]) -> bool:
    """Write an open-data export to its file for the current catalogue version (a long one:
    writing it would take a request too long), unless it is there already."""
    from cases import opendata
    from kernel import catalogue

    params = [(name, value) for name, value in params]
    path = catalogue.cached_file(f"export-{kind}", params)
    if path.exists():
        return False
    for _ in catalogue.stream_file(path, lambda: opendata.lines(kind, params)):
        pass
    return True

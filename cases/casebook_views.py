"""My casebook: gather cases in the session, arrange them, share and print them."""

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from cases import tasks
from cases.casebook import DEFAULT_TITLE, LIMIT, TITLE_MAX_LENGTH, Casebook, parse_numbers
from cases.models import BoundBook, Case
from cases.selectors import cases_by_numbers
from kernel.ratelimit import one_of, rate_limited
from kernel.spreadsheets import content_disposition

if TYPE_CHECKING:
    from cases.pdf import Body

# The progress page reloads itself this often without JavaScript (its script asks every second).
PROGRESS_REFRESH_SECONDS = 3
_UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def _back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    """Back to where the person was (only ever to this site)."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = fallback
    return HttpResponseRedirect(target)


def _shared(request: HttpRequest) -> tuple[list[int], str] | None:
    """The book a shared link describes (?cases=12,3,7&title=…), if any."""
    if "cases" not in request.GET:
        return None
    return parse_numbers(request.GET["cases"]), request.GET.get("title", "")[:TITLE_MAX_LENGTH]


def share_query(numbers: list[int], title: str) -> str:
    query = QueryDict(mutable=True)
    query["cases"] = ",".join(map(str, numbers))
    if title:
        query["title"] = title
    return query.urlencode(safe=",")


@require_safe
def casebook_detail(request: HttpRequest) -> HttpResponse:
    casebook = Casebook(request.session)
    shared = _shared(request)
    numbers, title = shared if shared else (casebook.numbers, casebook.title)
    cases, dropped = cases_by_numbers(numbers)
    if dropped:
        messages.warning(
            request,
            "次の事例No.は公開されていないか見つからないため、事例集から除きました："
            + "、".join(map(str, dropped)),
        )
        if not shared:
            casebook.replace(
                [c.number for c in cases], casebook.session.get(Casebook.TITLE_KEY, "")
            )
    query = share_query([c.number for c in cases], "" if title == "マイ事例集" else title)
    return render(
        request,
        "cases/casebook.html",
        {
            "cases": cases,
            "title": title or "マイ事例集",
            "shared": shared is not None,
            "share_url": request.build_absolute_uri(reverse("casebook:detail") + "?" + query),
            "pdf_url": reverse("casebook:pdf") + "?" + query,
            "limit": LIMIT,
            "title_max_length": TITLE_MAX_LENGTH,
        },
    )


@require_POST
@rate_limited("casebook", "RATE_LIMIT_CLICKS")
def casebook_add(request: HttpRequest, number: int) -> HttpResponse:
    case = get_object_or_404(Case.objects.published(), number=number)
    if Casebook(request.session).add(case.number):
        messages.success(request, f"「{case.title}」を事例集に追加しました。")
    else:
        messages.error(
            request,
            f"事例集に入れられるのは{LIMIT}件までです。事例集のページで不要な事例を外してから追加してください。",
        )
    return _back(request, case.get_absolute_url())


@require_POST
@rate_limited("casebook", "RATE_LIMIT_CLICKS")
def casebook_remove(request: HttpRequest, number: int) -> HttpResponse:
    Casebook(request.session).remove(number)
    messages.success(request, f"事例No.{number}を事例集から外しました。")
    return _back(request, reverse("casebook:detail"))


@require_POST
@rate_limited("casebook", "RATE_LIMIT_CLICKS")
def casebook_move(request: HttpRequest, number: int) -> HttpResponse:
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""), 0)
    Casebook(request.session).move(number, offset)
    return HttpResponseRedirect(reverse("casebook:detail") + f"#entry-{number}")


@require_POST
@rate_limited("casebook", "RATE_LIMIT_CLICKS")
def casebook_clear(request: HttpRequest) -> HttpResponse:
    Casebook(request.session).clear()
    messages.success(request, "事例集を空にしました。")
    return redirect("casebook:detail")


@require_POST
@rate_limited("casebook", "RATE_LIMIT_CLICKS")
def casebook_title(request: HttpRequest) -> HttpResponse:
    Casebook(request.session).set_title(request.POST.get("title", ""))
    messages.success(request, "表紙のタイトルを保存しました。")
    return redirect("casebook:detail")


@require_POST
@rate_limited("casebook", "RATE_LIMIT_CLICKS")
def casebook_import(request: HttpRequest) -> HttpResponse:
    """Make a shared book one's own, to arrange it further."""
    cases, _ = cases_by_numbers(parse_numbers(request.POST.get("cases", "")))
    Casebook(request.session).replace([c.number for c in cases], request.POST.get("title", ""))
    messages.success(request, f"{len(cases)}件の事例をあなたの事例集にしました。")
    return redirect("casebook:detail")


def _pdf_book(request: HttpRequest) -> tuple[list[Case], list[int], str]:
    from cases import pdf  # WeasyPrint loads only where PDFs are made

    casebook = Casebook(request.session)
    shared = _shared(request)
    numbers, title = shared if shared else (casebook.numbers, casebook.title)
    cases, dropped = cases_by_numbers(numbers, prefetch=pdf.with_pdf_data)
    return cases, dropped, title or DEFAULT_TITLE


@require_safe
@rate_limited("pdf", "RATE_LIMIT_PDFS", methods=("GET", "HEAD"))
def casebook_pdf(request: HttpRequest) -> HttpResponse:
    from cases import pdf

    cases, dropped, title = _pdf_book(request)
    if not cases:
        messages.error(
            request, "事例集に事例がありません。事例のページで「事例集に追加」を押してください。"
        )
        return redirect("casebook:detail")
    bound = None
    if len(cases) > settings.PDF_BIND_IN_REQUEST_MAX:  # too long to bind within a request

        def bound(keys: list[str]) -> BoundBook | None:
            return tasks.bound_or_queued(cases, keys, title=title, dropped=dropped)

    return _pdf_when_ready(
        request,
        cases,
        lambda bodies: pdf.casebook_pdf(cases, bodies, title=title, dropped=dropped),
        filename="casebook.pdf",
        saved=_file_name(title),
        back=(reverse("casebook:detail"), "マイ事例集に戻る"),
        bound=bound,
    )


@require_safe
@rate_limited("pdf", "RATE_LIMIT_PDFS", methods=("GET", "HEAD"))
def case_pdf(request: HttpRequest, number: int) -> HttpResponse:
    from cases import pdf

    qs = Case.objects.all() if request.user.is_staff else Case.objects.published()
    case = get_object_or_404(pdf.with_pdf_data(qs), number=number)
    filename = f"case-{case.number}.pdf"
    # Shown in the browser's viewer; saved as 「事例No.8_題名.pdf」.
    shown = _UNSAFE_IN_FILE_NAMES.sub("_", f"事例No.{case.number}_{case.title}")[:80] + ".pdf"
    if not case.is_published:  # staff previewing a draft: laid out now, never stored
        if _wants_json(request):
            return JsonResponse({"ready": 1, "total": 1, "done": True})
        with one_of("pdf", "PDF_CONCURRENT_BUILDS") as free:
            if free:
                return _pdf_response(pdf.case_pdf(case, pdf.render_body(case)), filename, shown)
        return _progress(request, [case], ready=1, back=(case.get_absolute_url(), "事例に戻る"))
    return _pdf_when_ready(
        request,
        [case],
        lambda bodies: pdf.case_pdf(case, bodies[0]),
        filename=filename,
        shown=shown,
        back=(case.get_absolute_url(), "事例に戻る"),
    )


def _pdf_when_ready(
    request: HttpRequest,
    cases: list[Case],
    build: Callable[[list["Body"]], bytes],
    *,
    filename: str,
    back: tuple[str, str],
    bound: Callable[[list[str]], BoundBook | None] | None = None,
    shown: str | None = None,
    saved: str | None = None,
) -> HttpResponse:
    """The PDF bound from the cases' stored pages when all are current (by the worker, through
    `bound`, for a long book); else (or while too many PDFs are being bound) a progress page,
    and what is missing queued for the worker.

    A request never lays out a case, so it answers in a few seconds whatever the book.
    """
    from cases import pdf

    keys = pdf.case_keys(cases)
    missing = pdf.out_of_date(cases, keys)
    if missing:
        tasks.render_soon(*map(list, zip(*missing, strict=True)))
    ready = len(cases) - len(missing)
    book = bound(keys) if bound is not None and not missing else None
    done = not missing and (bound is None or book is not None)
    if _wants_json(request):
        return JsonResponse({"ready": ready, "total": len(cases), "done": done})
    if book is not None:
        return _pdf_response(bytes(book.content), filename, shown, saved)
    if done:
        with one_of("pdf", "PDF_CONCURRENT_BUILDS") as free:
            bodies = pdf.stored_bodies(cases, keys) if free else None
            if bodies is not None:  # None: busy, or a case changed meanwhile
                return _pdf_response(build(bodies), filename, shown, saved)
    return _progress(request, cases, ready=ready, back=back)


def _wants_json(request: HttpRequest) -> bool:
    """The progress page's script asking how far the PDF is."""
    return request.headers.get("Accept", "").startswith("application/json")


def _progress(
    request: HttpRequest, cases: list[Case], *, ready: int, back: tuple[str, str]
) -> HttpResponse:
    """「事例集を作成しています（12 / 30件）」: reloads itself, and polls sooner with JavaScript."""
    context = {
        "ready": ready,
        "total": len(cases),
        "book": request.resolver_match.app_name == "casebook",
        "first_number": cases[0].number if cases else None,
        "refresh_seconds": PROGRESS_REFRESH_SECONDS,
        "back_url": back[0],
        "back_label": back[1],
    }
    response = render(request, "cases/pdf_progress.html", context)
    add_never_cache_headers(response)
    return response


def _pdf_response(
    content: bytes, filename: str, shown: str | None = None, saved: str | None = None
) -> HttpResponse:
    """A download saved as `saved` (in UTF-8, `filename` for old clients); or, given a name to
    show, opened in the browser's viewer."""
    response = HttpResponse(content, content_type="application/pdf")
    if shown:
        response["Content-Disposition"] = content_disposition(shown, filename, kind="inline")
    else:
        response["Content-Disposition"] = content_disposition(saved or filename, filename)
    return response


def _file_name(title: str) -> str:
    """「私の事例集.pdf」: the book's title, without what a file name may not hold."""
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", title).strip() + ".pdf"

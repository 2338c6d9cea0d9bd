import datetime
import logging

from django.contrib import messages
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from cases.models import Domain
from kernel.forms import WRITE_FAILED
from kernel.listing import licensed
from kernel.pagecache import last_page, shared_page
from kernel.ratelimit import rate_limited
from partners.models import Area, PartnerType
from seeds import matching, opendata, selectors, services
from seeds.forms import ConsultationForm, SeedForm
from seeds.models import Resource, Seed, labels_of

logger = logging.getLogger(__name__)

DRAFT_KEY = "seed_draft"
CONSULT_KEY = "seed_consultation_draft"
RECEIPT_KEY = "seed_receipt"
CONSULT_RECEIPT_KEY = "seed_consultation_receipt"


def _kept(request: HttpRequest, key: str, value, button: str) -> str:
    """Keep a draft in the session now (not after the view): "" when kept, else the message
    asking to retry, the form shown again with the input."""
    request.session[key] = value
    try:
        request.session.save()
    except DatabaseError:
        logger.exception("A seed form's draft could not be kept; the sender is asked to retry")
        request.session.modified = False
        return WRITE_FAILED.format(button)
    return ""


@require_safe
@shared_page(query=selectors.SEEDS.canonical_query)
def seed_list(request: HttpRequest) -> HttpResponse:
    result = selectors.SEEDS.search(request.GET)
    if redirect := last_page(request, result.page.number):
        return redirect
    return render(request, "seeds/list.html", {"result": result})


@require_safe
@shared_page
def seed_detail(request: HttpRequest, pk: int) -> HttpResponse:
    seed = selectors.seed_for_viewer(pk, preview=request.user.is_staff)
    public = seed.is_public
    context = {
        "seed": seed,
        "timeline": selectors.timeline(seed),
        "case": selectors.public_case(seed),
        "poster_page": selectors.poster_page(seed),
        "similar": matching.similar_cases(seed) if public else [],
        "complements": matching.complementary_seeds(seed) if public else [],
    }
    return render(request, "seeds/detail.html", context)


@require_safe
@shared_page
def poster_seeds(request: HttpRequest, name: str) -> HttpResponse:
    """A department's page: its open seeds and menus, then its earlier ones."""
    seeking, earlier = selectors.poster_seeds(name)
    if not seeking and not earlier:
        raise Http404("この担当課・団体の協働の種はありません")
    context = {"name": name, "seeking": seeking, "earlier": earlier}
    return render(request, "seeds/poster.html", context)


@rate_limited("seed")
def seed_new(request: HttpRequest) -> HttpResponse:
    """入力: the form; a valid one is kept in the session and shown for confirmation."""
    failed = ""
    if request.method == "POST":
        form = SeedForm(request.POST)
        if form.is_valid():
            failed = _kept(request, DRAFT_KEY, form.draft(), "入力内容を確認する")
            if not failed:
                return redirect("seeds:confirm")
    else:
        draft = request.session.get(DRAFT_KEY)
        initial = {**draft, "consent": True} if draft else {}
        form = SeedForm(initial=initial)
    return render(request, "seeds/new.html", {"form": form, "write_failed": failed})


def _draft_display(draft: dict) -> dict:
    """The draft's values as a reader sees them on 確認."""
    return {
        "kind": Seed.Kind(draft["kind"]).label,
        "area": Area.objects.filter(pk=draft["area"]).first(),
        "domains": list(Domain.objects.filter(pk__in=draft["domains"])),
        "partner_types": labels_of(PartnerType, draft.get("partner_types_wanted") or []),
        "wanted": labels_of(Resource, draft.get("resources_wanted") or []),
        "offered": labels_of(Resource, draft.get("resources_offered") or []),
        "deadline": datetime.date.fromisoformat(draft["deadline"]) if draft["deadline"] else None,
    }


# Not rate-limited, as the inquiry form's: each confirmation sends the one draft a counted 入力
# post left in the session, and takes it away.
def seed_confirm(request: HttpRequest) -> HttpResponse:
    """確認: what will be sent; sending stores it for the coordinator's review."""
    draft = request.session.get(DRAFT_KEY)
    if not draft:
        messages.info(request, "入力内容が見つかりませんでした。もう一度入力してください。")
        return redirect("seeds:new")
    failed = ""
    if request.method == "POST":
        form = SeedForm({**_as_post(draft), "consent": "on"})
        if not form.is_valid():  # the taxonomy changed meanwhile: back to 入力 with the errors
            return render(request, "seeds/new.html", {"form": form})
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("consent", "website_url")}
        try:
            seed = services.submit_seed(data=data)
        except DatabaseError:
            logger.exception("A seed could not be stored; the sender is asked to retry")
            failed = WRITE_FAILED.format("この内容で投稿する")
        else:
            del request.session[DRAFT_KEY]
            request.session[RECEIPT_KEY] = seed.receipt_number
            return redirect("seeds:done")
    context = {"draft": draft, **_draft_display(draft), "write_failed": failed}
    return render(request, "seeds/confirm.html", context)


def _as_post(draft: dict) -> dict:
    return {k: ("" if v is None else v) for k, v in draft.items()}


@require_safe
def seed_done(request: HttpRequest) -> HttpResponse:
    return render(request, "seeds/done.html", {"receipt": request.session.get(RECEIPT_KEY)})


def _public_seed(pk: int) -> Seed:
    return get_object_or_404(Seed.objects.public().select_related("area"), pk=pk)


@rate_limited("consultation")
def consult_new(request: HttpRequest, pk: int) -> HttpResponse:
    seed = _public_seed(pk)
    drafts = request.session.get(CONSULT_KEY) or {}
    failed = ""
    if request.method == "POST":
        form = ConsultationForm(request.POST)
        if form.is_valid():
            drafts[str(seed.pk)] = {f: form.cleaned_data[f] for f in ConsultationForm.FIELDS}
            failed = _kept(request, CONSULT_KEY, drafts, "入力内容を確認する")
            if not failed:
                return redirect("seeds:consult_confirm", pk=seed.pk)
    else:
        draft = drafts.get(str(seed.pk))
        form = ConsultationForm(initial={**draft, "consent": True} if draft else None)
    context = {"form": form, "seed": seed, "write_failed": failed}
    return render(request, "seeds/consult.html", context)


def consult_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    seed = _public_seed(pk)
    drafts = request.session.get(CONSULT_KEY) or {}
    draft = drafts.get(str(seed.pk))
    if not draft:
        messages.info(request, "入力内容が見つかりませんでした。もう一度入力してください。")
        return redirect("seeds:consult", pk=seed.pk)
    failed = ""
    if request.method == "POST":
        try:
            consultation = services.submit_consultation(seed=seed, data=draft)
        except DatabaseError:
            logger.exception("A consultation could not be stored; the sender is asked to retry")
            failed = WRITE_FAILED.format("この内容で送信する")
        else:
            del drafts[str(seed.pk)]
            request.session[CONSULT_KEY] = drafts
            request.session[CONSULT_RECEIPT_KEY] = consultation.inquiry.receipt_number
            return redirect("seeds:consult_done", pk=seed.pk)
    context = {"draft": draft, "seed": seed, "write_failed": failed}
    return render(request, "seeds/consult_confirm.html", context)


@require_safe
def consult_done(request: HttpRequest, pk: int) -> HttpResponse:
    receipt = request.session.get(CONSULT_RECEIPT_KEY)
    return render(
        request, "seeds/consult_done.html", {"seed": _public_seed(pk), "receipt": receipt}
    )


@require_safe
def seed_export_csv(request: HttpRequest) -> HttpResponse:
    """The approved seeds matching the current board search, for Excel and other tools."""
    seeds = opendata.with_export_data(selectors.SEEDS.matching(request.GET, "new"))
    response = StreamingHttpResponse(
        opendata.csv_lines(seeds.iterator(chunk_size=200)), content_type="text/csv"
    )
    response["Content-Disposition"] = 'attachment; filename="collanavi-seeds.csv"'
    return licensed(response)


@require_safe
def seed_export_json(request: HttpRequest) -> HttpResponse:
    seeds = opendata.with_export_data(selectors.SEEDS.matching(request.GET, "new"))
    document = opendata.document(seeds.iterator(chunk_size=200))
    return licensed(JsonResponse(document, json_dumps_params={"ensure_ascii": False}))

import datetime

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from cases.models import Domain
from kernel.formflow import FormFlow, Refused
from kernel.listing import licensed
from kernel.pagecache import shared_page
from partners.models import Area, PartnerType
from seeds import matching, opendata, selectors, services
from seeds.forms import ConsultationForm, SeedForm
from seeds.models import Resource, Seed, labels_of

seed_list = selectors.SEEDS.page_view("seeds/list.html")


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


def _seed_shown(draft: dict, page: dict) -> dict:
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


def _save_seed(draft: dict, page: dict) -> str:
    form = SeedForm({**_as_post(draft), "consent": "on"})
    if not form.is_valid():  # the taxonomy changed meanwhile: back to 入力 with the errors
        raise Refused(form)
    data = {k: v for k, v in form.cleaned_data.items() if k not in ("consent", "website_url")}
    return services.submit_seed(data=data).receipt_number


def _as_post(draft: dict) -> dict:
    return {k: ("" if v is None else v) for k, v in draft.items()}


seed_new, seed_confirm, seed_done = FormFlow(
    form_class=SeedForm,
    templates=("seeds/new.html", "seeds/confirm.html", "seeds/done.html"),
    urls=("seeds:new", "seeds:confirm", "seeds:done"),
    rate_limit="seed",
    session_key="seed_draft",
    receipt_key="seed_receipt",
    buttons=("入力内容を確認する", "この内容で投稿する"),
    draft=SeedForm.draft,
    save=_save_seed,
    shown=_seed_shown,
).views()


def _public_seed(pk: int) -> Seed:
    return get_object_or_404(Seed.objects.public().select_related("area"), pk=pk)


def _save_consultation(draft: dict, page: dict) -> str:
    consultation = services.submit_consultation(seed=page["seed"], data=draft)
    return consultation.inquiry.receipt_number


# One draft per seed: a sender may write about two seeds in two tabs.
consult_new, consult_confirm, consult_done = FormFlow(
    form_class=ConsultationForm,
    templates=("seeds/consult.html", "seeds/consult_confirm.html", "seeds/consult_done.html"),
    urls=("seeds:consult", "seeds:consult_confirm", "seeds:consult_done"),
    rate_limit="consultation",
    session_key="seed_consultation_draft",
    receipt_key="seed_consultation_receipt",
    buttons=("入力内容を確認する", "この内容で送信する"),
    page=lambda pk: {"seed": _public_seed(pk)},
    draft=lambda form: {f: form.cleaned_data[f] for f in ConsultationForm.FIELDS},
    save=_save_consultation,
).views()


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

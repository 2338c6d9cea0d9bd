from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from cases.models import Case
from collanavi.ratelimit import rate_limited
from inquiries import services
from inquiries.forms import FeedbackForm, InquiryForm, UpdateProposalForm
from inquiries.models import Inquiry

DRAFT_KEY = "inquiry_draft"
DRAFT_FIELDS = ["kind", "name", "organization", "email", "phone", "case_number", "message"]


@rate_limited("inquiry")
def inquiry_new(request: HttpRequest) -> HttpResponse:
    """入力: the form; a valid one is kept in the session and shown for confirmation."""
    if request.method == "POST":
        form = InquiryForm(request.POST)
        if form.is_valid():
            request.session[DRAFT_KEY] = {f: form.cleaned_data.get(f) for f in DRAFT_FIELDS}
            return redirect("inquiries:confirm")
    else:
        draft = request.session.get(DRAFT_KEY)
        initial = draft or {
            "kind": request.GET.get("kind")
            if request.GET.get("kind") in Inquiry.Kind.values
            else "",
            "case_number": request.GET.get("case", "")
            if request.GET.get("case", "").isdigit()
            else "",
        }
        form = InquiryForm(initial={**initial, "consent": bool(draft)})
    return render(request, "inquiries/new.html", {"form": form})


@rate_limited("inquiry")
def inquiry_confirm(request: HttpRequest) -> HttpResponse:
    """確認: what will be sent; sending stores it and mails staff and the sender."""
    draft = request.session.get(DRAFT_KEY)
    if not draft:
        messages.info(request, "入力内容が見つかりませんでした。もう一度入力してください。")
        return redirect("inquiries:new")
    if request.method == "POST":
        services.submit_inquiry(data=dict(draft))
        del request.session[DRAFT_KEY]
        return redirect("inquiries:done")
    kind = Inquiry.Kind(draft["kind"]).label
    case = Case.objects.published().filter(number=draft.get("case_number") or 0).first()
    return render(request, "inquiries/confirm.html", {"draft": draft, "kind": kind, "case": case})


@require_safe
def inquiry_done(request: HttpRequest) -> HttpResponse:
    return render(request, "inquiries/done.html")


@rate_limited("proposal")
def proposal_new(request: HttpRequest, number: int) -> HttpResponse:
    case = get_object_or_404(Case.objects.published(), number=number)
    if request.method == "POST":
        form = UpdateProposalForm(request.POST, request.FILES, case=case)
        if form.is_valid():
            sender = {
                f: form.cleaned_data[f]
                for f in ("name", "organization", "email", "relation", "message")
            }
            services.submit_proposal(
                case=case, sender=sender, changes=form.changes(), photos=form.cleaned_data["photos"]
            )
            return redirect("cases:update_done", number=case.number)
    else:
        form = UpdateProposalForm(case=case)
    photos_lost = request.method == "POST" and bool(request.FILES) and not form.is_valid()
    return render(
        request, "inquiries/proposal.html", {"form": form, "case": case, "photos_lost": photos_lost}
    )


@require_safe
def proposal_done(request: HttpRequest, number: int) -> HttpResponse:
    case = get_object_or_404(Case.objects.published(), number=number)
    return render(request, "inquiries/proposal_done.html", {"case": case})


@require_POST
@rate_limited("feedback")
def feedback(request: HttpRequest) -> HttpResponse:
    form = FeedbackForm(request.POST)
    back = request.POST.get("path", "/")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    if form.is_valid():
        services.record_feedback(
            data={k: v for k, v in form.cleaned_data.items() if k != "website_url"}
        )
        messages.success(request, "ご回答ありがとうございました。サイトの改善に役立てます。")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return HttpResponseRedirect(back + "#feedback")

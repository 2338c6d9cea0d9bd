import logging

from django.contrib import messages
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from cases.models import Case
from inquiries import services
from inquiries.forms import FeedbackForm, InquiryForm, UpdateProposalForm
from inquiries.models import Inquiry
from kernel.forms import WRITE_FAILED
from kernel.ratelimit import rate_limited

logger = logging.getLogger(__name__)

DRAFT_KEY = "inquiry_draft"
DRAFT_FIELDS = ["kind", "name", "organization", "email", "phone", "case_number", "message"]
RECEIPT_KEY = "inquiry_receipt"
PROPOSAL_RECEIPT_KEY = "proposal_receipt"
FEEDBACK_THANKS = "ご回答ありがとうございました。いただいたご意見は、サイトの改善に役立てます。"


@rate_limited("inquiry")
def inquiry_new(request: HttpRequest) -> HttpResponse:
    """入力: the form; a valid one is kept in the session and shown for confirmation."""
    failed = ""
    if request.method == "POST":
        form = InquiryForm(request.POST)
        if form.is_valid():
            request.session[DRAFT_KEY] = {f: form.cleaned_data.get(f) for f in DRAFT_FIELDS}
            try:
                request.session.save()  # here, not after the view: a refusal keeps the form
            except DatabaseError:
                logger.exception("An inquiry draft could not be kept; the sender is asked to retry")
                request.session.modified = False
                failed = WRITE_FAILED.format("入力内容を確認する")
            else:
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
    return render(request, "inquiries/new.html", {"form": form, "write_failed": failed})


# Not rate-limited: each confirmation sends the one draft a counted 入力 post left in the
# session, and takes it away, so a sender at the limit is never refused at the last step.
def inquiry_confirm(request: HttpRequest) -> HttpResponse:
    """確認: what will be sent; sending stores it and mails staff and the sender."""
    draft = request.session.get(DRAFT_KEY)
    if not draft:
        messages.info(request, "入力内容が見つかりませんでした。もう一度入力してください。")
        return redirect("inquiries:new")
    failed = ""
    if request.method == "POST":
        try:
            inquiry = services.submit_inquiry(data=dict(draft))
        except DatabaseError:
            logger.exception("An inquiry could not be stored; the sender is asked to retry")
            failed = WRITE_FAILED.format("この内容で送信する")
        else:
            del request.session[DRAFT_KEY]
            request.session[RECEIPT_KEY] = inquiry.receipt_number
            return redirect("inquiries:done")
    kind = Inquiry.Kind(draft["kind"]).label
    case = Case.objects.published().filter(number=draft.get("case_number") or 0).first()
    context = {"draft": draft, "kind": kind, "case": case, "write_failed": failed}
    return render(request, "inquiries/confirm.html", context)


@require_safe
def inquiry_done(request: HttpRequest) -> HttpResponse:
    return render(request, "inquiries/done.html", {"receipt": request.session.get(RECEIPT_KEY)})


@rate_limited("proposal")
def proposal_new(request: HttpRequest, number: int) -> HttpResponse:
    case = get_object_or_404(Case.objects.published(), number=number)
    failed = ""
    if request.method == "POST":
        form = UpdateProposalForm(request.POST, request.FILES, case=case)
        if form.is_valid():
            sender = {
                f: form.cleaned_data[f]
                for f in ("name", "organization", "email", "relation", "message")
            }
            try:
                proposal = services.submit_proposal(
                    case=case,
                    sender=sender,
                    changes=form.changes(),
                    photos=form.cleaned_data["photos"],
                )
            except DatabaseError:
                logger.exception("A proposal could not be stored; the sender is asked to retry")
                failed = WRITE_FAILED.format("更新を提案する")
            else:
                request.session[PROPOSAL_RECEIPT_KEY] = proposal.receipt_number
                return redirect("cases:update_done", number=case.number)
    else:
        form = UpdateProposalForm(case=case)
    photos_lost = bool(request.FILES) and (bool(failed) or not form.is_valid())
    context = {"form": form, "case": case, "photos_lost": photos_lost, "write_failed": failed}
    return render(request, "inquiries/proposal.html", context)


@require_safe
def proposal_done(request: HttpRequest, number: int) -> HttpResponse:
    case = get_object_or_404(Case.objects.published(), number=number)
    receipt = request.session.get(PROPOSAL_RECEIPT_KEY)
    return render(request, "inquiries/proposal_done.html", {"case": case, "receipt": receipt})


@require_POST
@rate_limited("feedback")
def feedback(request: HttpRequest) -> HttpResponse:
    """Thanks inside the widget of the page it came from; a refusal, or a failed write, shows
    the widget on a page of its own with the answers kept."""
    form = FeedbackForm(request.POST)
    failed = ""
    if form.is_valid():
        try:
            services.record_feedback(data=form.answers())
        except DatabaseError:
            logger.exception("Page feedback could not be stored; the sender is asked to retry")
            failed = WRITE_FAILED.format("回答を送信する")
        else:
            messages.success(request, FEEDBACK_THANKS, extra_tags="feedback")
            return HttpResponseRedirect(_back(request) + "#feedback")
    context = {"feedback_form": form, "back": _back(request), "write_failed": failed}
    return render(request, "inquiries/feedback.html", context)


def _back(request: HttpRequest) -> str:
    back = request.POST.get("path", "/")
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}
    ):
        return "/"
    return back

import logging

from django.contrib import messages
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from cases.models import Case
from inquiries import services
from inquiries.forms import FeedbackForm, InquiryForm, UpdateProposalForm
from inquiries.models import Inquiry
from kernel.formflow import FormFlow
from kernel.forms import WRITE_FAILED
from kernel.ratelimit import rate_limited

logger = logging.getLogger(__name__)

DRAFT_FIELDS = ["kind", "name", "organization", "email", "phone", "case_number", "message"]
FEEDBACK_THANKS = "ご回答ありがとうございました。いただいたご意見は、サイトの改善に役立てます。"


def _fresh_inquiry(request: HttpRequest) -> dict:
    """A link from a case page names the kind and the case."""
    kind, case = request.GET.get("kind"), request.GET.get("case", "")
    return {
        "kind": kind if kind in Inquiry.Kind.values else "",
        "case_number": case if case.isdigit() else "",
    }


def _inquiry_shown(draft: dict, page: dict) -> dict:
    case = Case.objects.published().filter(number=draft.get("case_number") or 0).first()
    return {"kind": Inquiry.Kind(draft["kind"]).label, "case": case}


inquiry_new, inquiry_confirm, inquiry_done = FormFlow(
    form_class=InquiryForm,
    templates=("inquiries/new.html", "inquiries/confirm.html", "inquiries/done.html"),
    urls=("inquiries:new", "inquiries:confirm", "inquiries:done"),
    rate_limit="inquiry",
    session_key="inquiry_draft",
    receipt_key="inquiry_receipt",
    buttons=("入力内容を確認する", "この内容で送信する"),
    draft=lambda form: {f: form.cleaned_data.get(f) for f in DRAFT_FIELDS},
    save=lambda draft, page: services.submit_inquiry(data=dict(draft)).receipt_number,
    initial=_fresh_inquiry,
    shown=_inquiry_shown,
).views()


def _proposal(form: UpdateProposalForm) -> dict:
    sender = ("name", "organization", "email", "relation", "message")
    return {
        "sender": {f: form.cleaned_data[f] for f in sender},
        "changes": form.changes(),
        "photos": form.cleaned_data["photos"],
    }


# No 確認: photos are never kept in the session, so 入力 sends at once.
proposal = FormFlow(
    form_class=UpdateProposalForm,
    templates=("inquiries/proposal.html", None, "inquiries/proposal_done.html"),
    urls=("cases:update", None, "cases:update_done"),
    rate_limit="proposal",
    receipt_key="proposal_receipt",
    buttons=("更新を提案する", ""),
    page=lambda number: {"case": get_object_or_404(Case.objects.published(), number=number)},
    form_kwargs=lambda page: {"case": page["case"]},
    draft=_proposal,
    save=lambda draft, page: services.submit_proposal(case=page["case"], **draft).receipt_number,
).views()
proposal_new, proposal_done = proposal.new, proposal.done


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

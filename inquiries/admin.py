from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path

from inquiries import services
from inquiries.models import Inquiry, PageFeedback, ProposalPhoto, UpdateProposal
from inquiries.proposals import items_for
from inquiries.review_forms import ApprovalForm, RejectionForm
from kernel.admin import StaffUserFilter, staff_name

SENT_FIELDS = [
    "receipt_number",
    "kind",
    "name",
    "organization",
    "email",
    "phone",
    "case",
    "message",
    "created_at",
]


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    """Personal data: only staff given the inquiry permissions see it."""

    list_display = [
        "receipt_number",
        "created_at",
        "kind",
        "name",
        "organization",
        "status",
        "assignee_name",
    ]
    list_filter = ["status", "kind", ("assignee", StaffUserFilter)]
    search_fields = ["receipt_number", "name", "organization", "email", "message"]
    date_hierarchy = "created_at"
    readonly_fields = SENT_FIELDS
    fieldsets = [
        ("送られた内容", {"fields": SENT_FIELDS}),
        ("対応", {"fields": ["status", "assignee", "notes"]}),
    ]
    list_select_related = ["assignee"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # inquiries come from the public form only

    @admin.display(description="担当者", ordering="assignee__last_name")
    def assignee_name(self, inquiry: Inquiry) -> str:
        return staff_name(inquiry.assignee)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """担当者: only staff who may open inquiries."""
        if db_field.name == "assignee":
            handles = Q(groups__permissions__codename="change_inquiry") | Q(
                user_permissions__codename="change_inquiry"
            )
            kwargs["queryset"] = (
                User.objects.filter(is_active=True, is_staff=True)
                .filter(handles | Q(is_superuser=True))
                .distinct()
                .order_by("last_name", "first_name", "username")
            )
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = staff_name
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(UpdateProposal)
class UpdateProposalAdmin(admin.ModelAdmin):
    """The review queue: a proposal's page shows the diff and the curator's decision forms."""

    # Six columns fit 1280 px (事例との関係 is a filter); widths in the change list template.
    list_display = [
        "receipt_number",
        "created_at",
        "case",
        "organization",
        "status",
        "reviewer_name",
    ]
    list_display_links = ["receipt_number", "created_at", "case"]
    change_list_template = "admin/inquiries/updateproposal/change_list.html"
    list_filter = ["status", "relation"]
    search_fields = ["receipt_number", "organization", "name", "case__title", "case__number"]
    list_select_related = ["case", "reviewer"]
    review_template = "admin/inquiries/updateproposal/review.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="審査した職員", ordering="reviewer__last_name")
    def reviewer_name(self, proposal: UpdateProposal) -> str:
        return staff_name(proposal.reviewer)

    def can_decide(self, request: HttpRequest, proposal: UpdateProposal) -> bool:
        return (
            proposal.status == UpdateProposal.Status.PENDING
            and request.user.has_perm("inquiries.change_updateproposal")
            and request.user.has_perm("cases.change_case")
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/photos/<int:photo_pk>/",
                self.admin_site.admin_view(self.photo_view),
                name="inquiries_updateproposal_photo",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The review page: 承認して反映する and 却下する are two forms of their own."""
        proposal = get_object_or_404(
            UpdateProposal.objects.select_related("case__lead_organization", "reviewer"),
            pk=object_id,
        )
        if not self.has_view_permission(request, proposal):
            raise PermissionDenied
        can_decide = self.can_decide(request, proposal)
        approval = ApprovalForm(
            request.POST if "_approve" in request.POST else None, proposal=proposal
        )
        rejection = RejectionForm(request.POST if "_reject" in request.POST else None)
        if request.method == "POST":
            if not can_decide:
                messages.error(request, "この提案を審査する権限がないか、すでに審査済みです。")
                return HttpResponseRedirect(request.path)
            if approval.is_bound and approval.is_valid():
                try:
                    services.approve_proposal(
                        proposal=proposal,
                        reviewer=request.user,
                        take=approval.take(),
                        photos=approval.chosen_photos(),
                    )
                except ValidationError as error:
                    approval.add_error(None, error)
                else:
                    messages.success(request, approved_message(proposal))
                    return HttpResponseRedirect(request.path)
            if rejection.is_bound and rejection.is_valid():
                services.reject_proposal(
                    proposal=proposal,
                    reviewer=request.user,
                    reason=rejection.cleaned_data["reason"],
                )
                messages.success(
                    request, "提案を却下しました。理由を提案者にメールで知らせました。"
                )
                return HttpResponseRedirect(request.path)
        proposal.refresh_from_db()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": str(proposal),
            "proposal": proposal,
            "changed_since": proposal.changed_since(),
            "can_decide": can_decide,
            "approval": approval,
            "rejection": rejection,
            "taken": taken_rows(proposal),
        }
        return TemplateResponse(request, self.review_template, context)

    def photo_view(self, request: HttpRequest, pk: int, photo_pk: int) -> FileResponse:
        """A proposal's photo, for staff who may see the proposal: never public media."""
        photo = get_object_or_404(ProposalPhoto, pk=photo_pk, proposal_id=pk)
        if not self.has_view_permission(request, photo.proposal):
            raise PermissionDenied
        try:
            response = FileResponse(photo.image.open("rb"))
        except FileNotFoundError as error:
            raise Http404("写真のファイルが見つかりません。") from error
        response["Cache-Control"] = "private, no-store"
        return response


def approved_message(proposal: UpdateProposal) -> str:
    proposal.refresh_from_db()
    return (
        f"提案を承認し、事例No.{proposal.case.number}に反映しました"
        f"（{len(proposal.taken)}項目、写真{proposal.photos.filter(taken=True).count()}枚）。"
        "提案者に、反映した内容をメールで知らせました。"
    )


def taken_rows(proposal: UpdateProposal) -> list[tuple[str, bool]]:
    """For a decided proposal: each proposed item's label and whether it was taken."""
    items = items_for(proposal.case)
    return [
        (items[key].label if key in items else key, key in proposal.taken)
        for key in proposal.proposed
    ]


@admin.register(PageFeedback)
class PageFeedbackAdmin(admin.ModelAdmin):
    list_display = ["created_at", "path", "useful", "findable", "comment"]
    list_filter = ["useful", "findable"]
    search_fields = ["path", "comment"]
    change_list_template = "admin/inquiries/pagefeedback/change_list.html"
    readonly_fields = ["path", "useful", "findable", "comment", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        summary = (
            PageFeedback.objects.values("path")
            .annotate(
                total=Count("pk"),
                useful_yes=Count("pk", filter=Q(useful=True)),
                useful_no=Count("pk", filter=Q(useful=False)),
                findable_yes=Count("pk", filter=Q(findable=True)),
                findable_no=Count("pk", filter=Q(findable=False)),
                comments=Count("pk", filter=~Q(comment="")),
            )
            .order_by("-total", "path")[:50]
        )
        return super().changelist_view(request, {**(extra_context or {}), "summary": summary})

import difflib

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from cases.models import Case
from inquiries import services
from inquiries.models import Inquiry, PageFeedback, ProposalPhoto, UpdateProposal

SENT_FIELDS = ["kind", "name", "organization", "email", "phone", "case", "message", "created_at"]


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    """Personal data: only staff given the inquiry permissions see it."""

    list_display = ["created_at", "kind", "name", "organization", "status", "assignee"]
    list_filter = ["status", "kind", "assignee"]
    search_fields = ["name", "organization", "email", "message"]
    date_hierarchy = "created_at"
    readonly_fields = SENT_FIELDS
    fieldsets = [
        ("送られた内容", {"fields": SENT_FIELDS}),
        ("対応", {"fields": ["status", "assignee", "notes"]}),
    ]
    list_select_related = ["assignee"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # inquiries come from the public form only


class ProposalPhotoInline(admin.TabularInline):
    model = ProposalPhoto
    extra = 0
    can_delete = False
    fields = ["preview", "alt_text", "caption"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="写真")
    def preview(self, photo: ProposalPhoto) -> str:
        return format_html('<img src="{}" alt="" style="max-height:120px">', photo.image.url)


def diff_html(old: str, new: str) -> str:
    """Word-level changes, escaped: what was removed struck through, what was added marked."""
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    parts = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(format_html("{}", old[a1:a2]))
        if op in ("delete", "replace"):
            parts.append(format_html('<del style="background:#fdd">{}</del>', old[a1:a2]))
        if op in ("insert", "replace"):
            parts.append(format_html('<ins style="background:#dfd">{}</ins>', new[b1:b2]))
    return format_html_join("", "{}", ((p,) for p in parts))


@admin.register(UpdateProposal)
class UpdateProposalAdmin(admin.ModelAdmin):
    list_display = ["created_at", "case", "organization", "relation", "status", "reviewer"]
    list_filter = ["status", "relation"]
    search_fields = ["organization", "name", "case__title", "case__number"]
    list_select_related = ["case", "reviewer"]
    inlines = [ProposalPhotoInline]
    change_form_template = "admin/inquiries/updateproposal/change_form.html"
    fieldsets = [
        (
            "提案",
            {
                "fields": [
                    "case_link",
                    "name",
                    "organization",
                    "email",
                    "relation",
                    "message",
                    "created_at",
                ]
            },
        ),
        ("変更内容（現在の掲載内容との比較）", {"fields": ["changes_table"]}),
        ("審査", {"fields": ["status", "reviewer", "reviewed_at", "rejection_reason"]}),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        """Everything: the proposal is what was sent; decisions go through approve/reject."""
        return [field for _, options in self.fieldsets for field in options["fields"]]

    @admin.display(description="事例")
    def case_link(self, proposal: UpdateProposal) -> str:
        url = reverse("admin:cases_case_change", args=[proposal.case_id])
        return format_html('<a href="{}">{}</a>', url, proposal.case)

    @admin.display(description="項目ごとの差分")
    def changes_table(self, proposal: UpdateProposal) -> str:
        if not proposal.proposed:
            return "文章の変更はありません（写真のみ）。"
        rows = []
        for field, new in proposal.proposed.items():
            label = Case._meta.get_field(field).verbose_name
            current = getattr(proposal.case, field)
            rows.append((label, diff_html(current, new)))
        return format_html(
            "<table><thead><tr><th>項目</th><th>現在の掲載内容からの変更</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            format_html_join(
                "",
                '<tr><th style="white-space:nowrap">{}</th>'
                '<td style="white-space:pre-wrap">{}</td></tr>',
                rows,
            ),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/approve/",
                self.admin_site.admin_view(self.approve),
                name="inquiries_updateproposal_approve",
            ),
            path(
                "<int:pk>/reject/",
                self.admin_site.admin_view(self.reject),
                name="inquiries_updateproposal_reject",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        proposal = get_object_or_404(UpdateProposal.objects.select_related("case"), pk=object_id)
        changed = [str(Case._meta.get_field(f).verbose_name) for f in proposal.changed_since()]
        extra = {
            "proposal": proposal,
            "changed_since": changed,
            "can_decide": proposal.status == UpdateProposal.Status.PENDING
            and self.has_change_permission(request, proposal)
            and request.user.has_perm("cases.change_case"),
        }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def _decide(self, request: HttpRequest, pk: int, action) -> HttpResponseRedirect:
        proposal = get_object_or_404(UpdateProposal, pk=pk)
        url = reverse("admin:inquiries_updateproposal_change", args=[pk])
        if request.method != "POST" or not (
            self.has_change_permission(request, proposal)
            and request.user.has_perm("cases.change_case")
        ):
            messages.error(request, "この操作を行う権限がありません。")
            return HttpResponseRedirect(url)
        try:
            text = action(proposal)
        except ValueError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, text)
        return HttpResponseRedirect(url)

    def approve(self, request: HttpRequest, pk: int):
        def run(proposal):
            case = services.approve_proposal(proposal=proposal, reviewer=request.user)
            return (
                f"提案を承認し、事例No.{case.number}に反映しました。提案者にメールで知らせました。"
            )

        return self._decide(request, pk, run)

    def reject(self, request: HttpRequest, pk: int):
        def run(proposal):
            services.reject_proposal(
                proposal=proposal, reviewer=request.user, reason=request.POST.get("reason", "")
            )
            return "提案を却下しました。理由を提案者にメールで知らせました。"

        return self._decide(request, pk, run)


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

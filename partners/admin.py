from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from kernel.admin import is_revert
from kernel.spreadsheets import FORMATS, SpreadsheetAdminMixin
from partners import services
from partners.models import Area, Organization, OrganizationRecord
from partners.resources import OrganizationResource


class OrganizationRecordInline(admin.TabularInline):
    model = OrganizationRecord
    extra = 0


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=Organization.objects.none(),
        widget=forms.RadioSelect,
        label="残す団体",
        error_messages={"required": "残す団体を選んでください。"},
    )


@admin.register(Organization)
class OrganizationAdmin(SpreadsheetAdminMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [OrganizationResource]
    formats = FORMATS
    export_name = "団体"
    list_display = ["name", "kana", "kind", "area", "listed", "updated_at"]
    list_filter = ["kind", "is_public", ("area", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["area"]
    search_fields = ["name", "kana"]
    autocomplete_fields = ["area"]
    inlines = [OrganizationRecordInline]
    readonly_fields = ["cases_list"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["merge"]
    fieldsets = [
        (None, {"fields": ["name", "kana", "kind", "area", "corporate_number", "is_public"]}),
        ("連絡先", {"fields": ["address", "website", "contact"]}),
        ("団体の概要", {"fields": ["founded_year", "members", "mission", "activities"]}),
        ("関わる事例", {"fields": ["cases_list"]}),
    ]

    @admin.display(description="事例")
    def cases_list(self, organization: Organization) -> str:
        if not organization.pk:
            return "—"
        rows = [(c, "運営団体") for c in organization.lead_cases.all()]
        rows += [
            (p.case, "協働パートナー") for p in organization.partnerships.select_related("case")
        ]
        if not rows:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a>（{}・{}）</li>',
                (
                    (
                        reverse("admin:cases_case_change", args=[c.pk]),
                        str(c),
                        role,
                        c.get_status_display(),
                    )
                    for c, role in rows
                ),
            ),
        )

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("partners.publish_organization")

    def get_readonly_fields(self, request: HttpRequest, obj: Organization | None = None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            readonly.append("listed")  # listing an organization publishes it
        return readonly

    def get_fieldsets(self, request: HttpRequest, obj: Organization | None = None):
        """Without the right, 一覧に掲載する is shown in words in its place, not as a field."""
        if self.has_publish_permission(request):
            return self.fieldsets
        return [
            (
                name,
                {
                    **options,
                    "fields": ["listed" if f == "is_public" else f for f in options["fields"]],
                },
            )
            for name, options in self.fieldsets
        ]

    @admin.display(description="一覧に掲載する", ordering="is_public")
    def listed(self, organization: Organization) -> str:
        return "掲載する" if organization.is_public else "掲載しない"

    def save_model(self, request, obj: Organization, form, change: bool) -> None:
        """Without the publish right, 一覧に掲載する stays as it is, a revert from 履歴 included."""
        if not self.has_publish_permission(request):
            current = Organization.objects.filter(pk=obj.pk).values("is_public").first()
            obj.is_public = current["is_public"] if change and current else False
        if is_revert(request):
            obj._change_reason = "変更履歴から以前の版に戻しました"
        super().save_model(request, obj, form, change)

    def import_rights_note(self, request: HttpRequest) -> str:
        if self.has_publish_permission(request):
            return ""
        return (
            "一覧に掲載する権限がないため、インポートでは「一覧に掲載する」を変更しません。"
            "新しい団体は一覧に掲載しない状態で登録されます。"
        )

    # Merging deletes the duplicates, so it needs the delete right (管理者 only).
    @admin.action(description="選択した団体を1つに統合する（重複の解消）", permissions=["delete"])
    def merge(self, request: HttpRequest, queryset: QuerySet):
        if queryset.count() < 2:
            self.message_user(
                request, "統合するには2つ以上の団体を選んでください。", messages.WARNING
            )
            return None
        form = MergeForm(request.POST if "confirm" in request.POST else None)
        form.fields["keep"].queryset = queryset
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            moved = services.merge_organizations(
                keep=keep, duplicates=list(queryset.exclude(pk=keep.pk)), user=request.user
            )
            self.message_user(
                request,
                f"「{keep.name}」に統合しました（事例との関係 {moved}件を移動）。",
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/partners/organization/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": "団体の統合",
                "opts": self.model._meta,
                "form": form,
                "organizations": queryset.select_related("area"),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    search_fields = ["name"]

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from kernel.admin import is_revert
from kernel.spreadsheets import FORMATS, SpreadsheetAdminMixin
from partners.models import Area, Organization, OrganizationRecord
from partners.resources import OrganizationResource


class OrganizationRecordInline(admin.TabularInline):
    model = OrganizationRecord
    extra = 0


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
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["name", "kana", "kind", "area", "corporate_number", "is_public"]}),
        ("連絡先", {"fields": ["address", "website", "contact"]}),
        ("団体の概要", {"fields": ["founded_year", "members", "mission", "activities"]}),
    ]

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
            if not change:  # not on the directory, whatever case links it, until a 管理者 saves it
                obj.listing_checked = False
        else:
            obj.listing_checked = True
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


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    search_fields = ["name"]

from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from partners.models import Area, Organization, OrganizationRecord


class OrganizationRecordInline(admin.TabularInline):
    model = OrganizationRecord
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kana", "kind", "area", "updated_at"]
    list_filter = ["kind", ("area", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["area"]
    search_fields = ["name", "kana"]
    autocomplete_fields = ["area"]
    inlines = [OrganizationRecordInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = ["cases_list"]
    fieldsets = [
        (None, {"fields": ["name", "kana", "kind", "area", "corporate_number"]}),
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

    def save_related(self, request, form, formsets, change):
        from cases.services import refresh_search_text_of_organization

        super().save_related(request, form, formsets, change)
        if change and {"name", "kana"} & set(form.changed_data):
            refresh_search_text_of_organization(form.instance)


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    search_fields = ["name"]

"""The organizations' admin with what reaches into their cases: the cases they are in, and
merging duplicates (it moves the cases' links)."""

from django.contrib import admin, messages
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from cases.models import Case, CasePartner
from directory import selectors, services
from directory.forms import MergeForm
from kernel import review
from kernel.review import ReviewedChangeAdmin, WaitingFilter
from partners import admin as partners_admin
from partners.models import Organization

admin.site.unregister(Organization)


class ListedFilter(admin.SimpleListFilter):
    """The three states the 一覧に掲載する column shows."""

    title = "一覧への掲載"
    parameter_name = "listed"

    def lookups(self, request, model_admin):
        return [("yes", "掲載する"), ("cases", "事例から掲載"), ("no", "掲載しない")]

    def queryset(self, request, queryset):
        return {
            "yes": queryset.filter(is_public=True),
            "cases": queryset.filter(is_public=False, on_directory=True),
            "no": queryset.filter(on_directory=False),
        }.get(self.value(), queryset)


class RecordsAsTheyStand(partners_admin.OrganizationRecordInline):
    """活動実績 of an organization the public sees, for a clerk whose change would wait for
    review: shown, changed by a 管理者."""

    verbose_name_plural = "活動実績（公開中の団体の実績は管理者が変更します）"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Organization)
class OrganizationAdmin(ReviewedChangeAdmin, partners_admin.OrganizationAdmin):
    readonly_fields = ["cases_list"]
    list_display = [*partners_admin.OrganizationAdmin.list_display[:-1], "waiting", "updated_at"]
    list_filter = [
        *(
            ListedFilter if f == "is_public" else f
            for f in partners_admin.OrganizationAdmin.list_filter
        ),
        WaitingFilter,
    ]
    publish_permission = "partners.publish_organization"
    held_fields = [
        "name", "kana", "kind", "area", "corporate_number", "address", "website", "contact",
        "founded_year", "members", "mission", "activities",
    ]  # fmt: skip
    actions = ["merge"]
    fieldsets = [
        *partners_admin.OrganizationAdmin.fieldsets,
        ("関わる事例", {"fields": ["cases_list"]}),
    ]

    def is_public(self, organization: Organization) -> bool:
        """On the directory, or named on a published case's page or an approved seed's (as
        stored: an editor cannot list it)."""
        published = Case.Status.PUBLISHED
        stored = Organization.objects.filter(pk=organization.pk)
        return (
            stored.filter(is_public=True).exists()
            or Case.objects.filter(status=published, lead_organization=organization.pk).exists()
            or CasePartner.objects.filter(
                case__status=published, organization=organization.pk
            ).exists()
            or review.mentioned(organization)  # higher apps' pages (an approved seed's)
        )

    def get_inlines(self, request: HttpRequest, obj: Organization | None):
        if obj is not None and not self.has_publish_permission(request) and self.is_public(obj):
            return [RecordsAsTheyStand]
        return super().get_inlines(request, obj)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        """Whether the public directory lists it, by the directory's own rule."""
        on_directory = Exists(selectors.listed().filter(pk=OuterRef("pk")))
        return super().get_queryset(request).annotate(on_directory=on_directory)

    @admin.display(description="一覧に掲載する", ordering="is_public")
    def listed(self, organization: Organization) -> str:
        if organization.is_public:
            return "掲載する"
        if getattr(organization, "on_directory", False):
            return "事例から掲載"  # a published case names it: the directory lists it anyway
        return "掲載しない"

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

    # Merging deletes the duplicates, so it needs the delete right (管理者 only).
    @admin.action(description="選択した団体を1つに統合する（重複の解消）", permissions=["delete"])
    def merge(self, request: HttpRequest, queryset: QuerySet):
        if queryset.count() < 2:
            self.message_user(
                request, "統合するには2つ以上の団体を選んでください。", messages.WARNING
            )
            return None
        organizations = list(
            queryset.select_related("area")
            .annotate(
                led_count=Count("lead_cases", distinct=True),
                partnership_count=Count("partnerships", distinct=True),
                record_count=Count("records", distinct=True),
                seed_count=Count("seeds", distinct=True),
            )
            .order_by("pk")  # the first registered is kept unless the clerk says otherwise
        )
        form = MergeForm(
            request.POST if "confirm" in request.POST else None, organizations=organizations
        )
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            try:
                moved = services.merge_organizations(
                    keep=keep,
                    duplicates=[o for o in organizations if o.pk != keep.pk],
                    user=request.user,
                    sources=form.sources(),
                    roles=form.roles(),
                )
            except ValueError as error:  # changed under us since the page was shown
                self.message_user(request, str(error), messages.ERROR)
                return None
            keep.refresh_from_db()
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
                "organizations": organizations,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

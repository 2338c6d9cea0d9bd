from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django_tasks_db.models import DBTaskResult
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from cases import services
from cases.models import Award, Case, CasePartner, Domain, Method, Photo, ScheduleItem
from cases.resources import CaseResource
from kernel.admin import is_revert
from kernel.spreadsheets import FORMATS, SpreadsheetAdminMixin
from lib.text import keyword_terms
from partners.models import PartnerType

# The PDF worker's queue is plumbing, not content: staff have nothing to do there.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


def _without(items: list, labels: set[str]) -> list:
    """Django's nested list of objects to delete, less the lines of these models."""
    kept = []
    for item in items:
        if isinstance(item, list):
            kept.append(_without(item, labels))
        elif not any(str(item).startswith(f"{label}:") for label in labels):
            kept.append(item)
    return kept


class PartnerTypeFilter(admin.SimpleListFilter):
    title = "協働パートナーの種別"
    parameter_name = "partner_type"

    def lookups(self, request, model_admin):
        return PartnerType.choices

    def queryset(self, request, queryset):
        if self.value() in PartnerType.values:
            return queryset.with_partner_types([self.value()])
        return queryset


class AwardedFilter(admin.SimpleListFilter):
    title = "表彰"
    parameter_name = "awarded"

    def lookups(self, request, model_admin):
        return [("yes", "表彰あり"), ("no", "表彰なし")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.with_awards()
        if self.value() == "no":
            return queryset.exclude(pk__in=queryset.with_awards().values("pk"))
        return queryset


class StaleFilter(admin.SimpleListFilter):
    title = "情報確認"
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        return [("yes", "要確認（古い）"), ("no", "確認済み")]

    def queryset(self, request, queryset):
        stale = queryset.stale()
        if self.value() == "yes":
            return stale
        if self.value() == "no":
            return queryset.exclude(pk__in=stale.values("pk"))
        return queryset


class CasePartnerInline(admin.TabularInline):
    model = CasePartner
    extra = 0
    autocomplete_fields = ["organization"]
    fields = ["organization", "role", "order"]


class ScheduleItemInline(admin.TabularInline):
    model = ScheduleItem
    extra = 0
    fields = ["period", "activity", "order"]


class AwardInline(admin.TabularInline):
    model = Award
    extra = 0
    fields = ["name", "category", "year", "awarding_body"]


class PhotoInline(admin.StackedInline):
    model = Photo
    extra = 0
    fields = ["preview", "image", "alt_text", "caption", "credit", "order"]
    readonly_fields = ["preview"]

    @admin.display(description="プレビュー")
    def preview(self, photo: Photo) -> str:
        if not photo.image:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" style="max-height:120px;width:auto">',
            photo.image.url,
            photo.alt_text,
        )


@admin.register(Case)
class CaseAdmin(SpreadsheetAdminMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [CaseResource]
    formats = FORMATS
    export_name = "事例"
    list_display = [
        "number",
        "title",
        "status",
        "area",
        "published_on",
        "verified_on",
        "stale_flag",
    ]
    list_display_links = ["number", "title"]
    list_filter = [
        "status",
        StaleFilter,
        "featured",
        AwardedFilter,
        "domains",
        "methods",
        PartnerTypeFilter,
        ("area", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["area", "lead_organization"]
    search_fields = ["title"]
    search_help_text = "事例No.、事例名、本文、団体名で検索（全角・半角は区別しません）"
    autocomplete_fields = ["lead_organization", "area"]
    filter_horizontal = ["domains", "methods"]
    date_hierarchy = "published_on"
    inlines = [CasePartnerInline, ScheduleItemInline, AwardInline, PhotoInline]
    actions = ["publish", "archive", "mark_verified"]
    history_list_display = ["status"]
    save_on_top = True
    fieldsets = [
        (
            "基本情報",
            {
                "fields": [
                    ("number", "status", "featured"),
                    "title",
                    ("area", "start_year", "end_year"),
                    ("published_on", "verified_on"),
                    "origin_seeds",
                ]
            },
        ),
        ("1・3 活動分野と事業の手法", {"fields": ["domains", "methods"]}),
        ("4 事業費", {"fields": ["budget", "budget_note"]}),
        ("5 事業概要", {"fields": ["summary"]}),
        ("6 協働までの経緯", {"fields": ["background"]}),
        (
            "7 主な事業内容",
            {
                "fields": ["activities"],
                "description": "年間スケジュールはページ下部の表で入力します。",
            },
        ),
        (
            "8 役割分担（運営団体）",
            {
                "fields": ["lead_organization", "lead_role"],
                "description": (
                    "協働パートナーの種別（2）は、下部の協働パートナーの団体種別から"
                    "自動で決まります。運営団体のマネジメントと活動実績（12）は"
                    "団体の情報から表示されます。"
                ),
            },
        ),
        ("9 協働事業によって生まれた成果", {"fields": ["outcomes"]}),
        ("10 コラボのコツ", {"fields": ["tips"]}),
        ("11 今後力を入れていきたいこと", {"fields": ["future_plans"]}),
    ]

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("cases.publish_case")

    def has_delete_permission(self, request: HttpRequest, obj: Case | None = None) -> bool:
        """A published case is archived, never deleted."""
        if obj is not None and obj.status == Case.Status.PUBLISHED:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # it would delete published cases too
        return actions

    def _readonly(self, request: HttpRequest, obj: Case | None = None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            readonly += ["status", "published_on"]  # editors prepare; 管理者 publish
        return readonly

    def get_readonly_fields(self, request: HttpRequest, obj: Case | None = None):
        return [*self._readonly(request, obj), "origin_seeds"]

    @admin.display(description="元になった協働の種")
    def origin_seeds(self, case: Case) -> str:
        """The seeds 「事例にする」 made it from (case.seeds, the seeds app's link)."""
        if case.pk is None:
            return "—"
        links = [
            format_html('<a href="{}">{}</a>', reverse("admin:seeds_seed_change", args=[pk]), title)
            for pk, title in case.seeds.values_list("pk", "title")
        ]
        return format_html_join("、", "{}", ((link,) for link in links)) if links else "—"

    @admin.display(description="要確認")
    def stale_flag(self, case: Case) -> str:
        """In words: a green tick on a stale case read as "all is well"."""
        return "要確認" if case.is_stale else "—"

    def get_search_results(self, request, queryset, search_term):
        terms = keyword_terms(search_term)
        if not terms:
            return queryset, False
        if len(terms) == 1 and terms[0][0].isdigit():
            return queryset.filter(number=int(terms[0][0])), False
        return queryset.matching(terms), False

    def save_model(self, request, obj: Case, form, change: bool) -> None:
        """Without the publish right, 公開状態 and 公開日 stay as they are, on every path.

        A revert from 履歴 saves the old version whole; the form alone would not stop it.
        """
        if not self.has_publish_permission(request):
            current = Case.objects.filter(pk=obj.pk).values("status", "published_on").first()
            if change and current:
                if is_revert(request) and obj.status != current["status"]:
                    kept = Case.Status(current["status"]).label
                    messages.info(
                        request,
                        f"公開状態は「{kept}」のままにしました（公開・アーカイブは管理者が行います）。",
                    )
                obj.status, obj.published_on = current["status"], current["published_on"]
            else:
                obj.status, obj.published_on = Case.Status.DRAFT, None
        if is_revert(request):
            obj._change_reason = "変更履歴から以前の版に戻しました"
        super().save_model(request, obj, form, change)

    def delete_view(self, request, object_id, extra_context=None):
        """A published case says why it cannot be deleted, instead of a bare refusal."""
        case = Case.objects.filter(pk=object_id).first()
        if case and case.status == Case.Status.PUBLISHED:
            messages.error(
                request, "公開中の事例は削除できません。先にアーカイブ（非公開）にしてください。"
            )
            return HttpResponseRedirect(reverse("admin:cases_case_change", args=[case.pk]))
        return super().delete_view(request, object_id, extra_context)

    def get_deleted_objects(self, objs, request):
        """The confirmation lists what a clerk knows, not the 活動分野/手法 link rows."""
        to_delete, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        links = {
            str(capfirst(m._meta.verbose_name_plural))
            for m in (Case.domains.through, Case.methods.through)
        }
        return (
            _without(to_delete, links),
            {k: v for k, v in counts.items() if str(k) not in links},
            perms_needed,
            protected,
        )

    def import_rights_note(self, request: HttpRequest) -> str:
        if self.has_publish_permission(request):
            return ""
        return (
            "公開の権限がないため、インポートでは公開状態と公開日を変更しません。"
            "既存の事例は今の公開状態のまま、新しい事例は下書きとして登録されます。"
        )

    @admin.action(description="選択した事例を公開する", permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = services.publish_cases(queryset)
        self.message_user(request, f"{count}件の事例を公開しました。", messages.SUCCESS)

    @admin.action(description="選択した事例をアーカイブする（非公開）", permissions=["publish"])
    def archive(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = services.archive_cases(queryset)
        self.message_user(request, f"{count}件の事例をアーカイブしました。", messages.SUCCESS)

    @admin.action(description="選択した事例を本日確認済みにする", permissions=["change"])
    def mark_verified(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = services.mark_verified_today(queryset)
        self.message_user(request, f"{count}件の情報確認日を本日にしました。", messages.SUCCESS)


@admin.register(Domain, Method)
class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    search_fields = ["name"]

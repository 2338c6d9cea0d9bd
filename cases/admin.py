from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django_tasks_db.models import DBTaskResult
from import_export.admin import ImportExportModelAdmin

from cases import revisions, services
from cases.models import Award, Case, CasePartner, Domain, Method, Photo, Revision, ScheduleItem
from cases.resources import CaseResource
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


class PartnerFormSet(forms.BaseInlineFormSet):
    """A case being published needs at least one partner (services.publish_problems)."""

    def clean(self):
        super().clean()
        if self.instance.status != Case.Status.PUBLISHED:
            return
        had = any(form.instance.pk for form in self.initial_forms)
        if _was_published(self.instance) and not had:
            return  # published before partners were required: only publishing checks
        kept = [
            f
            for f in self.forms
            if f.cleaned_data.get("organization") and not f.cleaned_data.get("DELETE")
        ]
        if not kept:
            raise forms.ValidationError("公開する事例には協働パートナーが1団体以上必要です。")


def _was_published(case: Case) -> bool:
    return case.pk is not None and (
        Case.objects.filter(pk=case.pk, status=Case.Status.PUBLISHED).exists()
    )


class CaseAdminForm(forms.ModelForm):
    """Publishing from the form checks what the list action checks (services.publish_problems):
    手法 and 情報確認日 here, partners in their formset."""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") != Case.Status.PUBLISHED:
            return cleaned
        publishing = not _was_published(self.instance)
        for name, message in (
            ("methods", "公開する事例には事業の手法を1つ以上選んでください。"),
            ("verified_on", "公開する事例には情報確認日を入れてください。"),
        ):
            value = cleaned.get(name)
            empty = value is None or (hasattr(value, "exists") and not value.exists())
            emptied = name in self.changed_data and self.initial.get(name)
            if empty and (publishing or emptied) and name not in self.errors:
                self.add_error(name, message)
        return cleaned


class CasePartnerInline(admin.TabularInline):
    model = CasePartner
    formset = PartnerFormSet
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
class CaseAdmin(SpreadsheetAdminMixin, ImportExportModelAdmin):
    form = CaseAdminForm
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
            # editors prepare; 管理者 publish, and choose what the top page features
            readonly += ["status", "published_on", "featured"]
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
        """Without the publish right, 公開状態 and 公開日 stay as they are, on every path."""
        if not self.has_publish_permission(request):
            current = Case.objects.filter(pk=obj.pk).values("status", "published_on").first()
            if change and current:
                obj.status, obj.published_on = current["status"], current["published_on"]
            else:
                obj.status, obj.published_on = Case.Status.DRAFT, None
        super().save_model(request, obj, form, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A 事例編集者's save of a published case is held for review: it is made as usual,
        read back whole, undone, and kept as a pending revision; the public page keeps the
        approved one until a 管理者 approves it."""
        if request.method == "POST" and object_id and self._held_for_review(request, object_id):
            return self._save_for_review(request, object_id, form_url, extra_context)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def _held_for_review(self, request: HttpRequest, object_id) -> bool:
        published = Case.objects.filter(pk=object_id, status=Case.Status.PUBLISHED).exists()
        return published and not self.has_publish_permission(request)

    def _save_for_review(self, request, object_id, form_url, extra_context):
        class Undo(Exception):
            pass

        try:
            with transaction.atomic():
                response = super().changeform_view(request, object_id, form_url, extra_context)
                if response.status_code != 302:  # the form's errors: nothing was saved
                    return response
                case = Case.objects.select_related("area", "lead_organization").get(pk=object_id)
                data = revisions.snapshot(case)
                raise Undo
        except Undo:
            pass
        list(messages.get_messages(request))  # "changed": it was not, yet
        case = Case.objects.select_related("area", "lead_organization").get(pk=object_id)
        if data == revisions.snapshot(case):
            messages.info(request, "変更はありませんでした。")
        else:
            base = revisions.latest_approved(case) or revisions.record(case)
            revision = revisions.record(
                case, status=Revision.Status.PENDING, user=request.user, data=data, base=base,
                text=f"職員：{revisions.staff_name(request.user)}",
            )  # fmt: skip
            messages.success(
                request,
                f"変更を承認待ち（版{revision.pk}）として保存しました。公開中のページは、"
                "管理者が承認するまで今のままです。",
            )
        return HttpResponseRedirect(reverse("admin:cases_case_change", args=[object_id]))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:case_id>/revisions/", view(self.revisions_view), name="cases_case_revisions"
            ),
            path(
                "<int:case_id>/revisions/<int:revision_id>/revert/",
                view(self.revert_view),
                name="cases_case_revert",
            ),
            *super().get_urls(),
        ]

    def revisions_view(self, request: HttpRequest, case_id: int):
        """版の履歴: every version of the whole case, each with what it changed."""
        case = get_object_or_404(
            Case.objects.select_related("area", "lead_organization"), pk=case_id
        )
        if not self.has_view_or_change_permission(request, case):
            raise PermissionDenied
        shown, previous = [], None
        for revision in reversed(list(case.revisions.select_related("author", "reviewed_by"))):
            if revision.status == Revision.Status.APPROVED:
                changes = revisions.difference(previous, revision.data) if previous else None
                previous = revision.data
            else:
                base = revision.base.data if revision.base else previous
                changes = revisions.difference(base, revision.data) if base else None
            shown.append((revision, changes))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": case,
            "title": f"版の履歴：事例No.{case.number} {case.title}",
            "entries": list(reversed(shown)),
            "can_revert": self.has_change_permission(request, case),
            "latest": revisions.latest_approved(case),
        }
        return TemplateResponse(request, "admin/cases/case/revisions.html", context)

    def history_view(self, request, object_id, extra_context=None):
        """「履歴」 is the history of the whole case (its revisions)."""
        return HttpResponseRedirect(reverse("admin:cases_case_revisions", args=[object_id]))

    def revert_view(self, request: HttpRequest, case_id: int, revision_id: int):
        """Back to an earlier version: asked first, with what would change; for a 事例編集者
        on a published case the revert is itself a pending change."""
        revision = get_object_or_404(
            Revision, pk=revision_id, case_id=case_id, status=Revision.Status.APPROVED
        )
        case = revision.case
        if not self.has_change_permission(request, case):
            raise PermissionDenied
        current = revisions.snapshot(case)
        if request.method == "POST":
            if self._held_for_review(request, case.pk):
                pending = revisions.record(
                    case, status=Revision.Status.PENDING, user=request.user,
                    data=revision.data, base=revisions.latest_approved(case),
                    text=f"版{revision.pk}に戻す（{revisions.staff_name(request.user)}）",
                )  # fmt: skip
                messages.success(
                    request, f"版{revision.pk}に戻す変更を承認待ち（版{pending.pk}）にしました。"
                )
            else:
                try:
                    revisions.revert(revision, user=request.user)
                except revisions.RevisionError as error:
                    messages.error(request, str(error))
                else:
                    messages.success(request, f"事例を版{revision.pk}の内容に戻しました。")
            return HttpResponseRedirect(reverse("admin:cases_case_revisions", args=[case.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": case,
            "title": f"版{revision.pk}に戻しますか",
            "revision": revision,
            "changes": revisions.difference(current, revision.data, restoring=True),
        }
        return TemplateResponse(request, "admin/cases/case/revert_confirm.html", context)

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
        # a draft's versions go with it: nobody edits them one by one, so no right is needed
        versions = str(Revision._meta.verbose_name_plural)
        return (
            _without(to_delete, links | {str(capfirst(versions))}),
            {k: v for k, v in counts.items() if str(k) not in links | {versions}},
            {p for p in perms_needed if str(p) != versions},
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
    def publish(self, request: HttpRequest, queryset: QuerySet):
        """Asks first, naming each case; a case not ready is named with what it lacks and
        left as it is."""
        cases = list(queryset.order_by("number"))
        ready = [c for c in cases if not services.publish_problems(c)]
        refused = [(c, services.publish_problems(c)) for c in cases if c not in ready]
        if request.POST.get("confirmed") == "yes" and ready:
            count = services.publish_cases(Case.objects.filter(pk__in=[c.pk for c in ready]))
            self.message_user(request, f"{count}件の事例を公開しました。", messages.SUCCESS)
            for case, problems in refused:
                self.message_user(
                    request,
                    f"事例No.{case.number}「{case.title}」は公開しませんでした："
                    f"{'、'.join(problems)}が未入力です。",
                    messages.ERROR,
                )
            return None
        return self._confirm(request, queryset, "publish", "公開", ready, refused)

    @admin.action(description="選択した事例をアーカイブする（非公開）", permissions=["publish"])
    def archive(self, request: HttpRequest, queryset: QuerySet):
        if request.POST.get("confirmed") == "yes":
            count = services.archive_cases(queryset)
            self.message_user(request, f"{count}件の事例をアーカイブしました。", messages.SUCCESS)
            return None
        return self._confirm(request, queryset, "archive", "アーカイブ", list(queryset), [])

    def _confirm(self, request, queryset, action: str, verb: str, ready: list, refused: list):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"選択した事例を{verb}しますか",
            "action": action,
            "verb": verb,
            "ready": ready,
            "refused": refused,
            "selected": queryset.values_list("pk", flat=True),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/cases/case/confirm_action.html", context)

    @admin.action(description="選択した事例を本日確認済みにする", permissions=["change"])
    def mark_verified(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = services.mark_verified_today(queryset)
        self.message_user(request, f"{count}件の情報確認日を本日にしました。", messages.SUCCESS)


@admin.register(Domain, Method)
class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    search_fields = ["name"]


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    """承認待ち and the outcome of each change a 事例編集者 made to a published case: 管理者
    approve or return them from the difference; an editor sees their own."""

    list_display = ["created_at", "case_link", "status", "source", "reviewed_by_name", "comment"]
    list_display_links = ["case_link"]
    list_filter = ["status"]
    list_select_related = ["case", "reviewed_by"]
    search_fields = ["case__title", "source"]
    search_help_text = "事例名・変更元で検索"
    date_hierarchy = "created_at"

    def get_queryset(self, request: HttpRequest):
        revisions_ = super().get_queryset(request).exclude(status=Revision.Status.APPROVED)
        if request.user.has_perm("cases.review_revision"):
            return revisions_
        return revisions_.filter(author=request.user)

    @admin.display(description="事例", ordering="case__number")
    def case_link(self, revision: Revision) -> str:
        return f"事例No.{revision.case.number} {revision.case.title}"

    @admin.display(description="承認・差し戻しした職員")
    def reviewed_by_name(self, revision: Revision) -> str:
        return revisions.staff_name(revision.reviewed_by) if revision.reviewed_by else "—"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        """The change beside the public version, and for a 管理者 承認 or 差し戻し."""
        revision = get_object_or_404(self.get_queryset(request), pk=object_id)
        can_review = request.user.has_perm("cases.review_revision") and (
            revision.status == Revision.Status.PENDING
        )
        form = ReturnForm(request.POST or None)
        if request.method == "POST" and can_review:
            if "_approve" in request.POST:
                try:
                    revisions.approve(revision, user=request.user)
                except revisions.RevisionError as error:
                    messages.error(request, f"{error}差し戻してください。")
                    return HttpResponseRedirect(request.path)
                messages.success(
                    request,
                    f"版{revision.pk}を承認し、事例No.{revision.case.number}に反映しました。",
                )
                return HttpResponseRedirect(reverse("admin:cases_revision_changelist"))
            if "_return" in request.POST and form.is_valid():
                revisions.send_back(
                    revision, user=request.user, comment=form.cleaned_data["comment"]
                )
                messages.success(request, f"版{revision.pk}を差し戻しました。")
                return HttpResponseRedirect(reverse("admin:cases_revision_changelist"))
        case = Case.objects.select_related("area", "lead_organization").get(pk=revision.case_id)
        latest = revisions.latest_approved(case)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"事例No.{case.number}「{case.title}」への変更（版{revision.pk}）",
            "revision": revision,
            "case": case,
            "changes": revisions.difference(revisions.snapshot(case), revision.data),
            "moved_on": revision.base_id is not None and latest and latest.pk != revision.base_id,
            "can_review": can_review,
            "form": form,
        }
        return TemplateResponse(request, "admin/cases/revision/review.html", context)


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="差し戻しの理由", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "差し戻す理由を書いてください（変更した職員に表示されます）。"},
    )  # fmt: skip

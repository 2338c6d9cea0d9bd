from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from guide.models import GuidePage
from kernel.admin import is_revert
from lib.diff import paragraphs_html


class WaitingFilter(admin.SimpleListFilter):
    title = "承認待ち"
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [("1", "承認待ちの変更あり"), ("returned", "差し戻された変更あり")]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(pending__isnull=False)
        if self.value() == "returned":
            return queryset.filter(returned__isnull=False)
        return queryset


RETURN_REASON_MISSING = "差し戻す理由を書いてください。事例編集者に届きます。"


@admin.register(GuidePage)
class GuidePageAdmin(SimpleHistoryAdmin):
    list_display = ["title", "address", "menu", "order", "published", "waiting", "updated_at"]
    list_display_links = ["title"]
    list_filter = ["is_published", WaitingFilter, "menu"]
    search_fields = ["title", "body"]
    history_list_display = ["is_published"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "path", "description", "body"]}),
        ("メニューと公開", {"fields": [("menu", "menu_label", "order"), "is_published"]}),
        (
            "表示の確認",
            {
                "fields": ["preview"],
                "classes": ["collapse"],
                "description": "保存した本文がサイトでどう表示されるか",
            },
        ),
    ]
    readonly_fields = ["preview"]

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("guide.publish_guidepage")

    def get_readonly_fields(self, request: HttpRequest, obj: GuidePage | None = None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            readonly.append("published")
            if obj is not None and obj.is_published:
                readonly.append("path")  # links to a public page must not break
        return readonly

    def get_fieldsets(self, request: HttpRequest, obj: GuidePage | None = None):
        """Without the right, 公開する is shown in words in its place, not as a field."""
        if self.has_publish_permission(request):
            return self.fieldsets
        return [
            (
                name,
                {
                    **options,
                    "fields": [
                        "published" if f == "is_published" else f for f in options["fields"]
                    ],
                },
            )
            for name, options in self.fieldsets
        ]

    @admin.display(description="プレビュー")
    def preview(self, page: GuidePage) -> str:
        if not page.pk:
            return "保存すると表示されます。"
        return format_html('<div class="guide-preview">{}</div>', page.rendered_body())

    @admin.display(description="URL", ordering="path")
    def address(self, page: GuidePage) -> str:
        return format_html('<a href="{}">{}</a>', page.path, page.path)

    @admin.display(description="公開", ordering="is_published")
    def published(self, page: GuidePage) -> str:
        return "公開中" if page.is_published else "非公開"

    def save_model(self, request, obj: GuidePage, form, change: bool) -> None:
        """Without the publish right, 公開する and a public page's URL stay as they are, a revert
        from 変更履歴 included."""
        if not self.has_publish_permission(request):
            current = GuidePage.objects.filter(pk=obj.pk).values("is_published", "path").first()
            if change and current:
                obj.is_published = current["is_published"]
                if current["is_published"]:
                    obj.path = current["path"]
            else:
                obj.is_published = False
        if is_revert(request):
            obj._change_reason = "変更履歴から以前の版に戻しました"
        if change and not self.has_publish_permission(request) and obj.is_published:
            self._hold_for_review(request, obj, form)
            return
        super().save_model(request, obj, form, change)

    def _hold_for_review(self, request, obj: GuidePage, form) -> None:
        """A 事例編集者's change to a public page waits: the changed fields' new values are kept
        beside the page, which stays as it is until a 管理者 approves them."""
        changed = {name: form.cleaned_data[name] for name in form.changed_data if name in HELD}
        if not changed:
            return
        GuidePage.objects.filter(pk=obj.pk).update(
            pending={**(GuidePage.objects.get(pk=obj.pk).pending or {}), **changed},
            pending_by=request.user,
            pending_at=timezone.now(),
            **NOT_RETURNED,  # a new change answers the one sent back
        )
        request.held_for_review = True

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The page's form, with the change a 管理者 sent back and why, while it stands."""
        page = GuidePage.objects.filter(pk=object_id).first()
        extra = {}
        if page is not None and page.returned:
            extra["returned"] = {
                "note": page.returned_note,
                "at": page.returned_at,
                "changes": _changes(page, page.returned),
            }
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def message_user(self, request, message, *args, **kwargs):
        if getattr(request, "held_for_review", False):
            message = (
                "変更を承認待ちとして保存しました。"
                "公開中のページは、管理者が承認するまで今のままです。"
            )
        super().message_user(request, message, *args, **kwargs)

    def get_urls(self):
        review = self.admin_site.admin_view(self.review_view)
        return [path("<int:page_id>/review/", review, name="guide_guidepage_review"),
                *super().get_urls()]  # fmt: skip

    def review_view(self, request: HttpRequest, page_id: int):
        """The waiting change beside the public page: 承認 or 差し戻し (管理者)."""
        page = get_object_or_404(GuidePage, pk=page_id)
        if not self.has_view_permission(request, page):
            raise PermissionDenied
        can_review = self.has_publish_permission(request) and bool(page.pending)
        reason, reason_error = request.POST.get("reason", "").strip(), ""
        if request.method == "POST" and can_review:
            if "_approve" in request.POST:
                for name, value in page.pending.items():
                    setattr(page, name, value)
                page.pending, page.pending_by, page.pending_at = None, None, None
                page._change_reason = "事例編集者の変更を承認"
                page.full_clean()
                page.save()
                self.message_user(request, f"「{page.title}」の変更を承認し、公開しました。")
                return HttpResponseRedirect(reverse("admin:guide_guidepage_changelist"))
            if reason:
                GuidePage.objects.filter(pk=page.pk).update(
                    pending=None, pending_by=None, pending_at=None,
                    returned=page.pending, returned_note=reason,
                    returned_to=page.pending_by, returned_at=timezone.now(),
                )  # fmt: skip
                self.message_user(
                    request,
                    f"「{page.title}」の変更を差し戻しました。公開中のページは今のままです。",
                )
                return HttpResponseRedirect(reverse("admin:guide_guidepage_changelist"))
            reason_error = RETURN_REASON_MISSING
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"ガイドページ「{page.title}」の承認待ちの変更",
            "page": page,
            "changes": _changes(page, page.pending or {}),
            "can_review": can_review,
            "reason": reason,
            "reason_error": reason_error,
        }
        return TemplateResponse(request, "admin/guide/guidepage/review.html", context)

    @admin.display(description="承認待ち")
    def waiting(self, page: GuidePage) -> str:
        if not page.pending:
            return "—"
        return format_html(
            '<a href="{}">確認する</a>', reverse("admin:guide_guidepage_review", args=[page.pk])
        )


# What a 事例編集者's change to a public page may touch, held for review (the rest is refused).
HELD = ["title", "description", "body", "menu_label", "menu", "order"]
NOT_RETURNED = {"returned": None, "returned_note": "", "returned_to": None, "returned_at": None}


def _changes(page: GuidePage, values: dict) -> list[tuple[str, str]]:
    """Each changed field's label, and the page's text beside the change, paragraph by
    paragraph."""
    labels = {name: GuidePage._meta.get_field(name).verbose_name for name in HELD}
    return [
        (labels[name], paragraphs_html(str(getattr(page, name)), str(value)))
        for name, value in values.items()
        if name in labels
    ]

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from guide.models import GuidePage
from kernel.admin import is_revert
from kernel.review import ReviewedChangeAdmin, WaitingFilter


@admin.register(GuidePage)
class GuidePageAdmin(ReviewedChangeAdmin, SimpleHistoryAdmin):
    list_display = ["title", "address", "menu", "order", "published", "waiting", "updated_at"]
    list_display_links = ["title"]
    list_filter = ["is_published", WaitingFilter, "menu"]
    search_fields = ["title", "body"]
    history_list_display = ["is_published"]
    save_on_top = True
    held_fields = ["title", "description", "body", "menu_label", "menu", "order"]
    publish_permission = "guide.publish_guidepage"
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
        super().save_model(request, obj, form, change)

    def is_public(self, page: GuidePage) -> bool:
        return page.is_published  # what is stored (an editor cannot change it)

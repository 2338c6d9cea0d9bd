import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import Resolver404, resolve
from django.utils.safestring import SafeString, mark_safe
from simple_history.models import HistoricalRecords

from kernel.context_processors import instance
from kernel.feed import FeedQuerySet
from kernel.models import HeldChange
from lib.markdown import to_html

# Words staff may write in a body, filled from the instance's settings (see `rendered_body`).
_PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
PLACEHOLDERS = [
    "site_name",
    "prefecture_name",
    "contact_office",
    "contact_phone",
    "contact_email",
    "contact_hours",
]


class GuidePageQuerySet(FeedQuerySet):
    def published(self) -> "GuidePageQuerySet":
        return self.filter(is_published=True)

    def in_menu(self, menu: str) -> "GuidePageQuerySet":
        """The pages of the header menu, or of the footer menu (which also lists the header's)."""
        if menu == GuidePage.Menu.HEADER:
            return self.filter(menu=GuidePage.Menu.HEADER)
        return self.filter(menu__in=[GuidePage.Menu.HEADER, GuidePage.Menu.FOOTER])


# The view the address must reach, named: the view imports the models, not the other way.
PAGE_VIEW = "guide.views.guide_page"


def _dotted_name(view) -> str:
    return f"{view.__module__}.{view.__qualname__}"  # its decorators keep both (functools.wraps)


def validate_free_path(path: str) -> None:
    """The address must not be one the site already answers with another page."""
    try:
        match = resolve(path)
    except Resolver404:
        match = None
    if match is None or _dotted_name(match.func) != PAGE_VIEW:
        raise ValidationError("このURLはサイトの他のページが使っています。別のURLにしてください。")


class GuidePage(HeldChange):
    """A page of guidance (コラボナビとは, 協働とは, FAQ…) that staff write in Markdown."""

    class Menu(models.TextChoices):
        HEADER = "header", "ヘッダーとフッター"
        FOOTER = "footer", "フッターのみ"
        NONE = "none", "メニューに表示しない"

    title = models.CharField("ページタイトル", max_length=100)
    menu_label = models.CharField(
        "メニューでの表示名",
        max_length=30,
        blank=True,
        help_text="空欄ならページタイトルを表示します（例：相談窓口のページを「相談する」と表示）。",
    )
    path = models.CharField(
        "URL",
        max_length=100,
        unique=True,
        validators=[
            RegexValidator(
                r"^/(?:[a-z0-9-]+/)+$",
                "「/about/」のように、半角英小文字・数字・ハイフンを / で区切り、"
                "/ で始めて / で終えてください。",
            ),
            validate_free_path,
        ],
        help_text="例：/guide/collaboration/　公開後に変えると、以前のURLへのリンクが切れます。",
    )
    description = models.CharField(
        "説明文",
        max_length=200,
        blank=True,
        help_text="検索結果やSNSで紹介されるときの説明（120字程度）。",
    )
    body = models.TextField(
        "本文（Markdown）",
        help_text=(
            "Markdownで書きます：「## 見出し」「- 箇条書き」「[リンクの文字](/cases/)」"
            "「**強調**」、表も使えます。{{ contact_office }}（窓口）{{ contact_phone }}（電話）"
            "{{ contact_email }}（メール）{{ contact_hours }}（受付時間）{{ site_name }}"
            "（サイト名）{{ prefecture_name }}（県名）と書くと、設定の値に置き換わります。"
            "スクリプトなど安全でないHTMLは表示されません。"
        ),
    )
    order = models.PositiveIntegerField("表示順", default=0)
    menu = models.CharField(
        "メニューへの表示", max_length=10, choices=Menu.choices, default=Menu.FOOTER
    )
    is_published = models.BooleanField("公開する", default=False)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    objects = GuidePageQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", *HeldChange.REVIEW_FIELDS])

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "ガイドページ"
        verbose_name_plural = "ガイドページ"
        permissions = [("publish_guidepage", "ガイドページを公開・非公開にできる")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.path

    @property
    def label(self) -> str:
        return self.menu_label or self.title

    def rendered_body(self) -> SafeString:
        """The body as sanitised HTML, with {{ contact_phone }} and the like filled in."""
        values = instance()

        def fill(match: re.Match) -> str:
            name = match[1]
            return str(values[name]) if name in PLACEHOLDERS else match[0]

        return mark_safe(to_html(_PLACEHOLDER.sub(fill, self.body)))  # cleaned by nh3

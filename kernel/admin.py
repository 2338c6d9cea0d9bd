"""The staff site: Japanese titles, and the project's apps before Django's and axes'."""

from functools import update_wrapper

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin import helpers
from django.http import HttpRequest

from kernel import feed

# The order a clerk works in: the project's apps, then Django's users, then axes' logs.
APP_ORDER = ["cases", "partners", "seeds", "inquiries", "guide", "auth", "axes"]


class ActionChoiceField(forms.ChoiceField):
    """The action menu's empty choice asks for one instead of showing 「---------」."""

    def _set_choices(self, value):
        asked = [("", "操作を選択してください") if k == "" else (k, v) for k, v in value]
        forms.ChoiceField.choices.fset(self, asked)

    choices = property(forms.ChoiceField.choices.fget, _set_choices)


class StaffActionForm(helpers.ActionForm):
    action = ActionChoiceField(label="操作：")


class StaffSite(admin.AdminSite):
    site_header = f"{settings.SITE_NAME} 管理画面"
    site_title = f"{settings.SITE_NAME} 管理"
    index_title = "事例と団体の管理"
    # At 1280 px the sidebar left a case list no room; breadcrumbs and the index suffice.
    enable_nav_sidebar = False

    def admin_view(self, view, cacheable=False):
        """Each staff page's writes are one transaction whose changes refresh what follows them
        once, at its end (a case saved with its inlines is indexed once, not per row)."""

        def batched(request, *args, **kwargs):
            with feed.batch():
                return view(request, *args, **kwargs)

        return super().admin_view(update_wrapper(batched, view), cacheable)

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every admin on this site, the libraries' included, gets the Japanese action menu."""
        super().register(model_or_iterable, admin_class, **options)
        for model_admin in self._registry.values():
            if model_admin.action_form is helpers.ActionForm:
                model_admin.action_form = StaffActionForm

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict]:
        app_list = [
            app
            for app in super().get_app_list(request, app_label)
            if app["app_label"] != "axes" or request.user.is_superuser
        ]
        return sorted(app_list, key=_app_position)


def _app_position(app: dict) -> int:
    """Unknown apps sort with auth, before axes."""
    label = app["app_label"]
    return APP_ORDER.index(label if label in APP_ORDER else "auth")


def is_revert(request: HttpRequest) -> bool:
    """A save from 変更履歴's revert page (simple_history's history_form_view)."""
    match = request.resolver_match
    return bool(match and match.url_name and match.url_name.endswith("_simple_history"))


def staff_name(user) -> str:
    """A staff member as colleagues name them: 姓 名 when set, else the login name."""
    if user is None:
        return "—"
    return f"{user.last_name} {user.first_name}".strip() or user.get_username()


class StaffUserFilter(admin.RelatedFieldListFilter):
    """A filter on a staff member (担当者, 審査した職員) that lists the ones in use, by name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_value_display = "未設定"  # not 「-」

    def field_choices(self, field, request, model_admin):
        used = model_admin.get_queryset(request).values_list(field.name, flat=True)
        users = field.related_model._default_manager.filter(pk__in=used)
        return sorted(((user.pk, staff_name(user)) for user in users), key=lambda c: c[1])


def empty_filter(title: str, empty: str, filled: str) -> type[admin.EmptyFieldListFilter]:
    """An is-empty filter whose choices say what empty means here (未対応／対応済み)."""

    class NamedEmptyFilter(admin.EmptyFieldListFilter):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

        def choices(self, changelist):
            for choice, label in zip(
                super().choices(changelist), [None, empty, filled], strict=True
            ):
                yield {**choice, "display": label or choice["display"]}

    return NamedEmptyFilter

"""Staff accounts in Japanese, and what a 管理者 may do with them: add 事例編集者 and disable
them, never touch a superuser or another 管理者, never grant superuser or permissions."""

import re

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission, User
from django.http import HttpRequest

from kernel.admin import staff_name

# The groups the staff-roles migrations make; a 管理者 manages only the role below theirs.
ADMINISTRATOR = "管理者"
EDITOR = "事例編集者"
VERBS = {"add": "追加", "change": "変更", "delete": "削除", "view": "表示"}
STOCK = re.compile(r"^Can (add|change|delete|view) ")


def permission_label(permission: Permission) -> str:
    """「協働事例を変更できる（協働事例）」 for Django's English "Can change case"."""
    model = permission.content_type.model_class()
    name = permission.name
    if model is not None and (match := STOCK.match(name)):
        name = f"{model._meta.verbose_name}を{VERBS[match.group(1)]}できる"
    app = model._meta.app_config.verbose_name if model is not None else ""
    return f"{name}（{app}）" if app else name


def is_protected(user: User) -> bool:
    """A superuser or a 管理者: only a superuser may change them."""
    return user.is_superuser or user.groups.filter(name=ADMINISTRATOR).exists()


def labelled_permissions(field):
    if field is not None:
        field.label_from_instance = permission_label
        field.queryset = field.queryset.select_related("content_type")
    return field


class StaffUserAdmin(UserAdmin):
    list_display = ["username", "name", "group_names", "is_active", "last_login"]
    list_filter = ["is_active", "groups", "is_superuser"]
    search_fields = ["username", "last_name", "first_name", "email"]
    ordering = ["username"]
    # What a 管理者 sees and sets: the account, the name, 事例編集者 or not, and 有効.
    clerk_fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("氏名と連絡先", {"fields": ["last_name", "first_name", "email"]}),
        ("役割", {"fields": ["is_active", "groups"]}),
    ]
    clerk_add_fieldsets = [
        (None, {"fields": ["username", "usable_password", "password1", "password2"]}),
        ("氏名と連絡先", {"fields": ["last_name", "first_name", "email"]}),
        ("役割", {"fields": ["groups"]}),
    ]

    @admin.display(description="氏名", ordering="last_name")
    def name(self, user: User) -> str:
        return staff_name(user) if user.last_name or user.first_name else "—"

    @admin.display(description="役割")
    def group_names(self, user: User) -> str:
        roles = [g.name for g in user.groups.all()]
        return "、".join(["全権限（スーパーユーザー）"] * user.is_superuser + roles) or "—"

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).prefetch_related("groups")

    def get_fieldsets(self, request: HttpRequest, obj: User | None = None):
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return self.clerk_add_fieldsets if obj is None else self.clerk_fieldsets

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        if obj is not None and not request.user.is_superuser and is_protected(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        # Accounts are disabled (有効 off), not deleted: their history names them.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name=EDITOR)
            kwargs["widget"] = forms.CheckboxSelectMultiple  # one choice: a tick box
            kwargs["help_text"] = "事例編集者にすると、事例と団体を編集できます（公開は管理者）。"
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "user_permissions":
            return labelled_permissions(field)
        return field

    def save_model(self, request: HttpRequest, obj: User, form, change: bool) -> None:
        if not request.user.is_superuser:
            obj.is_staff = True  # a staff account, never more
            obj.is_superuser = False
        super().save_model(request, obj, form, change)


class StaffGroupAdmin(GroupAdmin):
    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return labelled_permissions(field) if db_field.name == "permissions" else field


def register() -> None:
    """In place of django.contrib.auth's own admins."""
    for model, model_admin in [(User, StaffUserAdmin), (Group, StaffGroupAdmin)]:
        if admin.site.is_registered(model):
            admin.site.unregister(model)
        admin.site.register(model, model_admin)

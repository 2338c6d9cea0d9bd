"""Review before publish for public rows edited in the admin (guide pages, organizations).

A clerk without the model's publish right who changes a public row does not change it: the
changed fields' new values are kept beside it (`kernel.models.HeldChange.pending`) and the
public keeps the stored ones. A 管理者 opens the change beside the stored values and approves it
(applied through the model, so the change feed follows) or sends it back with a reason, which
the clerk reads above the row's form until their next save answers it. The admin index counts
both for each model that plugs in (`held_queues`). Cases have their own revisions of the whole
case (cases.revisions); this is the same review for rows that are one record.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from lib.diff import paragraphs_html

RETURN_REASON_MISSING = "差し戻す理由を書いてください。事例編集者に届きます。"
NOT_RETURNED = {"returned": None, "returned_note": "", "returned_to": None, "returned_at": None}

# The model admins that hold changes for review, for the admin index's counts.
registered: list[type[models.Model]] = []


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


class ReviewedChangeAdmin(admin.ModelAdmin):
    """A ModelAdmin of a `HeldChange` model whose public rows' changes wait for a 管理者."""

    held_fields: list[str] = []  # what a change held for review may touch
    publish_permission = ""  # "app.codename": may change public rows at once, and review
    review_template = "admin/held_change_review.html"
    change_form_template = "admin/held_change_form.html"

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(self.publish_permission)

    def is_public(self, obj) -> bool:
        """Whether the public sees the row (its change then waits)."""
        raise NotImplementedError

    def holds(self, request: HttpRequest, obj, change: bool) -> bool:
        """Whether this save is held for review rather than made."""
        return change and not self.has_publish_permission(request) and self.is_public(obj)

    def hold_for_review(self, request: HttpRequest, obj, form) -> None:
        """The fields whose new values differ from the stored row's kept beside it, which stays
        as it is (compared with the row, not the form's first values: a revert from 変更履歴
        starts its form from the old version)."""
        fields = [self.model._meta.get_field(name) for name in self.held_fields]
        with transaction.atomic():  # two clerks saving at once: neither change is lost
            stored = self.model._default_manager.select_for_update().get(pk=obj.pk)
            changed = {
                f.name: _stored_value(f, obj)
                for f in fields
                if not _same(f.value_from_object(obj), f.value_from_object(stored))
            }
            if not changed:
                request.nothing_changed = True
                return
            self.model._default_manager.filter(pk=obj.pk).update(
                pending={**(stored.pending or {}), **changed},
                pending_by=request.user,
                pending_at=timezone.now(),
                **NOT_RETURNED,  # a new change answers the one sent back
            )
        request.held_for_review = True

    def save_model(self, request, obj, form, change: bool) -> None:
        if self.holds(request, obj, change):
            self.hold_for_review(request, obj, form)
            return
        super().save_model(request, obj, form, change)

    def message_user(self, request, message, *args, **kwargs):
        if getattr(request, "nothing_changed", False):
            message = "変更はありませんでした。"
        elif getattr(request, "held_for_review", False):
            message = (
                "変更を承認待ちとして保存しました。"
                "公開中の内容は、管理者が承認するまで今のままです。"
            )
        super().message_user(request, message, *args, **kwargs)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The row's form, with the change a 管理者 sent back and why, while it stands; and
        what waits for review."""
        row = self.model._default_manager.filter(pk=object_id).first()
        extra = {}
        if row is not None and row.returned:
            extra["returned"] = {
                "note": row.returned_note,
                "at": row.returned_at,
                "changes": self.changes(row, row.returned),
            }
        if row is not None and row.pending:
            extra["waiting_url"] = reverse(self._review_url_name(), args=[row.pk])
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def changes(self, row, values: dict) -> list[tuple[str, str]]:
        """Each changed field's label, and the stored value beside the change, paragraph by
        paragraph."""
        found = []
        for name, value in values.items():
            if name not in self.held_fields:
                continue
            f = self.model._meta.get_field(name)
            before = _shown(f, getattr(row, f.attname))
            after = _shown(f, f.to_python(value) if value is not None else None)
            found.append((str(f.verbose_name), paragraphs_html(before, after)))
        return found

    def _review_url_name(self) -> str:
        return f"admin:{self.opts.app_label}_{self.opts.model_name}_review"

    def get_urls(self):
        review = self.admin_site.admin_view(self.review_view)
        name = f"{self.opts.app_label}_{self.opts.model_name}_review"
        return [path("<int:row_id>/review/", review, name=name), *super().get_urls()]

    def review_view(self, request: HttpRequest, row_id: int):
        """The waiting change beside the stored row: 承認 or 差し戻し (管理者)."""
        row = get_object_or_404(self.model, pk=row_id)
        if not self.has_view_permission(request, row):
            raise PermissionDenied
        can_review = self.has_publish_permission(request) and bool(row.pending)
        reason, reason_error = request.POST.get("reason", "").strip(), ""
        changelist = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        if request.method == "POST" and can_review:
            if "_approve" in request.POST:
                self.approve(row)
                self.message_user(request, f"「{row}」の変更を承認し、公開しました。")
                return HttpResponseRedirect(changelist)
            if reason:
                self.model._default_manager.filter(pk=row.pk).update(
                    pending=None, pending_by=None, pending_at=None,
                    returned=row.pending, returned_note=reason,
                    returned_to=row.pending_by, returned_at=timezone.now(),
                )  # fmt: skip
                self.message_user(
                    request, f"「{row}」の変更を差し戻しました。公開中の内容は今のままです。"
                )
                return HttpResponseRedirect(changelist)
            reason_error = RETURN_REASON_MISSING
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{self.opts.verbose_name}「{row}」の承認待ちの変更",
            "row": row,
            "public_url": row.get_absolute_url() if hasattr(row, "get_absolute_url") else "",
            "changes": self.changes(row, row.pending or {}),
            "can_review": can_review,
            "reason": reason,
            "reason_error": reason_error,
        }
        return TemplateResponse(request, self.review_template, context)

    @transaction.atomic
    def approve(self, row) -> None:
        """The waiting change made: through the model, so everything that follows it does
        (the row read again and locked: a change held meanwhile is part of it)."""
        row = self.model._default_manager.select_for_update().get(pk=row.pk)
        for name, value in (row.pending or {}).items():
            f = self.model._meta.get_field(name)
            setattr(row, f.attname, f.to_python(value) if value is not None else None)
        row.pending, row.pending_by, row.pending_at = None, None, None
        row._change_reason = "事例編集者の変更を承認"
        row.full_clean()
        row.save()

    @admin.display(description="承認待ち")
    def waiting(self, row) -> str:
        if not row.pending:
            return "—"
        url = reverse(self._review_url_name(), args=[row.pk])
        return format_html('<a href="{}">確認する</a>', url)


def _same(new, old) -> bool:
    """Equal as a clerk sees it: a form trims a text's ends and sends its line ends as CRLF."""
    if isinstance(new, str) and isinstance(old, str):
        return new.replace("\r\n", "\n").strip() == old.replace("\r\n", "\n").strip()
    return new == old


def _stored_value(f: models.Field, obj) -> str | None:
    """A field's new value as the held change keeps it: text, or None for a cleared one."""
    return None if f.value_from_object(obj) is None else f.value_to_string(obj)


def _shown(f: models.Field, value) -> str:
    """A field's value as a clerk reads it: a choice's label, a related row's name."""
    if value is None or value == "":
        return ""
    if f.is_relation:
        return str(f.related_model._default_manager.filter(pk=value).first() or value)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    return str(value)


# Per model, tests of whether a higher app's public page prints a row (a seed its poster).
_mentions: dict[type[models.Model], list] = {}


def register_mention(model: type[models.Model], prints) -> None:
    """`prints(row)` says whether the app's public pages print this row of `model` (call it
    in AppConfig.ready): its change then waits for review too."""
    _mentions.setdefault(model, []).append(prints)


def mentioned(row) -> bool:
    return any(prints(row) for prints in _mentions.get(type(row), ()))


def register(model: type[models.Model]) -> None:
    """Count this model's waiting and sent-back changes on the admin index."""
    if model not in registered:
        registered.append(model)


def queues(user) -> list[dict]:
    """For the admin index: per model, its changes waiting for this 管理者 and those sent back
    to this clerk."""
    found = []
    for model in registered:
        opts = model._meta
        if not user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
            continue
        publisher = next((p for p in _publish_permissions(model) if user.has_perm(p)), None)
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        waiting = model._default_manager.filter(pending__isnull=False).count() if publisher else 0
        returned = model._default_manager.filter(returned_to=user).count()
        if waiting or returned:
            found.append(
                {
                    "name": opts.verbose_name,
                    "waiting": waiting,
                    "returned": returned,
                    "waiting_url": f"{changelist}?waiting=1",
                    "returned_url": f"{changelist}?waiting=returned",
                }
            )
    return found


def _publish_permissions(model) -> list[str]:
    opts = model._meta
    codenames = [codename for codename, _ in opts.permissions if "publish" in codename]
    return [f"{opts.app_label}.{codename}" for codename in codenames]

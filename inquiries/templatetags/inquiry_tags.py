"""Template tags of the staff screens: the admin index's queues and the history lists."""

import datetime
import re
from os.path import commonprefix

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field
from django.utils import formats
from simple_history.utils import get_m2m_reverse_field_name

from cases.models import Case
from inquiries.models import Inquiry, UpdateProposal

register = template.Library()

EMPTY = "—"
EXCERPT_CHARS = 30


@register.inclusion_tag("admin/queues.html", takes_context=True)
def staff_queues(context):
    """New inquiries, waiting proposals and stale published cases, for the admin index."""
    user = context["request"].user
    return {
        "new_inquiries": Inquiry.objects.filter(status=Inquiry.Status.NEW).count()
        if user.has_perm("inquiries.view_inquiry")
        else None,
        "pending_proposals": UpdateProposal.objects.filter(
            status=UpdateProposal.Status.PENDING
        ).count()
        if user.has_perm("inquiries.view_updateproposal")
        else None,
        # Only what visitors read needs checking; the link filters the list the same way.
        "stale_cases": Case.objects.published().stale().count()
        if user.has_perm("cases.view_case")
        else None,
        "stale_status": Case.Status.PUBLISHED,
    }


@register.simple_tag
def history_rows(records, columns) -> list[dict]:
    """A page of versions, newest first, with their columns and changes as a clerk reads them."""
    records = list(records)
    rows = []
    for i, record in enumerate(records):
        older = records[i + 1] if i + 1 < len(records) else record.prev_record
        rows.append(
            {
                "record": record,
                "cells": [_column_value(record, column) for column in columns],
                "changes": _changes(record, older) if older else [],
            }
        )
    return rows


@register.simple_tag
def history_heading(opts, column: str) -> str:
    """The verbose name of a history_list_display column."""
    try:
        return str(opts.get_field(column).verbose_name)
    except FieldDoesNotExist:  # an admin method or attribute, not a field
        return column


def _column_value(record, column: str) -> str:
    try:
        field = record._meta.get_field(column)
    except FieldDoesNotExist:
        return _display(None, getattr(record, column, None))
    return _display(field, getattr(record, field.name))


def _changes(record, older) -> list[dict]:
    delta = record.diff_against(older, foreign_keys_are_objs=True)
    opts = record.instance_type._meta
    changes = []
    for change in delta.changes:
        field = opts.get_field(change.field)
        old, new = _display(field, change.old), _display(field, change.new)
        if len(old) > EXCERPT_CHARS or len(new) > EXCERPT_CHARS:
            old, new = _excerpts(old, new)
        changes.append({"field": str(field.verbose_name), "old": old, "new": new})
    return changes


def _display(field: Field | None, value) -> str:
    if field is not None and field.many_to_many:
        name = get_m2m_reverse_field_name(field)
        value = [str(row[name]) for row in value or []]
        return "、".join(value) or EMPTY
    if value is None or value == "":
        return EMPTY
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, datetime.date):
        return formats.date_format(value)
    return str(value)


def _excerpts(old: str, new: str) -> tuple[str, str]:
    """Both texts cut to the part around their first difference, with … for what is left out."""
    start = max(len(commonprefix([old, new])) - 10, 0)
    return _clip(old, start), _clip(new, start)


def _clip(text: str, start: int) -> str:
    end = start + EXCERPT_CHARS
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


@register.filter
def japanese_duration(value) -> str:
    """django-axes' ISO 8601 cool-off ("PT1H", "PT30M") as a clerk reads it (「1時間」)."""
    match = re.fullmatch(r"P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?", str(value or ""))
    if not match or not any(match.groups()):
        return "しばらく"
    units = zip(match.groups(), ["日", "時間", "分", "秒"], strict=True)
    return "".join(f"{int(n)}{unit}" for n, unit in units if n and int(n))

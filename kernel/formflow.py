"""The 入力 → 確認 → 完了 flow of a form the public sends, said once.

入力 validates the form and keeps its draft in the session; 確認 shows the draft, with a link
back to 入力 (which shows the draft again) and a button that sends it: the draft is taken away
as it is stored, so a refresh or a second post finds nothing to send; 完了 shows the receipt
number. A form with files has no 確認 (uploads are never kept in the session): 入力 sends at
once. A refused write (DatabaseError) shows the page again with the input and asks to retry.

    inquiry_new, inquiry_confirm, inquiry_done = FormFlow(...).views()
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django import forms
from django.contrib import messages
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from kernel.forms import WRITE_FAILED
from kernel.ratelimit import rate_limited

logger = logging.getLogger(__name__)

NO_DRAFT = "入力内容が見つかりませんでした。もう一度入力してください。"

View = Callable[..., HttpResponse]


class Refused(Exception):
    """Raised by `save` when the draft no longer validates (a choice went away meanwhile):
    the sender is taken back to 入力, `form` showing the errors."""

    def __init__(self, form: forms.Form):
        super().__init__("The draft no longer validates")
        self.form = form


class Views(NamedTuple):
    new: View
    confirm: View | None
    done: View


def _nothing(**kwargs) -> dict:
    return {}


@dataclass(frozen=True, kw_only=True)
class FormFlow:
    """One public form's three steps; `views()` makes its view functions.

    Steps are named by (入力, 確認, 完了) triples of templates and URL names, 確認's None for a
    flow without one. URL arguments (a seed's pk, a case's number) go to `page`, which returns
    the objects every step shows (or raises Http404), and key the draft: one per page.
    """

    form_class: type[forms.Form]
    templates: tuple[str, str | None, str]
    urls: tuple[str, str | None, str]
    rate_limit: str  # the scope of 入力's posts; 確認 only sends what a counted post kept
    receipt_key: str  # where 完了 finds the receipt number
    # The submit buttons a refused write asks to press again: 入力's, 確認's ("" without one).
    buttons: tuple[str, str]
    # What 入力 keeps for 確認 and `save` gets: JSON for the session, unless there is no 確認.
    draft: Callable[[forms.Form], dict]
    # Stores a draft (draft, page) and returns its receipt number.
    save: Callable[[dict, dict], str]
    session_key: str = ""  # the drafts between 入力 and 確認
    page: Callable[..., dict] = _nothing
    form_kwargs: Callable[[dict], dict] = lambda page: {}
    # A fresh form's initial values, from the request (prefills from a link).
    initial: Callable[[HttpRequest], dict] = lambda request: {}
    # What 確認 shows besides the draft and the page (labels of chosen values), from both.
    shown: Callable[[dict, dict], dict] = lambda draft, page: {}

    def views(self) -> Views:
        confirm = self.confirm if self.urls[1] else None
        return Views(rate_limited(self.rate_limit)(self.new), confirm, require_safe(self.done))

    def new(self, request: HttpRequest, **kwargs) -> HttpResponse:
        """入力: the form; a valid one is kept for 確認 (or sent, without a 確認)."""
        page = self.page(**kwargs)
        failed = ""
        if request.method == "POST":
            form = self.form_class(request.POST, request.FILES, **self.form_kwargs(page))
            if form.is_valid():
                if self.urls[1]:
                    failed = self._keep(request, kwargs, self.draft(form))
                    if not failed:
                        return redirect(self.urls[1], **kwargs)
                else:
                    failed = self._send(request, kwargs, self.draft(form), page, self.buttons[0])
                    if not failed:
                        return redirect(self.urls[2], **kwargs)
        else:
            draft = self._draft(request, kwargs)
            initial = {**draft, **self._ticked()} if draft else self.initial(request)
            form = self.form_class(initial=initial, **self.form_kwargs(page))
        return self._new(request, form, page, failed)

    # Not rate-limited: each confirmation sends the one draft a counted 入力 post kept in the
    # session, and takes it away, so a sender at the limit is never refused at the last step.
    def confirm(self, request: HttpRequest, **kwargs) -> HttpResponse:
        """確認: what will be sent; sending it stores it and takes the draft away."""
        page = self.page(**kwargs)
        draft = self._draft(request, kwargs)
        if not draft:
            messages.info(request, NO_DRAFT)
            return redirect(self.urls[0], **kwargs)
        failed = ""
        if request.method == "POST":
            try:
                failed = self._send(request, kwargs, draft, page, self.buttons[1])
            except Refused as refused:
                return self._new(request, refused.form, page, "")
            if not failed:
                return redirect(self.urls[2], **kwargs)
        context = {"draft": draft, **page, **self.shown(draft, page), "write_failed": failed}
        return render(request, self.templates[1], context)

    def done(self, request: HttpRequest, **kwargs) -> HttpResponse:
        """完了: the receipt number of what was sent."""
        page = self.page(**kwargs)
        context = {**page, "receipt": request.session.get(self.receipt_key)}
        return render(request, self.templates[2], context)

    def _new(self, request: HttpRequest, form: forms.Form, page: dict, failed: str) -> HttpResponse:
        # Files sent with a refused form are not kept: the page asks to choose them again.
        context = {"form": form, **page, "write_failed": failed, "files_lost": bool(request.FILES)}
        return render(request, self.templates[0], context)

    def _ticked(self) -> dict:
        """A draft was made with every required box ticked (the consent): back at 入力, they
        are ticked again."""
        fields = self.form_class.base_fields.items()
        return {n: True for n, f in fields if isinstance(f, forms.BooleanField) and f.required}

    def _draft(self, request: HttpRequest, kwargs: dict) -> dict | None:
        kept = request.session.get(self.session_key) if self.session_key else None
        return (kept or {}).get(_page_key(kwargs)) if kwargs else kept

    def _keep(self, request: HttpRequest, kwargs: dict, draft: dict) -> str:
        """Keep the draft in the session now, not after the view, so that a refused write shows
        the form again: "" when kept, else the message asking to retry."""
        if kwargs:
            draft = {**(request.session.get(self.session_key) or {}), _page_key(kwargs): draft}
        request.session[self.session_key] = draft
        try:
            request.session.save()
        except DatabaseError:
            logger.exception("A draft of %s could not be kept; asked to retry", self.urls[0])
            request.session.modified = False
            return WRITE_FAILED.format(self.buttons[0])
        return ""

    def _send(
        self, request: HttpRequest, kwargs: dict, draft: dict, page: dict, button: str
    ) -> str:
        """Store the draft and note its receipt for 完了: "" when stored, else the message
        asking to retry (the draft still kept)."""
        try:
            receipt = self.save(draft, page)
        except DatabaseError:
            logger.exception("A post to %s could not be stored; asked to retry", self.urls[0])
            return WRITE_FAILED.format(button)
        if self.urls[1]:
            if kwargs:
                drafts = dict(request.session[self.session_key])
                del drafts[_page_key(kwargs)]
                request.session[self.session_key] = drafts
            else:
                del request.session[self.session_key]
        request.session[self.receipt_key] = receipt
        return ""


def _page_key(kwargs: dict[str, Any]) -> str:
    return "/".join(str(value) for value in kwargs.values())

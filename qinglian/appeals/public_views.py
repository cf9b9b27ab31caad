"""The villager's pages of the mailbox: write to the village, then follow the case.

No account: a case is followed with its receipt and secret, which the intake page
shows once (in the answer to the POST, never in an address, never cached). A
right pair remembers the case in this browser's session, so the villager can
write, rate and reopen it from the case page. Every page works without JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from qinglian.appeals import public_selectors as cases
from qinglian.appeals import tokens
from qinglian.appeals.forms import AppealForm, RateForm, ReopenForm, TrackForm, WriteForm
from qinglian.appeals.models import Appeal
from qinglian.appeals.services import (
    appeal_rate,
    appeal_reopen,
    appeal_submit,
    appeal_track,
    villager_write,
)
from qinglian.core.errors import DomainError
from qinglian.disclosures.selectors import published_line, village_public

FOLLOWED = "appeals_followed"  # session: ids of the cases opened with their secret
FOLLOWED_MAX = 20


def _submit_rate(group: str, request: HttpRequest) -> str:
    return str(settings.APPEALS_SUBMIT_RATE)


def _track_rate(group: str, request: HttpRequest) -> str:
    return str(settings.APPEALS_TRACK_RATE)


def _too_many() -> str:
    return _(
        "Too many tries from this connection. Please wait a while and try again, "
        "or call the 12388 hotline."
    )


def _limited(request: HttpRequest) -> bool:
    return bool(getattr(request, "limited", False))


# --- writing to the village -----------------------------------------------------------------


@never_cache
@ratelimit(group="appeals.submit", key="ip", rate=_submit_rate, method="POST", block=False)
def ask(request: HttpRequest, code: str) -> HttpResponse:
    village = village_public(code)
    if village is None:
        raise Http404
    posted = request.method == "POST"
    source = request.POST if posted else request.GET
    line = published_line(village, source.get("d"), source.get("line", "")[:80])
    form = AppealForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        cadres=cases.cadre_choices(village),
        line=line,
    )
    status = 200
    if posted:
        if _limited(request):
            form.add_error(None, _too_many())
            status = 429
        elif form.is_bot:  # a robot filled the hidden field: it gets a receipt, we keep nothing
            return _receipt(request, village, tokens.receipt_new(), tokens.secret_new())
        elif form.is_valid():
            try:
                sent = appeal_submit(village=village, **form.submission())
            except DomainError as error:
                form.refuse(error)
            else:
                return _receipt(request, village, sent.receipt, sent.secret)
    return render(
        request, "appeals/ask.html", {"village": village, "form": form, "line": line}, status=status
    )


def _receipt(request: HttpRequest, village: Any, receipt: str, secret: str) -> HttpResponse:
    """The receipt and the secret, shown once, in the answer to the POST (never_cache)."""
    return render(
        request,
        "appeals/receipt.html",
        {
            "village": village,
            "receipt": tokens.grouped(receipt),
            "secret_groups": tokens.grouped(secret).split(),
        },
    )


# --- following a case -----------------------------------------------------------------------


def _followed(request: HttpRequest) -> list[int]:
    ids = request.session.get(FOLLOWED, [])
    return [i for i in ids if isinstance(i, int)] if isinstance(ids, list) else []


def _follow(request: HttpRequest, appeal: Appeal) -> None:
    ids = [appeal.pk, *(i for i in _followed(request) if i != appeal.pk)][:FOLLOWED_MAX]
    request.session.cycle_key()  # a new session id once it opens a case
    request.session[FOLLOWED] = ids
    if not request.user.is_authenticated:
        request.session.set_expiry(0)  # forgotten when the browser closes


@never_cache
@ratelimit(group="appeals.track", key="ip", rate=_track_rate, method="POST", block=False)
def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if _limited(request):
            form.add_error(None, _too_many())
            status = 429
        elif form.is_valid():
            appeal = appeal_track(form.cleaned_data["receipt"], form.cleaned_data["secret"])
            if appeal is not None:
                _follow(request, appeal)
                return redirect("appeals:case", pk=appeal.pk)
            form.add_error(None, _("There is no case with this receipt and secret."))
    return render(
        request,
        "appeals/track.html",
        {"form": form, "followed": cases.cases_followed(_followed(request))},
        status=status,
    )


@require_POST
def forget(request: HttpRequest) -> HttpResponse:
    """Forget the cases opened in this browser (a borrowed phone)."""
    request.session.pop(FOLLOWED, None)
    return redirect("appeals:track")


def _case(request: HttpRequest, pk: int) -> Appeal | None:
    return cases.case_for_villager(pk) if pk in _followed(request) else None


def _case_page(
    request: HttpRequest,
    appeal: Appeal,
    *,
    status: int = 200,
    bound: dict[str, django_forms.Form] | None = None,
) -> HttpResponse:
    bound = bound or {}
    return render(
        request,
        "appeals/case.html",
        {
            "appeal": appeal,
            "receipt": tokens.grouped(appeal.receipt),
            "handler": cases.case_handler(appeal),
            "events": cases.case_events(appeal),
            "write_form": bound.get("write_form") or WriteForm(),
            "rate_form": bound.get("rate_form") or RateForm(),
            "reopen_form": bound.get("reopen_form") or ReopenForm(),
            "may_write": cases.may_write(appeal),
            "may_rate": cases.may_rate(appeal),
            "may_reopen": cases.may_reopen(appeal),
        },
        status=status,
    )


@never_cache
def case(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _case(request, pk)
    if appeal is None:
        return redirect("appeals:track")
    return _case_page(request, appeal)


def _act(
    request: HttpRequest,
    pk: int,
    form_class: type[django_forms.Form],
    name: str,
    action: Callable[[Appeal, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """A villager's action on a case they opened: form, service, back to the case page."""
    appeal = _case(request, pk)
    if appeal is None:
        return redirect("appeals:track")
    form = form_class(request.POST)
    if _limited(request):
        form.add_error(None, _too_many())
        return _case_page(request, appeal, status=429, bound={name: form})
    if form.is_valid():
        try:
            action(appeal, form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, done)
            return redirect("appeals:case", pk=appeal.pk)
    return _case_page(request, appeal, bound={name: form})


@never_cache
@require_POST
@ratelimit(group="appeals.write", key="ip", rate=_submit_rate, method="POST", block=False)
def case_write(request: HttpRequest, pk: int) -> HttpResponse:
    def write(appeal: Appeal, data: dict[str, Any]) -> object:
        if not cases.may_write(appeal):
            raise DomainError(
                _("This case is closed; you can reopen it once if you are not satisfied.")
            )
        return villager_write(appeal=appeal, text=data["text"])

    return _act(request, pk, WriteForm, "write_form", write, _("Your message was sent."))


@never_cache
@require_POST
def case_rate(request: HttpRequest, pk: int) -> HttpResponse:
    def rate(appeal: Appeal, data: dict[str, Any]) -> object:
        if not cases.may_rate(appeal):
            raise DomainError(_("You can rate the answer once, after it is given."), field="rating")
        return appeal_rate(appeal=appeal, rating=data["rating"])

    return _act(request, pk, RateForm, "rate_form", rate, _("Thank you for your rating."))


@never_cache
@require_POST
@ratelimit(group="appeals.write", key="ip", rate=_submit_rate, method="POST", block=False)
def case_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    def reopen(appeal: Appeal, data: dict[str, Any]) -> object:
        if not cases.may_reopen(appeal):
            raise DomainError(_("A case can be reopened once, after it has been answered."))
        return appeal_reopen(appeal=appeal, text=data["text"])

    return _act(
        request,
        pk,
        ReopenForm,
        "reopen_form",
        reopen,
        _("The case is reopened and goes to the township discipline commission."),
    )

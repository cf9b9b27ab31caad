"""The village's QR code and its printable signs (one village, or a whole township)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control

from qinglian.accounts.policy import access_region
from qinglian.directory.models import Region, RegionLevel
from qinglian.disclosures import sign_selectors, signs
from qinglian.transparency.selectors import checkpoint_latest

# A village's code changes only with PUBLIC_BASE_URL: let browsers and proxies keep it.
QR_MAX_AGE = 6 * 3600
# A sign carries the log's checkpoint when printed; an hour-old one is as good to check.
SIGN_MAX_AGE = 3600


def _public_village(code: str) -> Region:
    village = sign_selectors.village_with_ancestors(code)
    if village is None:
        raise Http404
    return village


def village_qr_svg(request: HttpRequest, code: str) -> HttpResponse:
    url = sign_selectors.village_page_url(_public_village(code))
    response = HttpResponse(signs.qr_svg(url), content_type="image/svg+xml")
    patch_cache_control(response, public=True, max_age=QR_MAX_AGE)
    return response


def village_qr_png(request: HttpRequest, code: str) -> HttpResponse:
    url = sign_selectors.village_page_url(_public_village(code))
    response = HttpResponse(signs.qr_png(url), content_type="image/png")
    patch_cache_control(response, public=True, max_age=QR_MAX_AGE)
    return response


def village_sign(request: HttpRequest, code: str) -> HttpResponse:
    """The village's A4 sign, always in the site's language (it is for the village)."""
    village = _public_village(code)
    sign = sign_selectors.sign_for(
        village, checkpoint=checkpoint_latest(), printed_on=timezone.localdate()
    )
    with translation.override(settings.LANGUAGE_CODE):
        # Anyone may ask for it: the same content is made once, then served from the cache.
        key = (
            "disclosures:sign:"
            + hashlib.sha256(repr((settings.LANGUAGE_CODE, sign)).encode()).hexdigest()
        )
        pdf = cache.get(key)
        if pdf is None:
            pdf = signs.sign_pdf([sign])
            cache.set(key, pdf, SIGN_MAX_AGE)
    response = _pdf(pdf, f"sign-{village.code}.pdf")
    patch_cache_control(response, public=True, max_age=SIGN_MAX_AGE)
    return response


@login_required
def township_signs(request: HttpRequest, code: str) -> HttpResponse:
    """Every village's sign of one township in one PDF, one page each, in code order."""
    township = access_region(request.user, code)
    if township.level != RegionLevel.TOWNSHIP:
        raise Http404
    checkpoint, today = checkpoint_latest(), timezone.localdate()
    batch = [
        sign_selectors.sign_for(village, checkpoint=checkpoint, printed_on=today)
        for village in sign_selectors.township_villages(township)
    ]
    if not batch:
        raise Http404
    with translation.override(settings.LANGUAGE_CODE):
        pdf = signs.sign_pdf(batch)
    response = _pdf(pdf, f"signs-{township.code}.pdf")
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response

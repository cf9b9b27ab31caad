"""The village page kept for anonymous visitors: fresh until the day or the village's log
changes."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from qinglian.core.errors import DomainError
from qinglian.disclosures.models import VillagePage
from qinglian.disclosures.pages import village_pages_render
from qinglian.disclosures.services import (
    disclosure_open,
    draft_publish,
    draft_review,
    draft_submit,
    draft_write,
)

pytestmark = pytest.mark.django_db


def publish_quarter(village, key: str, body: str) -> None:
    draft = draft_write(
        actor=None,
        disclosure=disclosure_open(village=village, item_code="VA15", period_key=key),
        body=body,
    )
    draft_submit(actor=None, draft=draft)
    draft_review(actor=None, draft=draft, approve=True)
    draft_publish(actor=None, draft=draft)


def page(village, client: Client | None = None) -> str:
    response = (client or Client()).get(f"/v/{village.code}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_publication_of_the_village_shows_at_once(tree):
    village = tree.village_a1
    publish_quarter(village, "2025-Q1", "第一季度")
    assert "2025年第1季度" in page(village)
    stored = VillagePage.objects.get(village=village)
    publish_quarter(tree.village_a2, "2025-Q2", "别的村")  # another village: still fresh
    page(village)
    assert VillagePage.objects.get(village=village).rendered_at == stored.rendered_at
    publish_quarter(village, "2025-Q2", "第二季度")
    assert "2025年第2季度" in page(village)
    assert VillagePage.objects.get(village=village).stamp == stored.stamp + 1


def test_the_next_day_renders_the_page_again(tree):
    village = tree.village_a1
    page(village)
    tomorrow = timezone.localtime() + timedelta(days=1)
    with time_machine.travel(tomorrow):
        page(village)
        assert VillagePage.objects.get(village=village).day == tomorrow.date()


def test_what_differs_per_request_is_filled_in(tree):
    client = Client(enforce_csrf_checks=True)
    response = client.get(f"/v/{tree.village_a1.code}/")
    html = response.content.decode()
    assert "qinglian-hole" not in html
    [nonce] = set(re.findall(r'nonce="([^"]+)"', html))
    assert f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]
    [token] = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert "csrftoken" in response.cookies
    switched = client.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": token})
    assert switched.status_code == 302  # the token of the stored page works
    other = Client().get(f"/v/{tree.village_a1.code}/").content.decode()
    assert re.findall(r'nonce="([^"]+)"', other)[0] != nonce


def test_visit_counts_are_those_of_the_day(tree):
    from qinglian.disclosures.models import VisitDay

    VisitDay.objects.create(
        village=tree.village_a1, day=timezone.localdate(), visits=41, visitors=9
    )
    html = page(tree.village_a1)
    assert "近30天：访问41次，访客9人次" in html


def test_signed_in_staff_get_their_own_header_and_visitors_never_see_it(
    tree, village_cadre, client
):
    client.force_login(village_cadre)
    signed = f"({village_cadre.get_username()})"  # the log-out button names the user
    assert signed in page(tree.village_a1, client)
    assert signed not in page(tree.village_a1)
    assert signed not in VillagePage.objects.get().html


def test_pages_are_rendered_ahead_once_a_day(tree):
    assert village_pages_render() == 3  # every village of the tree
    assert village_pages_render() == 0  # all fresh
    publish_quarter(tree.village_a2, "2025-Q1", "第一季度")
    assert village_pages_render() == 1
    call_command("village_pages_render", "--all", stdout=io.StringIO())
    assert VillagePage.objects.filter(day=timezone.localdate()).count() == 3
    with time_machine.travel(timezone.localtime() + timedelta(days=1)):
        assert village_pages_render() == 3


def test_a_review_date_in_the_future_is_refused(tree):
    disclosure = disclosure_open(village=tree.village_a1, item_code="VA15", period_key="2025-Q1")
    draft = draft_submit(actor=None, draft=draft_write(actor=None, disclosure=disclosure, body="x"))
    with pytest.raises(DomainError):
        draft_review(
            actor=None,
            draft=draft,
            approve=True,
            reviewed_at=timezone.now() + timedelta(hours=1),
        )
    signed_on = timezone.make_aware(datetime.combine(date(2025, 4, 3), time(11, 0)))
    draft = draft_review(actor=None, draft=draft, approve=True, reviewed_at=signed_on)
    version = draft_publish(actor=None, draft=draft)
    assert version.content["reviewed_on"] == "2025-04-03"

"""/v/<code>/qr.svg, qr.png and sign.pdf (public), and a township's signs (staff)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext

from conftest import client_for
from qinglian.directory.factories import region
from qinglian.directory.models import RegionLevel
from qinglian.disclosures.sign_selectors import sign_for, village_with_ancestors
from qinglian.disclosures.signs import checkpoint_text
from qinglian.disclosures.tests.reading import decode_png, decode_svg, read_pdf
from qinglian.transparency.selectors import checkpoint_latest
from qinglian.transparency.services import checkpoint_sign, log_append

BASE = "https://qinglian.example.gov.cn"


@pytest.fixture
def public_base(settings):
    settings.PUBLIC_BASE_URL = BASE
    return BASE


def publish(n: int) -> None:
    with transaction.atomic():
        for i in range(n):
            log_append(
                record_type="cadre_term",
                record_id=f"sign-test-{i}-{datetime.now(UTC).timestamp()}",
                region_path="339901100201",
                content={"n": i},
                published_at=datetime(2026, 1, 5, tzinfo=UTC),
            )
    checkpoint_sign()


def test_qr_codes_decode_to_the_absolute_village_page(tree, public_base):
    code = tree.village_a1.code
    svg = Client().get(f"/v/{code}/qr.svg")
    png = Client().get(f"/v/{code}/qr.png")
    assert svg["Content-Type"] == "image/svg+xml" and png["Content-Type"] == "image/png"
    assert decode_svg(svg.content) == [f"{BASE}/v/{code}/"]
    assert decode_png(png.content) == [f"{BASE}/v/{code}/"]


def test_qr_code_follows_the_public_base_url(tree, settings):
    settings.PUBLIC_BASE_URL = "http://192.0.2.7:9000"
    png = Client().get(f"/v/{tree.village_a2.code}/qr.png")
    assert decode_png(png.content) == [f"http://192.0.2.7:9000/v/{tree.village_a2.code}/"]


def test_codes_may_be_kept_by_browsers_and_proxies_for_hours(tree):
    for suffix in ("qr.svg", "qr.png"):
        control = Client().get(f"/v/{tree.village_a1.code}/{suffix}")["Cache-Control"]
        assert "public" in control and "max-age=21600" in control


@pytest.mark.parametrize("suffix", ["qr.svg", "qr.png", "sign.pdf"])
def test_unknown_code_or_a_region_that_is_no_village_is_404(tree, suffix):
    assert Client().get(f"/v/339901100299/{suffix}").status_code == 404
    assert Client().get(f"/v/{tree.town_a.code}/{suffix}").status_code == 404
    assert Client().get(f"/v/{tree.county.code}/{suffix}").status_code == 404


def test_sign_pdf_carries_a_code_to_the_page_and_the_facts_in_chinese(tree, public_base):
    tree.town_a.hotline = "0571-87654321"
    tree.town_a.save(update_fields=["hotline"])
    publish(3)
    checkpoint = checkpoint_latest()
    assert checkpoint is not None and checkpoint.size == 3
    response = Client().get(f"/v/{tree.village_a1.code}/sign.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert "public" in response["Cache-Control"]
    [page] = read_pdf(response.content)
    assert page.codes == [f"{BASE}/v/{tree.village_a1.code}/"]
    assert "上塘村" in page.text and "青山镇" in page.text and "0571-87654321" in page.text
    assert expected_checkpoint_line(tree.village_a1.code) in page.text  # size 3, short root


def expected_checkpoint_line(code: str) -> str:
    village = village_with_ancestors(code)
    assert village is not None
    sign = sign_for(village, checkpoint=checkpoint_latest(), printed_on=timezone.localdate())
    return checkpoint_text(sign)


def test_sign_shows_the_newest_checkpoint_not_a_cached_one(tree):
    url = f"/v/{tree.village_a1.code}/sign.pdf"
    publish(2)
    first = read_pdf(Client().get(url).content)[0]
    assert expected_checkpoint_line(tree.village_a1.code) in first.text
    publish(3)
    second = read_pdf(Client().get(url).content)[0]
    line = expected_checkpoint_line(tree.village_a1.code)
    assert line in second.text and line not in first.text


def test_sign_is_in_the_sites_language_whatever_the_reader_asks(tree, settings):
    with translation.override(settings.LANGUAGE_CODE):
        title = gettext("Code supervision")
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    [page] = read_pdf(client.get(f"/v/{tree.village_a1.code}/sign.pdf").content)
    assert page.lines[0] == title


def test_hotline_falls_back_to_the_county_then_is_left_out(tree):
    tree.county.hotline = "0571-12388000"
    tree.county.save(update_fields=["hotline"])
    [page] = read_pdf(Client().get(f"/v/{tree.village_b1.code}/sign.pdf").content)
    assert "0571-12388000" in page.text and "清河县" in page.text
    tree.county.hotline = ""
    tree.county.save(update_fields=["hotline"])
    [page] = read_pdf(Client().get(f"/v/{tree.village_b1.code}/sign.pdf").content)
    assert "0571-12388000" not in page.text and "清河县" not in page.text


def test_township_prints_one_page_per_village_in_code_order(tree, township_commission, public_base):
    response = client_for(township_commission).get(
        f"/work/disclosures/signs/{tree.town_a.code}.pdf"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "private" in response["Cache-Control"]
    pages = read_pdf(response.content)
    assert [p.codes for p in pages] == [
        [f"{BASE}/v/{tree.village_a1.code}/"],
        [f"{BASE}/v/{tree.village_a2.code}/"],
    ]
    assert "上塘村" in pages[0].text and "下塘村" in pages[1].text
    assert all("青山镇" in p.text for p in pages)
    assert not any("溪口村" in p.text for p in pages)  # township B's village


def test_township_signs_cost_fixed_queries(tree, township_commission):
    client = client_for(township_commission)
    url = f"/work/disclosures/signs/{tree.town_a.code}.pdf"
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    for n in range(3, 7):
        region(f"3399011002{n:02d}", f"新村{n}", RegionLevel.VILLAGE, tree.town_a)
    with CaptureQueriesContext(connection) as six:
        response = client.get(url)
    assert len(read_pdf(response.content)) == 6
    assert len(six.captured_queries) == len(two.captured_queries)


def test_township_signs_are_refused_outside_the_users_area(
    tree, outsider, village_cadre, county_officer
):
    url = f"/work/disclosures/signs/{tree.town_a.code}.pdf"
    assert client_for(outsider).get(url).status_code == 404  # the other township's staff
    assert client_for(village_cadre).get(url).status_code == 404  # below the township
    assert Client().get(url).status_code == 302  # to the login page
    assert client_for(county_officer).get(url).status_code == 200


@pytest.mark.parametrize("which", ["county", "village_a1"])
def test_township_signs_only_for_a_township(tree, county_officer, which):
    code = getattr(tree, which).code
    response = client_for(county_officer).get(f"/work/disclosures/signs/{code}.pdf")
    assert response.status_code == 404


def test_workbench_region_pages_link_to_the_signs(tree, township_commission):
    client = client_for(township_commission)
    township = client.get(f"/work/regions/{tree.town_a.code}/").content.decode()
    assert f'href="/work/disclosures/signs/{tree.town_a.code}.pdf"' in township
    village = client.get(f"/work/regions/{tree.village_a1.code}/").content.decode()
    assert f'href="/v/{tree.village_a1.code}/sign.pdf"' in village
    assert "/work/disclosures/signs/" not in village

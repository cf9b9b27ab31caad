"""The scoring slips as an A4 PDF: issued on the POST, read back as a person would
(PDFium for the text, zxing-cpp for the QR codes), and each code votes once."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from conftest import client_for
from qinglian.disclosures.tests.reading import read_pdf
from qinglian.meetings import services, tokens
from qinglian.meetings.models import AttendanceToken, Grade
from qinglian.meetings.slips_pdf import SlipSheet, slips_pdf
from qinglian.meetings.tests.helpers import meeting_with_reports

SCORE_URL = "https://qinglian.example.org/v/339901001001/meetings/7/score/"


def slips_url(meeting) -> str:
    return reverse("meetings_work:slips", kwargs={"pk": meeting.pk})


@pytest.mark.parametrize(("count", "pages"), [(1, 1), (8, 1), (9, 2), (17, 3)])
def test_eight_slips_fill_a_page(count, pages):
    codes = [f"{n:010d}" for n in range(count)]
    content = slips_pdf(SlipSheet("青莲村", "2026-Q3", SCORE_URL, codes))
    read = read_pdf(content, dpi=72)
    assert len(read) == pages
    assert [tokens.grouped(code) in read[i // 8].text for i, code in enumerate(codes)] == [
        True
    ] * count


def test_a_slips_pdf_needs_a_code():
    with pytest.raises(ValueError):
        slips_pdf(SlipSheet("青莲村", "2026-Q3", SCORE_URL, []))


def test_slips_as_pdf_carry_each_code_in_print_and_in_its_qr_code_and_vote_once(
    tree, village_cadre
):
    setting = meeting_with_reports(tree.village_a1)
    meeting = setting.meeting
    answer = client_for(village_cadre).post(slips_url(meeting), {"count": "10", "output": "pdf"})

    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert answer["Content-Disposition"].startswith("attachment;")
    assert "no-store" in answer["Cache-Control"]
    assert answer.content.startswith(b"%PDF")
    pages = read_pdf(answer.content)
    assert len(pages) == 2
    assert sum(len(page.codes) for page in pages) == 10
    score_url = "http://testserver" + reverse(
        "meetings:score", kwargs={"code": tree.village_a1.code, "pk": meeting.pk}
    )
    codes = []
    for page in pages:
        assert "2026-Q3" in page.text and tree.village_a1.name in page.text
        for address in page.codes:
            found = re.fullmatch(re.escape(score_url) + r"\?t=(\d{10})", address)
            assert found, address
            assert tokens.grouped(found[1]) in page.text  # printed for typing, too
            codes.append(found[1])
    assert len(set(codes)) == 10 and AttendanceToken.objects.filter(meeting=meeting).count() == 10

    grades: dict[int, str] = {setting.secretary.pk: Grade.EXCELLENT, setting.chair.pk: "basic"}
    for code in codes:
        assert services.ballot_cast(meeting=meeting, code=code, grades=grades) == 2
        with pytest.raises(services.TokenUsed):
            services.ballot_cast(meeting=meeting, code=code, grades=grades)
    assert not AttendanceToken.objects.filter(meeting=meeting, used_at__isnull=True).exists()


@pytest.mark.parametrize("persona", ["admin_operator", "other_village_cadre", "outsider"])
def test_only_the_meetings_writers_get_slips_as_pdf(tree, persona, request):
    meeting = meeting_with_reports(tree.village_a1).meeting
    user = request.getfixturevalue(persona)
    answer = client_for(user).post(slips_url(meeting), {"count": "3", "output": "pdf"})
    assert answer.status_code == 404
    assert not AttendanceToken.objects.exists()


def test_slips_without_a_choice_are_the_page_to_print(tree, village_cadre):
    meeting = meeting_with_reports(tree.village_a1).meeting
    answer = client_for(village_cadre).post(slips_url(meeting), {"count": "2"})
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/html")
    assert len(re.findall(r'data-code="(\d{10})"', answer.content.decode())) == 2


def test_slips_for_a_closed_meeting_are_refused_without_a_pdf(tree, village_cadre):
    meeting = meeting_with_reports(tree.village_a1).meeting
    services.meeting_close(actor=None, meeting=meeting)
    answer = client_for(village_cadre).post(slips_url(meeting), {"count": "2", "output": "pdf"})
    assert answer.status_code == 302
    assert not AttendanceToken.objects.exists()


def test_the_meeting_page_offers_the_slips_as_a_page_or_a_pdf(tree, village_cadre):
    meeting = meeting_with_reports(tree.village_a1).meeting
    page = client_for(village_cadre).get(
        reverse("meetings_work:meeting", kwargs={"pk": meeting.pk})
    )
    html = page.content.decode()
    assert 'name="output" value="page"' in html and 'name="output" value="pdf"' in html

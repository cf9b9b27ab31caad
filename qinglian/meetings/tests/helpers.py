"""Shared set-up for the meetings' tests: cadres in office and a meeting with reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from qinglian.directory.factories import PersonFactory
from qinglian.directory.models import Person, Post, Region, Term
from qinglian.meetings.models import SunshineMeeting
from qinglian.meetings.services import meeting_create, meeting_open, report_write

HELD_ON = date(2026, 7, 10)


def in_office(village: Region, name: str, post: str = Post.COMMITTEE_MEMBER) -> Person:
    person = PersonFactory.create(region=village, name=name)
    Term.objects.create(person=person, village=village, post=post, started_on=date(2021, 1, 1))
    return person


@dataclass
class Setting:
    meeting: SunshineMeeting
    secretary: Person
    chair: Person


def meeting_with_reports(village: Region, *, open_it: bool = True) -> Setting:
    secretary = in_office(village, "张书记", Post.PARTY_SECRETARY)
    chair = in_office(village, "李主任", Post.COMMITTEE_CHAIR)
    meeting = meeting_create(
        actor=None, village=village, quarter="2026-Q3", held_on=HELD_ON, place="村委会议室"
    )
    report_write(actor=None, meeting=meeting, cadre_id=secretary.pk, text="本季度修路两公里。")
    report_write(actor=None, meeting=meeting, cadre_id=chair.pk, text="本季度发放补贴。")
    if open_it:
        meeting_open(actor=None, meeting=meeting)
    return Setting(meeting=meeting, secretary=secretary, chair=chair)

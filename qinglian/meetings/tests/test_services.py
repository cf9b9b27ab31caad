from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from qinglian.core.models import AuditEvent
from qinglian.directory.models import Post, Term
from qinglian.meetings import scoring, selectors, services, tokens
from qinglian.meetings.models import (
    AnnualAppraisal,
    AppraisalSource,
    AttendanceToken,
    Commitment,
    Grade,
    MeetingState,
    Score,
)
from qinglian.meetings.tests.helpers import HELD_ON, in_office, meeting_with_reports
from qinglian.transparency.models import LogEntry
from qinglian.transparency.services import log_reverify

# The refusals are matched by their English text (the default language is Chinese).
pytestmark = pytest.mark.usefixtures("english")


def both(setting, grade: str = Grade.COMPETENT) -> dict[int, str]:
    return {setting.secretary.pk: grade, setting.chair.pk: grade}


def test_tokens_are_stored_only_as_keyed_hashes(tree):
    s = meeting_with_reports(tree.village_a1)
    codes = services.tokens_issue(actor=None, meeting=s.meeting, count=5)
    assert len(set(codes)) == 5 and all(len(c) == tokens.CODE_DIGITS for c in codes)
    stored = set(AttendanceToken.objects.values_list("code_hash", flat=True))
    assert stored == {tokens.code_hash(s.meeting.pk, c) for c in codes}
    assert not stored & set(codes)
    assert AuditEvent.objects.filter(verb="meeting.tokens_issued").count() == 1


def test_a_token_scores_each_cadre_once_and_a_second_use_is_refused(tree):
    s = meeting_with_reports(tree.village_a1)
    code = services.tokens_issue(actor=None, meeting=s.meeting, count=1)[0]
    assert services.ballot_cast(meeting=s.meeting, code=tokens.grouped(code), grades=both(s)) == 2
    with pytest.raises(services.TokenRefused, match="already been used"):
        services.ballot_cast(meeting=s.meeting, code=code, grades=both(s, Grade.INCOMPETENT))
    assert Score.objects.count() == 2
    assert not Score.objects.filter(grade=Grade.INCOMPETENT).exists()


def test_the_unique_constraint_refuses_a_token_that_raced_past_the_claim(tree):
    """Two requests that both read the token as unused: the constraint stops the second."""
    s = meeting_with_reports(tree.village_a1)
    code = services.tokens_issue(actor=None, meeting=s.meeting, count=1)[0]
    services.ballot_cast(meeting=s.meeting, code=code, grades=both(s))
    # The second request read the token before the first claimed it.
    AttendanceToken.objects.update(used_at=None)
    with pytest.raises(services.TokenRefused, match="already been used"):
        services.ballot_cast(meeting=s.meeting, code=code, grades=both(s, Grade.EXCELLENT))
    assert Score.objects.count() == 2
    token = AttendanceToken.objects.get()
    assert token.used_at is None  # the refused attempt's claim was rolled back with it
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(meeting=s.meeting, cadre=s.chair, token=token, grade="excellent")


def test_unknown_code_and_code_of_another_meeting_are_refused(tree):
    s = meeting_with_reports(tree.village_a1)
    services.tokens_issue(actor=None, meeting=s.meeting, count=1)
    other = meeting_with_reports(tree.village_a2)
    other_code = services.tokens_issue(actor=None, meeting=other.meeting, count=1)[0]
    for code in ("0000000000", other_code):
        with pytest.raises(services.TokenRefused, match="not one of this meeting"):
            services.ballot_cast(meeting=s.meeting, code=code, grades=both(s))


def test_a_ballot_must_score_every_reporting_cadre_with_a_known_grade(tree):
    s = meeting_with_reports(tree.village_a1)
    code = services.tokens_issue(actor=None, meeting=s.meeting, count=1)[0]
    with pytest.raises(services.TokenRefused, match="every cadre"):
        services.ballot_cast(meeting=s.meeting, code=code, grades={s.chair.pk: "competent"})
    with pytest.raises(services.TokenRefused, match="four grades"):
        services.ballot_cast(meeting=s.meeting, code=code, grades=both(s, "great"))
    assert AttendanceToken.objects.get().used_at is None


def test_scoring_only_while_open(tree):
    s = meeting_with_reports(tree.village_a1, open_it=False)
    code = services.tokens_issue(actor=None, meeting=s.meeting, count=1)[0]
    with pytest.raises(services.TokenRefused, match="not open"):
        services.ballot_cast(meeting=s.meeting, code=code, grades=both(s))
    services.meeting_open(actor=None, meeting=s.meeting)
    services.meeting_close(actor=None, meeting=s.meeting)
    with pytest.raises(services.TokenRefused, match="not open"):
        services.ballot_cast(meeting=s.meeting, code=code, grades=both(s))
    with pytest.raises(services.MeetingRefused):
        services.tokens_issue(actor=None, meeting=s.meeting, count=1)


def test_paper_tallies_add_to_the_phones_scores(tree):
    s = meeting_with_reports(tree.village_a1)
    for code in services.tokens_issue(actor=None, meeting=s.meeting, count=3):
        services.ballot_cast(meeting=s.meeting, code=code, grades=both(s, Grade.EXCELLENT))
    services.paper_tally_enter(
        actor=None,
        meeting=s.meeting,
        cadre_id=s.secretary.pk,
        counts={"excellent": 2, "competent": 4, "incompetent": 1},
    )
    by_cadre = {r.report.cadre_id: r for r in selectors.results(s.meeting)}
    secretary = by_cadre[s.secretary.pk]
    assert secretary.total == 10
    assert [(line.grade, line.count, line.percent) for line in secretary.lines] == [
        ("excellent", 5, 50),
        ("competent", 4, 40),
        ("basic", 0, 0),
        ("incompetent", 1, 10),
    ]
    assert secretary.satisfied_percent == 90
    assert by_cadre[s.chair.pk].total == 3
    # Entering again replaces the counts.
    services.paper_tally_enter(
        actor=None, meeting=s.meeting, cadre_id=s.secretary.pk, counts={"basic": 1}
    )
    assert selectors.counts_by_cadre(s.meeting)[s.secretary.pk] == {
        "excellent": 3,
        "competent": 0,
        "basic": 1,
        "incompetent": 0,
    }


def test_paper_tally_for_a_cadre_who_did_not_report_is_refused(tree):
    s = meeting_with_reports(tree.village_a1)
    stranger = in_office(tree.village_a1, "赵会计", Post.BOOKKEEPER)
    with pytest.raises(services.MeetingRefused, match="did not report"):
        services.paper_tally_enter(
            actor=None, meeting=s.meeting, cadre_id=stranger.pk, counts={"excellent": 1}
        )


def test_a_report_needs_a_cadre_in_office_on_the_day(tree):
    s = meeting_with_reports(tree.village_a1, open_it=False)
    gone = in_office(tree.village_a1, "钱前任")
    Term.objects.filter(person=gone).update(ended_on=date(2025, 12, 31))
    with pytest.raises(services.MeetingRefused, match="held no post"):
        services.report_write(actor=None, meeting=s.meeting, cadre_id=gone.pk, text="述职")


def test_one_meeting_per_village_and_quarter_and_the_quarter_is_checked(tree):
    meeting_with_reports(tree.village_a1)
    with pytest.raises(services.MeetingRefused, match="already has"):
        services.meeting_create(
            actor=None, village=tree.village_a1, quarter="2026-Q3", held_on=HELD_ON, place="x"
        )
    with pytest.raises(services.MeetingRefused, match="2026-Q3"):
        services.meeting_create(
            actor=None, village=tree.village_a1, quarter="2026-3", held_on=HELD_ON, place="x"
        )


def test_late_commitments_are_flagged(tree):
    s = meeting_with_reports(tree.village_a1)
    deadline = date(2026, 8, 31)

    def make(text: str) -> Commitment:
        return services.commitment_make(
            actor=None, meeting=s.meeting, text=text, owner_id=s.chair.pk, deadline=deadline
        )

    on_time, done_late, open_late = make("修路灯"), make("清理水渠"), make("公开账目")
    services.commitment_complete(
        actor=None, commitment=on_time, done_on=date(2026, 8, 1), evidence="照片存档"
    )
    services.commitment_complete(
        actor=None, commitment=done_late, done_on=date(2026, 9, 5), evidence="验收单"
    )
    today = date(2026, 9, 10)
    late = selectors.commitments_late(s.meeting.commitments.all(), today)
    assert set(late) == {done_late, open_late}
    assert [selectors.commitment_is_late(c, today) for c in (on_time, done_late, open_late)] == [
        False,
        True,
        True,
    ]
    assert not selectors.commitments_late(s.meeting.commitments.all(), deadline).filter(
        pk=open_late.pk
    )
    with pytest.raises(services.MeetingRefused, match="already recorded"):
        services.commitment_complete(
            actor=None, commitment=on_time, done_on=date(2026, 8, 2), evidence="再来一次"
        )


def test_a_commitment_needs_evidence_and_a_deadline_after_the_meeting(tree):
    s = meeting_with_reports(tree.village_a1)
    with pytest.raises(services.MeetingRefused, match="before the meeting"):
        services.commitment_make(
            actor=None,
            meeting=s.meeting,
            text="修路",
            owner_id=s.chair.pk,
            deadline=date(2026, 1, 1),
        )
    c = services.commitment_make(
        actor=None, meeting=s.meeting, text="修路", owner_id=s.chair.pk, deadline=date(2026, 9, 1)
    )
    with pytest.raises(services.MeetingRefused, match="shows it is done"):
        services.commitment_complete(
            actor=None, commitment=c, done_on=date(2026, 8, 1), evidence=" "
        )


def test_publication_enters_the_log_and_reverifies(tree):
    s = meeting_with_reports(tree.village_a1)
    services.inquiry_record(
        actor=None,
        meeting=s.meeting,
        question="路灯什么时候修？",
        answer="九月底前",
        answered_by_id=s.chair.pk,
    )
    commitment = services.commitment_make(
        actor=None,
        meeting=s.meeting,
        text="修路灯",
        owner_id=s.chair.pk,
        deadline=date(2026, 9, 30),
    )
    for code in services.tokens_issue(actor=None, meeting=s.meeting, count=2):
        services.ballot_cast(meeting=s.meeting, code=code, grades=both(s))
    with pytest.raises(services.MeetingRefused, match="Close the scoring"):
        services.meeting_publish(actor=None, meeting=s.meeting)
    services.meeting_close(actor=None, meeting=s.meeting)
    meeting = services.meeting_publish(actor=None, meeting=s.meeting)
    assert meeting.state == MeetingState.PUBLISHED and meeting.published_at
    entry = LogEntry.objects.get(record_type=services.SUNSHINE_MEETING_RECORD)
    assert entry.record_id == str(meeting.pk)
    assert entry.region_path == tree.village_a1.path
    # Completing a commitment later does not change the published record.
    services.commitment_complete(
        actor=None, commitment=commitment, done_on=date(2026, 9, 1), evidence="照片"
    )
    assert log_reverify() == []
    with pytest.raises(services.MeetingRefused):
        services.paper_tally_enter(
            actor=None, meeting=meeting, cadre_id=s.chair.pk, counts={"excellent": 9}
        )
    with pytest.raises(services.MeetingRefused):
        services.inquiry_record(actor=None, meeting=meeting, question="还有问题")


def test_rating_from_counts_needs_a_majority_for_incompetent():
    assert scoring.rating_from_counts({}) is None
    assert scoring.rating_from_counts({"incompetent": 3, "competent": 2}) == "incompetent"
    assert scoring.rating_from_counts({"incompetent": 2, "competent": 2}) == "competent"
    assert scoring.rating_from_counts({"excellent": 2, "competent": 2}) == "competent"
    assert scoring.rating_from_counts({"excellent": 3, "basic": 1}) == "excellent"


def test_appraisal_from_the_years_published_meetings(tree):
    s = meeting_with_reports(tree.village_a1)
    for code in services.tokens_issue(actor=None, meeting=s.meeting, count=3):
        services.ballot_cast(meeting=s.meeting, code=code, grades=both(s, Grade.INCOMPETENT))
    with pytest.raises(services.MeetingRefused, match="No published meeting"):
        services.appraisal_record(
            actor=None, village=tree.village_a1, year=2026, cadre_id=s.chair.pk
        )
    services.meeting_close(actor=None, meeting=s.meeting)
    services.meeting_publish(actor=None, meeting=s.meeting)
    appraisal = services.appraisal_record(
        actor=None, village=tree.village_a1, year=2026, cadre_id=s.chair.pk
    )
    assert (appraisal.rating, appraisal.source) == ("incompetent", AppraisalSource.MEETINGS)


def test_two_consecutive_incompetent_years_raise_the_alert_and_one_does_not(
    tree, township_commission, village_cadre, other_village_cadre
):
    chair = in_office(tree.village_a1, "李主任")
    other = in_office(tree.village_a1, "周委员")

    def rate(cadre, year: int, rating: str) -> None:
        services.appraisal_record(
            actor=None, village=tree.village_a1, year=year, cadre_id=cadre.pk, rating=rating
        )

    rate(chair, 2024, "incompetent")
    rate(chair, 2025, "basic")
    rate(other, 2025, "incompetent")
    assert selectors.appraisal_alerts_for_user(township_commission) == []
    rate(chair, 2026, "incompetent")  # 2024 and 2026 are not consecutive
    assert selectors.appraisal_alerts_for_user(township_commission) == []
    rate(other, 2026, "incompetent")
    alerts = selectors.appraisal_alerts_for_user(township_commission)
    assert [(a.cadre, a.years) for a in alerts] == [(other, (2025, 2026))]
    assert selectors.appraisal_alerts_for_user(village_cadre)  # the village sees it too
    assert selectors.appraisal_alerts_for_user(other_village_cadre) == []
    assert AnnualAppraisal.objects.filter(source=AppraisalSource.ENTERED).count() == 5


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real parallel voters need PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_parallel_ballots_with_one_code_store_one(tree):
    s = meeting_with_reports(tree.village_a1)
    code = services.tokens_issue(actor=None, meeting=s.meeting, count=1)[0]
    phones = 6
    barrier = threading.Barrier(phones)
    outcomes: list[str] = []

    def vote(grade: str) -> None:
        try:
            barrier.wait()
            services.ballot_cast(meeting=s.meeting, code=code, grades=both(s, grade))
            outcomes.append("stored")
        except services.TokenUsed:
            outcomes.append("refused")
        except BaseException as error:  # pragma: no cover - reported by the assertion
            outcomes.append(repr(error))
        finally:
            connection.close()

    grades = ["excellent", "competent", "basic", "incompetent", "excellent", "competent"]
    threads = [threading.Thread(target=vote, args=(g,)) for g in grades]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused"] * (phones - 1) + ["stored"]
    assert Score.objects.count() == 2
    assert len(set(Score.objects.values_list("grade", flat=True))) == 1


def test_once_scoring_has_started_a_report_is_corrected_but_no_cadre_added(tree):
    s = meeting_with_reports(tree.village_a1)
    late = in_office(tree.village_a1, "吴委员")
    with pytest.raises(services.MeetingRefused, match="no cadre added"):
        services.report_write(actor=None, meeting=s.meeting, cadre_id=late.pk, text="补充述职")
    report = services.report_write(
        actor=None, meeting=s.meeting, cadre_id=s.chair.pk, text="更正：发放补贴三十户。"
    )
    assert report.text == "更正：发放补贴三十户。" and s.meeting.reports.count() == 2

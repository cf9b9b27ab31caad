"""Shared set-up for the mailbox's tests: cadres in office and commission keys."""

from __future__ import annotations

from datetime import date

from qinglian.appeals.models import SealingKey
from qinglian.appeals.services import sealing_key_create
from qinglian.directory.models import Person, Post, Region, Term

PASSPHRASE = "青山镇纪委 correct horse"


def in_office(person: Person, village: Region, post: str = Post.DUAL_HEAD) -> Person:
    Term.objects.create(person=person, village=village, post=post, started_on=date(2021, 1, 1))
    return person


def commission_keys(*regions: Region) -> list[SealingKey]:
    return [sealing_key_create(actor=None, region=r, passphrase=PASSPHRASE) for r in regions]

"""Factories for tests and the demo: valid division codes and ID numbers, deterministic."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import factory
from django.conf import settings
from stdnum.cn import ric

from qinglian.directory.codes import parse_id_number
from qinglian.directory.models import Person, Region, RegionLevel

_sequence = itertools.count(1)


def make_id_number(area: str, born: date, sequence: int, *, female: bool = False) -> str:
    """A valid 18-character ID number (correct GB 11643 check digit)."""
    seq = (sequence * 2 + (0 if female else 1)) % 1000  # odd sequence digit = male
    body = f"{area[:6]}{born:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def region(code: str, name: str, level: str, parent: Region | None = None) -> Region:
    from qinglian.directory.codes import region_path

    return Region.objects.create(
        code=code, path=region_path(code, level), level=level, name=name, parent=parent
    )


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    """A person in ``region`` with a valid, unique ID number."""

    class Meta:
        model = Person
        exclude = ["id_number"]

    region = factory.LazyFunction(lambda: Region.objects.filter(level=RegionLevel.VILLAGE).first())
    region_path = factory.LazyAttribute(lambda o: o.region.path)
    name = factory.Sequence(lambda n: f"测试{n:04d}")
    birth_date = factory.Sequence(lambda n: date(1950, 1, 1) + timedelta(days=(n * 37) % 20000))
    id_number = factory.LazyAttribute(
        lambda o: make_id_number(o.region.code, o.birth_date, next(_sequence))
    )
    id_hash = factory.LazyAttribute(
        lambda o: parse_id_number(o.id_number, key=settings.PII_HASH_KEY).keyed_hash
    )
    id_masked = factory.LazyAttribute(
        lambda o: parse_id_number(o.id_number, key=settings.PII_HASH_KEY).masked
    )
    gender = factory.LazyAttribute(
        lambda o: parse_id_number(o.id_number, key=settings.PII_HASH_KEY).gender
    )
    phone = factory.Sequence(lambda n: f"138{n:08d}")

"""Writing the demo county: the plans of ``planning`` stored in bulk, in one transaction.

People are stored exactly as ``person_register`` stores them (keyed hash and
masked form of the ID number, gender and birth date read from it), but a few
thousand rows per INSERT instead of one service call each, so that a county of
ten thousand villages builds in minutes. One audit event records the build.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time
from itertools import islice
from typing import Any

from django.conf import settings
from django.db import models, transaction

from qinglian.accounts.models import User
from qinglian.core.audit import audit_record
from qinglian.core.errors import DomainError
from qinglian.core.models import AuditEvent
from qinglian.demo.accounts import (
    DEMO_USERNAMES,
    AccountHolder,
    Holder,
    Scope,
    demo_accounts_create,
)
from qinglian.demo.appeals import AppealsBuild, demo_appeals_build
from qinglian.demo.disclosures import (
    DEFAULT_DISCLOSURE_MONTHS,
    DisclosuresBuild,
    demo_disclosures_build,
)
from qinglian.demo.finance import DEFAULT_FINANCE_MONTHS, FinanceBuild, demo_finance_build
from qinglian.demo.layout import COUNTY_CODE, DEFAULT_VILLAGES, CountyLayout, county_layout
from qinglian.demo.matters import MattersBuild, demo_matters_build
from qinglian.demo.meetings import MeetingsBuild, demo_meetings_build
from qinglian.demo.names import NameDrawer
from qinglian.demo.planning import (
    DEFAULT_PEOPLE_PER_VILLAGE,
    DEFAULT_SEED,
    VillagePlan,
    village_plans,
)
from qinglian.directory.codes import parse_id_number, region_path
from qinglian.directory.models import (
    RELATION_DEGREE,
    Company,
    Household,
    Person,
    Post,
    Region,
    RegionLevel,
    RelativeDeclaration,
    Shareholding,
    Term,
    subtree_q,
)
from qinglian.transparency.records import cadre_term_line
from qinglian.transparency.services import Publication, log_append_many

BUILT_VERB = "demo.built"
BATCH_SIZE = 2000  # rows per INSERT where the database allows (SQLite caps it lower)
_PEOPLE_PER_FLUSH = 20_000  # villages are written in chunks of about this many people

# Told (villages written, villages in all) each time another tenth of the villages is written.
ProgressReport = Callable[[int, int], None]


class DemoCountyExists(DomainError):
    """The demo county is already in the database."""


@dataclass
class DemoCounts:
    townships: int = 0
    villages: int = 0
    villager_groups: int = 0
    households: int = 0
    people: int = 0
    cadres: int = 0  # people holding a post now
    terms: int = 0
    relatives_declared: int = 0
    companies: int = 0
    shareholdings: int = 0
    planted_conflicts: int = 0  # companies owned or run by a cadre's declared relative
    published: int = 0  # cadre roster lines appended to the publication log

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True)
class PlantedConflictRow:
    """A planted irregularity, in the words the red-flag reviewer will look for."""

    company: str
    credit_code: str
    village: str
    cadre: str
    post: str
    relative: str
    relation: str
    route: str


@dataclass
class DemoBuild:
    county: Region
    counts: DemoCounts
    planted: list[PlantedConflictRow] = field(default_factory=list)
    finance: FinanceBuild | None = None  # None when built without books
    disclosures: DisclosuresBuild | None = None  # None when built without them
    appeals: AppealsBuild | None = None  # the mailbox's keys and cases
    meetings: MeetingsBuild | None = None  # the first village's sunshine meetings
    matters: MattersBuild | None = None  # the first township's power-list matters


def demo_county_find() -> Region | None:
    return Region.objects.filter(code=COUNTY_CODE).first()


def demo_build_record(*, county: Region) -> dict[str, Any]:
    """What the audit event of the build recorded: counts, seed, planted credit codes."""
    event = (
        AuditEvent.objects.filter(
            verb=BUILT_VERB, target_type=county._meta.label_lower, target_id=str(county.pk)
        )
        .order_by("id")
        .first()
    )
    return dict(event.data) if event is not None else {}


def _chunks(plans: Iterable[VillagePlan], *, people: int) -> Iterator[list[VillagePlan]]:
    villages_per_chunk = max(1, _PEOPLE_PER_FLUSH // people)
    iterator = iter(plans)
    while chunk := list(islice(iterator, villages_per_chunk)):
        yield chunk


def _create_regions(layout: CountyLayout) -> tuple[Region, dict[str, Region]]:
    """The county and every region below it; returns the county and all regions by code."""
    county = Region.objects.create(
        code=layout.code,
        path=region_path(layout.code, RegionLevel.COUNTY),
        level=RegionLevel.COUNTY,
        name=layout.name,
    )
    townships = Region.objects.bulk_create(
        [
            Region(
                code=t.code,
                path=region_path(t.code, RegionLevel.TOWNSHIP),
                level=RegionLevel.TOWNSHIP,
                name=t.name,
                parent=county,
            )
            for t in layout.townships
        ],
        batch_size=BATCH_SIZE,
    )
    villages = Region.objects.bulk_create(
        [
            Region(
                code=v.code,
                path=region_path(v.code, RegionLevel.VILLAGE),
                level=RegionLevel.VILLAGE,
                name=v.name,
                parent=township,
            )
            for spec, township in zip(layout.townships, townships, strict=True)
            for v in spec.villages
        ],
        batch_size=BATCH_SIZE,
    )
    by_code = {region.code: region for region in [*townships, *villages]}
    groups = Region.objects.bulk_create(
        [
            Region(
                code=g.code,
                path=region_path(g.code, RegionLevel.VILLAGER_GROUP),
                level=RegionLevel.VILLAGER_GROUP,
                name=g.name,
                parent=by_code[v.code],
            )
            for v in layout.villages
            for g in v.groups
        ],
        batch_size=BATCH_SIZE,
    )
    by_code.update((region.code, region) for region in groups)
    if any(region.pk is None for region in groups[:1] + villages[:1]):
        raise RuntimeError("the database did not return the ids of bulk-created rows")
    return county, by_code


def _bulk_create(model: type[models.Model], rows: list[Any]) -> list[Any]:
    return model._default_manager.bulk_create(rows, batch_size=BATCH_SIZE)


class _ChunkWriter:
    """Writes the plans of a few villages: households, people, terms, relatives, companies."""

    def __init__(
        self,
        *,
        regions: dict[str, Region],
        counts: DemoCounts,
        key: str,
        account_villages: dict[str, Scope],
    ) -> None:
        self.regions = regions
        self.counts = counts
        self.key = key
        self.account_villages = account_villages  # village code: the scope its accounts have
        self.planted: list[PlantedConflictRow] = []
        self.holders: dict[tuple[Scope, Holder], AccountHolder] = {}

    def write(self, plans: list[VillagePlan]) -> None:
        households = _bulk_create(
            Household,
            [
                Household(
                    village_id=self.regions[plan.village.code].pk,
                    group_id=self.regions[plan.village.groups[household.group].code].pk,
                    number=household.number,
                    address=household.address,
                )
                for plan in plans
                for household in plan.population.households
            ],
        )
        people = _bulk_create(Person, list(self._people(plans, households)))
        offset = 0
        terms: list[Term] = []
        declarations: list[RelativeDeclaration] = []
        companies: list[Company] = []
        owners: list[list[tuple[int, Any]]] = []  # per company: (person pk, percent)
        for plan in plans:
            village = self.regions[plan.village.code]
            local = people[offset : offset + len(plan.population.people)]
            pks = [person.pk for person in local]
            offset += len(local)
            terms += [
                Term(
                    person_id=pks[term.person],
                    village_id=village.pk,
                    post=term.post,
                    started_on=term.started_on,
                    ended_on=term.ended_on,
                )
                for term in plan.cadres.terms
            ]
            declarations += [
                RelativeDeclaration(
                    person_id=pks[d.person],
                    relative_id=pks[d.relative],
                    relation=d.relation,
                    degree=RELATION_DEGREE[d.relation],
                    declared_on=d.declared_on,
                )
                for d in plan.cadres.relatives
            ]
            for company in plan.companies:
                region = village.parent if company.at_township else village
                assert region is not None
                companies.append(
                    Company(
                        name=company.name,
                        credit_code=company.credit_code,
                        region_id=region.pk,
                        region_path=region.path,
                        legal_representative_id=pks[company.legal_representative]
                        if company.legal_representative is not None
                        else None,
                        is_contractor=company.is_contractor,
                    )
                )
                owners.append([(pks[s.person], s.percent) for s in company.shareholdings])
                if company.planted is not None:
                    conflict = company.planted
                    self.planted.append(
                        PlantedConflictRow(
                            company=company.name,
                            credit_code=company.credit_code,
                            village=village.name,
                            cadre=local[conflict.cadre].name,
                            post=conflict.post.value,
                            relative=local[conflict.relative].name,
                            relation=conflict.relation.value,
                            route=conflict.route.value,
                        )
                    )
            self.counts.cadres += len(plan.cadres.current)
            if plan.village.code in self.account_villages:
                self._remember_holders(plan, local)
        _bulk_create(Term, terms)
        _bulk_create(RelativeDeclaration, declarations)
        companies = _bulk_create(Company, companies)
        shareholdings = _bulk_create(
            Shareholding,
            [
                Shareholding(company_id=company.pk, person_id=person_pk, percent=percent)
                for company, holdings in zip(companies, owners, strict=True)
                for person_pk, percent in holdings
            ],
        )
        counts = self.counts
        counts.households += len(households)
        counts.people += len(people)
        counts.terms += len(terms)
        counts.relatives_declared += len(declarations)
        counts.companies += len(companies)
        counts.shareholdings += len(shareholdings)
        counts.planted_conflicts = len(self.planted)

    def _people(self, plans: list[VillagePlan], households: list[Household]) -> Iterator[Person]:
        key = self.key
        offset = 0
        for plan in plans:
            village = self.regions[plan.village.code]
            local = households[offset : offset + len(plan.population.households)]
            offset += len(local)
            for person in plan.population.people:
                identity = parse_id_number(person.id_number, key=key)
                yield Person(
                    region_id=village.pk,
                    region_path=village.path,
                    household_id=local[person.household].pk,
                    is_household_head=person.is_household_head,
                    name=person.name,
                    gender=identity.gender,
                    birth_date=date.fromisoformat(identity.birth_date_iso),
                    id_hash=identity.keyed_hash,
                    id_masked=identity.masked,
                    phone=person.phone,
                    is_party_member=person.is_party_member,
                )

    def _remember_holders(self, plan: VillagePlan, local: list[Person]) -> None:
        chair = plan.cadres.holder_of(Post.SUPERVISION_CHAIR)
        for holder, index in (
            (Holder.VILLAGE_HEAD, plan.cadres.head),
            (Holder.SUPERVISION_CHAIR, chair),
        ):
            if index is None:
                continue
            person = plan.population.people[index]
            self.holders[(self.account_villages[plan.village.code], holder)] = AccountHolder(
                person=local[index], surname=person.surname, given_name=person.given_name
            )


def _publish_rosters(county: Region) -> int:
    """Publish every village's current cadre roster to the log, as a village would."""
    current = (
        Term.objects.filter(subtree_q("village__path", [county.path]), ended_on__isnull=True)
        .select_related("person", "village")
        .order_by("village__path", "post", "pk")
    )
    publications = [
        Publication(
            record_type="cadre_term",
            record_id=str(term.pk),
            region_path=term.village.path,
            content=cadre_term_line(term),
            published_at=datetime.combine(term.started_on, time(1, 0), tzinfo=UTC),
        )
        for term in current.iterator(chunk_size=5000)
    ]
    log_append_many(publications)
    return len(publications)


def _staff_names(seed: int) -> dict[str, tuple[str, str]]:
    """(surname, given name) for the accounts that belong to no villager."""
    drawer = NameDrawer(random.Random(f"qinglian-demo:{seed}:staff"))
    names: dict[str, tuple[str, str]] = {}
    for username in DEMO_USERNAMES:
        female = drawer.rng.random() < 0.4
        names[username] = (drawer.surname(), drawer.given_name(female=female))
    return names


@transaction.atomic
def demo_county_build(
    *,
    seed: int = DEFAULT_SEED,
    villages: int = DEFAULT_VILLAGES,
    people_per_village: int = DEFAULT_PEOPLE_PER_VILLAGE,
    progress: ProgressReport | None = None,
    finance_months: int = DEFAULT_FINANCE_MONTHS,
    disclosure_months: int = DEFAULT_DISCLOSURE_MONTHS,
) -> DemoBuild:
    """Build the demo county 清河县 with its people, cadres, companies and accounts.

    Then, unless ``finance_months`` is 0, every village's books, registers and
    contracts (``demo.finance``), with that many months of vouchers; and unless
    ``disclosure_months`` is 0, every village's other disclosures over that many
    months (``demo.disclosures``); then the mass mailbox's commission keys and
    thirteen months of cases (``demo.appeals``), asking about the monthly lists;
    then the first village's sunshine meetings (``demo.meetings``) and the first
    township's power-list matters in every state (``demo.matters``).

    Refuses (``DemoCountyExists``) when the county is already there, and
    ``DomainError`` when a demo username is taken, before writing anything.
    """
    if demo_county_find() is not None:
        raise DemoCountyExists("demo county already built")
    taken = sorted(
        User.objects.filter(username__in=DEMO_USERNAMES).values_list("username", flat=True)
    )
    if taken:
        raise DomainError(f"demo usernames already in use: {', '.join(taken)}", field="username")
    layout = county_layout(villages=villages, seed=seed)
    county, regions = _create_regions(layout)
    counts = DemoCounts(
        townships=len(layout.townships),
        villages=villages,
        villager_groups=sum(len(v.groups) for v in layout.villages),
    )
    first_township = layout.townships[0]
    first_village, second_village = first_township.villages[:2]
    writer = _ChunkWriter(
        regions=regions,
        counts=counts,
        key=settings.PII_HASH_KEY,
        account_villages={
            first_village.code: Scope.FIRST_VILLAGE,
            second_village.code: Scope.SECOND_VILLAGE,
        },
    )
    written = reported_tenths = 0
    plans = village_plans(layout=layout, seed=seed, people_per_village=people_per_village)
    for chunk in _chunks(plans, people=people_per_village):
        writer.write(chunk)
        written += len(chunk)
        if progress is not None and written * 10 // villages > reported_tenths:
            reported_tenths = written * 10 // villages
            progress(written, villages)
    demo_accounts_create(
        regions={
            Scope.COUNTY: county,
            Scope.FIRST_TOWNSHIP: regions[first_township.code],
            Scope.FIRST_VILLAGE: regions[first_village.code],
            Scope.SECOND_VILLAGE: regions[second_village.code],
        },
        holders=writer.holders,
        staff_names=_staff_names(seed),
    )
    counts.published = _publish_rosters(county)
    finance = (
        demo_finance_build(county=county, seed=seed, months=finance_months)
        if finance_months
        else None
    )
    disclosures = (
        demo_disclosures_build(county=county, seed=seed, months=disclosure_months)
        if disclosure_months
        else None
    )
    appeals = demo_appeals_build(county=county, seed=seed)
    meetings = demo_meetings_build(county=county, seed=seed)
    matters = demo_matters_build(county=county, seed=seed)
    audit_record(
        actor=None,
        verb=BUILT_VERB,
        target=county,
        region_path=county.path,
        data={
            **counts.as_dict(),
            "seed": seed,
            "people_per_village": people_per_village,
            "finance_months": finance_months,
            "disclosure_months": disclosure_months,
            "planted": [row.credit_code for row in writer.planted[:50]],
        },
    )
    return DemoBuild(
        county=county,
        counts=counts,
        planted=writer.planted,
        finance=finance,
        disclosures=disclosures,
        appeals=appeals,
        meetings=meetings,
        matters=matters,
    )

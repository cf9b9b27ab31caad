"""The demo's log-ins: one account per persona, all with the same published password."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from qinglian.accounts.models import Role, RoleAssignment, User
from qinglian.directory.models import Person, Region

DEMO_PASSWORD = "qinglian-demo"  # noqa: S105 - published on purpose: it opens a fictional county


class Scope(StrEnum):
    """Where in the demo county an account's role lies."""

    COUNTY = "county"
    FIRST_TOWNSHIP = "first township"
    FIRST_VILLAGE = "first village"
    SECOND_VILLAGE = "second village"


class Holder(StrEnum):
    """Which villager an account belongs to."""

    VILLAGE_HEAD = "party secretary or dual head"
    SUPERVISION_CHAIR = "supervision committee chair"


@dataclass(frozen=True)
class DemoAccountSpec:
    username: str
    role: Role
    scope: Scope
    holder: Holder | None = None  # the person of the scope's village this account belongs to
    is_operator: bool = False  # staff and superuser: the Django admin


DEMO_ACCOUNTS: tuple[DemoAccountSpec, ...] = (
    DemoAccountSpec("admin", Role.ADMIN, Scope.COUNTY, is_operator=True),
    DemoAccountSpec("county", Role.COUNTY_DISCIPLINE, Scope.COUNTY),
    DemoAccountSpec("township", Role.TOWN_DISCIPLINE, Scope.FIRST_TOWNSHIP),
    DemoAccountSpec("village", Role.VILLAGE_CADRE, Scope.FIRST_VILLAGE, Holder.VILLAGE_HEAD),
    DemoAccountSpec("village2", Role.VILLAGE_CADRE, Scope.SECOND_VILLAGE, Holder.VILLAGE_HEAD),
    DemoAccountSpec(
        "supervisor", Role.SUPERVISION_COMMITTEE, Scope.FIRST_VILLAGE, Holder.SUPERVISION_CHAIR
    ),
)
DEMO_USERNAMES = tuple(spec.username for spec in DEMO_ACCOUNTS)


@dataclass(frozen=True)
class AccountHolder:
    """A person an account is linked to, with their name split as the User model keeps it."""

    person: Person
    surname: str
    given_name: str


@dataclass(frozen=True)
class DemoAccountRow:
    """One line of the account table printed for operators."""

    username: str
    password: str
    role: str
    region: str
    name: str


def demo_accounts_create(
    *,
    regions: dict[Scope, Region],
    holders: dict[tuple[Scope, Holder], AccountHolder],
    staff_names: dict[str, tuple[str, str]],
) -> list[User]:
    """Create the demo accounts with their roles; ``staff_names`` names those without a person.

    Passwords are hashed with the configured hasher (Argon2), a fraction of a
    second each.
    """
    users: list[User] = []
    for spec in DEMO_ACCOUNTS:
        holder = None
        if spec.holder is not None:
            holder = holders.get((spec.scope, spec.holder))
            if holder is None:
                raise LookupError(f"no {spec.holder} in the {spec.scope} for {spec.username!r}")
        if holder is not None:
            last_name, first_name = holder.surname, holder.given_name
        else:
            last_name, first_name = staff_names[spec.username]
        user = User.objects.create_user(
            username=spec.username,
            password=DEMO_PASSWORD,
            first_name=first_name,
            last_name=last_name,
            person=holder.person if holder is not None else None,
            is_staff=spec.is_operator,
            is_superuser=spec.is_operator,
        )
        RoleAssignment.objects.create(user=user, role=spec.role, region=regions[spec.scope])
        users.append(user)
    return users


def demo_account_rows() -> list[DemoAccountRow]:
    """The demo accounts as they stand in the database, in the order they were made."""
    assignments = {
        (assignment.user.username, assignment.role): assignment
        for assignment in RoleAssignment.objects.filter(
            user__username__in=DEMO_USERNAMES
        ).select_related("user", "region")
    }
    rows: list[DemoAccountRow] = []
    for spec in DEMO_ACCOUNTS:
        assignment = assignments.get((spec.username, spec.role))
        if assignment is None:
            continue
        user = assignment.user
        rows.append(
            DemoAccountRow(
                username=spec.username,
                password=DEMO_PASSWORD,
                role=spec.role.value,
                region=f"{assignment.region.name} {assignment.region.code}",
                name=f"{user.last_name}{user.first_name}",
            )
        )
    return rows

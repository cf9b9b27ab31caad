"""`qinglian demo`: build the fictional county 清河县 once, then print how to log in.

Then every village gets two years of books, registers and contracts
(`qinglian.demo.finance`), unless `--no-finance` (or `--finance-months 0`), and
two years of its other disclosures (`qinglian.demo.disclosures`), unless
`--disclosure-months 0`; then the mass mailbox: the commissions' sealing keys
(the passphrase is printed under the accounts) and thirteen months of cases
(`qinglian.demo.appeals`).

Idempotent: when the county is already there it changes nothing but the books
of villages that have none yet (a county built without them, or by an older
version), and prints the account table again. `--villages` and
`--people-per-village` make a larger county for benchmarks; `--seed` picks
another county of the same shape.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from qinglian.core.errors import DomainError
from qinglian.demo.accounts import demo_account_rows
from qinglian.demo.appeals import (
    DEMO_PASSPHRASE,
    AppealsBuild,
    demo_appeals_build,
    demo_sealing_keys,
)
from qinglian.demo.builder import (
    DemoCountyExists,
    demo_build_record,
    demo_county_build,
    demo_county_find,
)
from qinglian.demo.disclosures import (
    DEFAULT_DISCLOSURE_MONTHS,
    MAX_DISCLOSURE_MONTHS,
    DisclosuresBuild,
    demo_disclosures_build,
)
from qinglian.demo.finance import (
    DEFAULT_FINANCE_MONTHS,
    MAX_FINANCE_MONTHS,
    FinanceBuild,
    demo_finance_build,
)
from qinglian.demo.layout import DEFAULT_VILLAGES, MAX_VILLAGES, MIN_VILLAGES
from qinglian.demo.planning import DEFAULT_PEOPLE_PER_VILLAGE, DEFAULT_SEED, MIN_PEOPLE_PER_VILLAGE
from qinglian.demo.report import (
    account_table,
    appeals_counts_table,
    counts_table,
    disclosure_counts_table,
    finance_counts_table,
    planted_appeals_table,
    planted_disclosure_table,
    planted_finance_table,
    planted_table,
    sealing_key_table,
)

MAX_PEOPLE_PER_VILLAGE = 5000
PLANTED_SHOWN = 20


class Command(BaseCommand):
    help = "Build the fictional demo county 清河县 with its people, cadres, companies and log-ins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--villages",
            type=int,
            default=DEFAULT_VILLAGES,
            help=f"villages in the county, {MIN_VILLAGES} to {MAX_VILLAGES} (default %(default)s)",
        )
        parser.add_argument(
            "--people-per-village",
            type=int,
            default=DEFAULT_PEOPLE_PER_VILLAGE,
            help=f"villagers in each village (default {DEFAULT_PEOPLE_PER_VILLAGE})",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help="the same seed builds the same county (default %(default)s)",
        )
        parser.add_argument(
            "--finance-months",
            type=int,
            default=DEFAULT_FINANCE_MONTHS,
            help=_(
                "months of village books, ending October 2026, 0 to %(max)d (default %(default)d)"
            )
            % {"max": MAX_FINANCE_MONTHS, "default": DEFAULT_FINANCE_MONTHS},
        )
        parser.add_argument(
            "--no-finance",
            action="store_true",
            help=_("build no books, registers or contracts (the same as --finance-months 0)"),
        )
        parser.add_argument(
            "--disclosure-months",
            type=int,
            default=DEFAULT_DISCLOSURE_MONTHS,
            help=_(
                "months of the villages' other disclosures, up to 20 November 2026, "
                "0 to %(max)d (default %(default)d)"
            )
            % {"max": MAX_DISCLOSURE_MONTHS, "default": DEFAULT_DISCLOSURE_MONTHS},
        )

    def handle(self, *args: Any, **options: Any) -> None:
        villages: int = options["villages"]
        people_per_village: int = options["people_per_village"]
        seed: int = options["seed"]
        if not MIN_VILLAGES <= villages <= MAX_VILLAGES:
            raise CommandError(f"--villages must lie between {MIN_VILLAGES} and {MAX_VILLAGES}")
        if not MIN_PEOPLE_PER_VILLAGE <= people_per_village <= MAX_PEOPLE_PER_VILLAGE:
            raise CommandError(
                f"--people-per-village must lie between {MIN_PEOPLE_PER_VILLAGE} "
                f"and {MAX_PEOPLE_PER_VILLAGE}"
            )
        if seed < 0:
            raise CommandError("--seed must not be negative")
        finance_months: int = 0 if options["no_finance"] else options["finance_months"]
        if not 0 <= finance_months <= MAX_FINANCE_MONTHS:
            raise CommandError(
                _("--finance-months must lie between 0 and %(max)d") % {"max": MAX_FINANCE_MONTHS}
            )
        disclosure_months: int = options["disclosure_months"]
        if not 0 <= disclosure_months <= MAX_DISCLOSURE_MONTHS:
            raise CommandError(
                _("--disclosure-months must lie between 0 and %(max)d")
                % {"max": MAX_DISCLOSURE_MONTHS}
            )
        county = demo_county_find()
        if county is not None:
            self._already_built(
                county, finance_months=finance_months, disclosure_months=disclosure_months
            )
            return
        started = time.perf_counter()
        try:
            build = demo_county_build(
                seed=seed,
                villages=villages,
                people_per_village=people_per_village,
                progress=self._progress if villages >= 100 and options["verbosity"] >= 1 else None,
                finance_months=finance_months,
                disclosure_months=disclosure_months,
            )
        except DemoCountyExists:
            county = demo_county_find()
            assert county is not None
            self._already_built(
                county, finance_months=finance_months, disclosure_months=disclosure_months
            )
            return
        except DomainError as error:
            raise CommandError(error.message) from error
        seconds = time.perf_counter() - started
        write = self.stdout.write
        write(
            self.style.SUCCESS(
                f"Built the demo county {build.county.name} ({build.county.code}) "
                f"in {seconds:.1f} s."
            )
        )
        write("")
        for line in counts_table(build.counts.as_dict()):
            write(line)
        write("")
        write(
            "Planted irregularities: companies whose legal representative or shareholder "
            "is a declared close relative of a village cadre"
        )
        for line in planted_table(build.planted[:PLANTED_SHOWN]):
            write(line)
        if len(build.planted) > PLANTED_SHOWN:
            write(f"... and {len(build.planted) - PLANTED_SHOWN:,} more")
        write("")
        if build.finance is not None:
            self._finance(build.finance)
        if build.disclosures is not None:
            self._disclosures(build.disclosures)
        if build.appeals is not None:
            self._appeals(build.appeals)
        self._accounts()

    def _finance(self, finance: FinanceBuild) -> None:
        write = self.stdout.write
        write(_("Village books, registers and contracts (/work/, /log/):"))
        for line in finance_counts_table(finance.counts.as_dict()):
            write(line)
        write("")
        if finance.planted:
            write(
                _(
                    "Planted finance irregularities (cash warning in the monthly statement; "
                    "related party and rent below the norm in the contract checks):"
                )
            )
            for line in planted_finance_table(finance.planted):
                write(line)
            write("")

    def _disclosures(self, disclosures: DisclosuresBuild) -> None:
        write = self.stdout.write
        write(_("Disclosures of the villages (/v/<code>/):"))
        for line in disclosure_counts_table(disclosures.counts.as_dict()):
            write(line)
        write("")
        if disclosures.planted:
            write(_("Planted deviations (shown on the village page):"))
            for line in planted_disclosure_table(disclosures.planted):
                write(line)
            write("")

    def _appeals(self, appeals: AppealsBuild) -> None:
        if not appeals.counts.cases:
            return
        write = self.stdout.write
        write(_("Mass mailbox (/v/<code>/mailbox/stats/, /work/appeals/stats/<code>/):"))
        for line in appeals_counts_table(appeals.counts.as_dict(), appeals.by_state):
            write(line)
        write("")
        if appeals.planted:
            write(
                _("Planted cases (follow one with its receipt and secret, as the villager would):")
            )
            for line in planted_appeals_table(appeals.planted):
                write(line)
            write("")

    def _progress(self, written: int, total: int) -> None:
        self.stdout.write(f"  {written:,} of {total:,} villages written")
        self.stdout.flush()

    def _already_built(self, county: Any, *, finance_months: int, disclosure_months: int) -> None:
        self.stdout.write(
            self.style.WARNING(f"demo county already built: {county.name} ({county.code})")
        )
        record = demo_build_record(county=county)
        if record:
            self.stdout.write("")
            for line in counts_table(record):
                self.stdout.write(line)
        self.stdout.write("")
        if finance_months:
            started = time.perf_counter()
            finance = demo_finance_build(
                county=county,
                seed=int(record.get("seed", DEFAULT_SEED)),
                months=finance_months,
            )
            if finance.counts.villages:
                self.stdout.write(
                    self.style.SUCCESS(
                        _("Added books to %(villages)d villages in %(seconds).1f s.")
                        % {
                            "villages": finance.counts.villages,
                            "seconds": time.perf_counter() - started,
                        }
                    )
                )
                self._finance(finance)
            else:
                self.stdout.write(_("Every village already has its books."))
                self.stdout.write("")
        if disclosure_months:
            disclosures = demo_disclosures_build(
                county=county,
                seed=int(record.get("seed", DEFAULT_SEED)),
                months=disclosure_months,
            )
            if disclosures.counts.villages:
                self._disclosures(disclosures)
            else:
                self.stdout.write(_("Every village already publishes its disclosures."))
                self.stdout.write("")
        appeals = demo_appeals_build(county=county, seed=int(record.get("seed", DEFAULT_SEED)))
        if appeals.counts.cases:
            self._appeals(appeals)
        self._accounts()

    def _accounts(self) -> None:
        self.stdout.write("Demo accounts (log in at /accounts/login/):")
        for line in account_table(demo_account_rows()):
            self.stdout.write(line)
        keys = sealing_key_table(demo_sealing_keys(), DEMO_PASSPHRASE)
        if keys:
            self.stdout.write("")
            self.stdout.write(
                _(
                    "Commission sealing keys: a real-name reporter's name and phone open with "
                    "the passphrase (demo only):"
                )
            )
            for line in keys:
                self.stdout.write(line)

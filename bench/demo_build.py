"""How fast `qinglian demo` builds a county, and how that scales with its size.

    .venv/bin/python bench/demo_build.py                    # baseline, then 1,000 villages
    .venv/bin/python bench/demo_build.py --villages 10000   # the large county of the issue

Runs on a fresh SQLite file in a temporary directory (QINGLIAN_VAR_DIR, set
before Django starts; DATABASE_URL is ignored), removed afterwards unless
--keep. The baseline is the default county (12 villages), built in a
transaction that is then rolled back; the larger county is built and committed
as the command does it. Password hashing (six Argon2 hashes, about a second,
whatever the size) is left out with a fast hasher, so that the ratio shows how
the build itself scales: ``ratio`` is the large build's seconds per village
over the baseline's, measured in this run.

The villages' books (``qinglian.demo.finance``: two years of vouchers, closed
and published month by month, about a second per village) are timed apart, on
the baseline county only, and left out of both builds compared by the ratio:
ten thousand villages of books would take hours. ``--finance-months N`` gives
the large county N months of books as well (its ratio then includes them).
The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--villages", type=int, default=1000, help="the large county's villages")
    parser.add_argument("--people-per-village", type=int, default=250)
    parser.add_argument("--baseline-villages", type=int, default=12)
    parser.add_argument("--seed", type=int, default=20210301)
    parser.add_argument(
        "--finance-months",
        type=int,
        default=0,
        help="months of village books for the large county (default 0: none)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary database (it is removed otherwise)"
    )
    return parser.parse_args(argv)


def _figures(*, label: str, seconds: float, villages: int, people: int) -> dict[str, Any]:
    figures = {
        "seconds": round(seconds, 3),
        "villages": villages,
        "people": people,
        "people_per_second": round(people / seconds),
        "villages_per_second": round(villages / seconds, 2),
        "seconds_per_village": round(seconds / villages, 5),
    }
    print(
        f"{label}: {villages:,} villages, {people:,} people in {seconds:.2f} s "
        f"({figures['people_per_second']:,} people/s, {figures['villages_per_second']} villages/s)",
        flush=True,
    )
    return figures


def main(argv: list[str]) -> int:
    options = _arguments(argv)
    var_dir = tempfile.mkdtemp(prefix="qinglian-bench-")
    try:
        return _run(options, var_dir)
    finally:
        if options.keep:
            print(f"kept {var_dir}", file=sys.stderr)
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


def _run(options: argparse.Namespace, var_dir: str) -> int:
    sys.path.insert(0, str(PROJECT_ROOT))
    os.environ["QINGLIAN_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "qinglian.settings"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-" + "b" * 40)
    os.environ.setdefault("PII_HASH_KEY", "bench-only-pii-key")

    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import override_settings

    from qinglian.demo.builder import demo_county_build
    from qinglian.demo.finance import DEFAULT_FINANCE_MONTHS, demo_finance_build

    database = Path(var_dir) / "qinglian.sqlite3"
    print(f"database: {database} ({connection.vendor})", flush=True)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.perf_counter() - started:.1f} s", flush=True)

    def progress(written: int, total: int) -> None:
        elapsed = time.perf_counter() - started
        print(f"  {written:,} of {total:,} villages written, {elapsed:.1f} s", flush=True)

    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        with transaction.atomic():
            started = time.perf_counter()
            build = demo_county_build(
                seed=options.seed,
                villages=options.baseline_villages,
                people_per_village=options.people_per_village,
                finance_months=0,
            )
            baseline = _figures(
                label="baseline",
                seconds=time.perf_counter() - started,
                villages=options.baseline_villages,
                people=build.counts.people,
            )
            started = time.perf_counter()
            finance = demo_finance_build(
                county=build.county, seed=options.seed, months=DEFAULT_FINANCE_MONTHS
            )
            seconds = time.perf_counter() - started
            baseline_finance = {
                "seconds": round(seconds, 3),
                "months": DEFAULT_FINANCE_MONTHS,
                "seconds_per_village": round(seconds / options.baseline_villages, 4),
                "counts": finance.counts.as_dict(),
            }
            print(
                f"baseline books: {options.baseline_villages:,} villages, "
                f"{DEFAULT_FINANCE_MONTHS} months, {finance.counts.vouchers:,} vouchers, "
                f"{finance.counts.statements_published:,} statements published in {seconds:.2f} s "
                f"({baseline_finance['seconds_per_village']} s per village)",
                flush=True,
            )
            transaction.set_rollback(True)

        if options.finance_months:
            print(f"large county: with {options.finance_months} months of books", flush=True)
        else:
            print(
                "large county: without books (timed on the baseline above; "
                "--finance-months N to include them)",
                flush=True,
            )
        started = time.perf_counter()
        build = demo_county_build(
            seed=options.seed,
            villages=options.villages,
            people_per_village=options.people_per_village,
            progress=progress,
            finance_months=options.finance_months,
        )
        large = _figures(
            label="large",
            seconds=time.perf_counter() - started,
            villages=options.villages,
            people=build.counts.people,
        )
    ratio = large["seconds_per_village"] / baseline["seconds_per_village"]
    print(f"seconds per village, large over baseline: {ratio:.2f}", flush=True)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "benchmark": "demo_build",
                "database": connection.vendor,
                "people_per_village": options.people_per_village,
                "baseline": baseline,
                "baseline_finance": baseline_finance,
                "large": large,
                "large_finance_months": options.finance_months,
                "large_counts": build.counts.as_dict(),
                "ratio_seconds_per_village_large_over_baseline": round(ratio, 3),
                "database_mib": round(database.stat().st_size / 2**20, 1),
                "peak_rss_mib": round(peak_mib, 1),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

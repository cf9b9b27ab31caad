"""What the access policy and the region-path ranges cost on a large county.

    .venv/bin/python bench/scoped_reads.py                 # 1,000 villages, 250,000 people
    .venv/bin/python bench/scoped_reads.py --villages 200  # quicker

Builds the demo county in a fresh SQLite file (QINGLIAN_VAR_DIR in a temporary
directory; DATABASE_URL is ignored), then times, each as the median of repeated
runs in this same process:

- subtree: the people of one township counted through the indexed range
  ``path >= P and path < P+1`` (what the policy uses), against the baseline
  ``path LIKE 'P%'`` (``startswith``), which SQLite cannot serve from the index;
- people page: the first 50 people of a township as the township's commission
  sees them (scope and recusal through ``policy.visible``, with the count the
  pager needs), against the baseline of the same page with no policy at all.

The ratios are measured / baseline. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _median_ms(run: Callable[[], object], repeats: int) -> float:
    run()  # warm the page cache and the statement cache
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main(argv: list[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--villages", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=25)
    args = parser.parse_args(argv)

    sys.path.insert(0, str(PROJECT_ROOT))
    var_dir = tempfile.mkdtemp(prefix="qinglian-bench-")
    os.environ["QINGLIAN_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "qinglian.settings"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-" + "b" * 40)
    os.environ.setdefault("PII_HASH_KEY", "bench-only-pii-key")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.core.paginator import Paginator

    from qinglian.accounts import policy
    from qinglian.accounts.models import User
    from qinglian.demo.builder import demo_county_build
    from qinglian.directory.models import Person, Region, RegionLevel
    from qinglian.directory.selectors import people_in

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    demo_county_build(villages=args.villages)
    print(f"built {args.villages:,} villages in {time.perf_counter() - started:.1f} s", flush=True)

    people_total = Person.objects.count()
    township = Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("path").first()
    assert township is not None
    commission = User.objects.get(username="township")

    def subtree_range() -> int:
        return people_in(township).count()

    def subtree_like() -> int:
        return Person.objects.filter(region_path__startswith=township.path).count()

    assert subtree_range() == subtree_like()

    def page_with_policy() -> list[Person]:
        fresh = User.objects.get(pk=commission.pk)  # a new request: nothing cached
        people = policy.visible(fresh, people_in(township), subject="pk")
        return list(Paginator(people, 50).get_page(1))

    def page_without_policy() -> list[Person]:
        User.objects.get(pk=commission.pk)  # the same request costs, less the policy
        return list(Paginator(people_in(township), 50).get_page(1))

    figures: dict[str, Any] = {
        "villages": args.villages,
        "people": people_total,
        "township_people": subtree_range(),
    }
    figures["subtree_range_ms"] = round(_median_ms(subtree_range, args.repeats), 3)
    figures["subtree_like_ms"] = round(_median_ms(subtree_like, args.repeats), 3)
    figures["subtree_ratio"] = round(figures["subtree_range_ms"] / figures["subtree_like_ms"], 3)
    print(
        f"township subtree ({figures['township_people']:,} of {people_total:,} people): "
        f"range {figures['subtree_range_ms']} ms, LIKE {figures['subtree_like_ms']} ms, "
        f"ratio {figures['subtree_ratio']}",
        flush=True,
    )
    figures["page_policy_ms"] = round(_median_ms(page_with_policy, args.repeats), 3)
    figures["page_plain_ms"] = round(_median_ms(page_without_policy, args.repeats), 3)
    figures["page_ratio"] = round(figures["page_policy_ms"] / figures["page_plain_ms"], 3)
    print(
        f"people page of a township: with policy {figures['page_policy_ms']} ms, "
        f"without {figures['page_plain_ms']} ms, ratio {figures['page_ratio']}",
        flush=True,
    )
    shutil.rmtree(var_dir, ignore_errors=True)
    return figures


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))

"""What the village signs cost: one village's sign, and a township's signs in one PDF.

    .venv/bin/python bench/signs.py                  # a township of 30 villages
    .venv/bin/python bench/signs.py --villages 60

Runs on a fresh SQLite file in a temporary directory (QINGLIAN_VAR_DIR; DATABASE_URL
is ignored) holding one county, one township of --villages villages and a published
log with a signed checkpoint, and requests through Django's test client, each the
median of --repeats runs in this same process:

- ``/v/<code>/sign.pdf`` made afresh (the cache emptied before each run), and served
  from the cache (the same content asked again);
- ``/work/disclosures/signs/<township>.pdf`` as the township's commission: one page
  per village; ``per_village_ms`` is what each village adds beyond the first, and
  ``ratio`` the bundle's time over one sign's (the baseline, measured in this run).

The last line printed is one JSON object.
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
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _median_ms(run: Callable[[], object], repeats: int) -> float:
    run()  # warm the imports and the font file in the page cache
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main(argv: list[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--villages", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)

    sys.path.insert(0, str(PROJECT_ROOT))
    var_dir = tempfile.mkdtemp(prefix="qinglian-bench-")
    os.environ["QINGLIAN_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "qinglian.settings"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-" + "b" * 40)
    os.environ.setdefault("PII_HASH_KEY", "bench-only-pii-key")
    os.environ["ALLOWED_HOSTS"] = "testserver"  # Django's test client, plain HTTP
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    from qinglian.transparency.notes import Signer  # pure: no Django needed yet

    os.environ["TRANSPARENCY_SIGNING_KEY"] = Signer.generate("qinglian-bench-signs").encoded()
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client

    from qinglian.accounts.models import Role, RoleAssignment, User
    from qinglian.directory.codes import region_path
    from qinglian.directory.models import Region, RegionLevel
    from qinglian.transparency.services import checkpoint_sign, log_append

    call_command("migrate", verbosity=0)

    def make(code: str, name: str, level: str, parent: Region | None) -> Region:
        return Region.objects.create(
            code=code, path=region_path(code, level), level=level, name=name, parent=parent
        )

    county = make("339901000000", "清河县", RegionLevel.COUNTY, None)
    township = make("339901100000", "青山镇", RegionLevel.TOWNSHIP, county)
    township.hotline = "0571-87654321"
    township.save(update_fields=["hotline"])
    for n in range(1, args.villages + 1):
        make(f"339901100{200 + n:03d}", f"第{n}村", RegionLevel.VILLAGE, township)
    with transaction.atomic():
        for n in range(100):
            log_append(
                record_type="bench",
                record_id=str(n),
                region_path=township.path,
                content={"n": n},
                published_at=datetime(2026, 1, 5, tzinfo=UTC),
            )
    checkpoint_sign()
    commission = User.objects.create_user(username="township")
    RoleAssignment.objects.create(user=commission, role=Role.TOWN_DISCIPLINE, region=township)

    public, staff = Client(), Client()
    staff.force_login(commission)
    sign_url = "/v/339901100201/sign.pdf"
    bundle_url = f"/work/disclosures/signs/{township.code}.pdf"

    def fetch(client: Client, url: str) -> bytes:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.content

    def sign_afresh() -> bytes:
        cache.clear()
        return fetch(public, sign_url)

    figures: dict[str, Any] = {"villages": args.villages}
    figures["sign_ms"] = round(_median_ms(sign_afresh, args.repeats), 1)
    figures["sign_cached_ms"] = round(_median_ms(lambda: fetch(public, sign_url), args.repeats), 2)
    figures["sign_bytes"] = len(sign_afresh())
    print(
        f"one sign: {figures['sign_ms']} ms made afresh, {figures['sign_cached_ms']} ms from "
        f"the cache, {figures['sign_bytes']:,} bytes",
        flush=True,
    )
    figures["township_ms"] = round(_median_ms(lambda: fetch(staff, bundle_url), args.repeats), 1)
    figures["township_bytes"] = len(fetch(staff, bundle_url))
    figures["per_village_ms"] = round(
        (figures["township_ms"] - figures["sign_ms"]) / max(args.villages - 1, 1), 1
    )
    figures["ratio"] = round(figures["township_ms"] / figures["sign_ms"], 2)
    print(
        f"township of {args.villages} villages: {figures['township_ms']} ms, "
        f"{figures['township_bytes']:,} bytes; {figures['per_village_ms']} ms a further "
        f"village; {figures['ratio']} times one sign",
        flush=True,
    )
    shutil.rmtree(var_dir, ignore_errors=True)
    return figures


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))

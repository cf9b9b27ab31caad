"""What the publication log costs: appends, a million-entry log, inclusion proofs.

    .venv/bin/python bench/log.py                     # 1,000,000 entries (about 2 minutes)
    .venv/bin/python bench/log.py --entries 100000    # quicker

Runs on a fresh SQLite file in a temporary directory (QINGLIAN_VAR_DIR, set before
Django starts; DATABASE_URL is ignored), removed afterwards unless --keep. In order:

1. append rate through the real service: ``log_append_many`` in batches of --batch
   records, one transaction each (with the checkpoint each commit signs), on a fresh
   log; then ``log_append``, one record per transaction, for the record;
2. the baseline, in this same run: hashing the same canonical bytes with hashlib
   alone (SHA-256 of 0x00 ‖ bytes); ``hashlib_ratio`` is our append rate over it;
3. the log is filled up to --entries less two service batches by a bulk load that
   stores exactly what the service stores (the same envelopes and canonical bytes,
   leaf hashes and the complete subtrees ``merkle.completed_by_append`` gives,
   inserted with executemany in large transactions; the encoding in --workers
   processes); ``checkpoint_sign`` then checks that the tree extends the checkpoint
   signed before the bulk load (a wrong bulk load stops the run); the real service
   appends the last two batches on top of it (the append rate on a large log), and
   the root of all stored leaves is recomputed from scratch and compared with the
   signed one;
4. inclusion proofs through ``selectors.inclusion_proof`` at random indices of the
   full log (median and 95th percentile), a sample verified with
   ``merkle.verify_inclusion`` against the signed checkpoint's root and the stored
   record bytes; and consistency proofs, for the record.

The last line printed is one JSON object:
{"entries": …, "append_per_s": …, "inclusion_proof_ms": …, "hashlib_ratio": …, …}.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ORIGIN = "bench.qinglian.invalid/log"
PUBLISHED = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)
VILLAGES = [("339901100201", "上塘村"), ("339901100202", "下塘村"), ("339901101201", "溪口村")]
POSTS = ["secretary", "director", "committee_member", "accountant"]


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=1_000_000, help="size of the large log")
    parser.add_argument("--batch", type=int, default=1000, help="records per service call")
    parser.add_argument("--fresh", type=int, default=20_000, help="records appended on a fresh log")
    parser.add_argument("--single", type=int, default=500, help="records appended one by one")
    parser.add_argument("--proofs", type=int, default=2000, help="inclusion proofs timed")
    parser.add_argument("--verify", type=int, default=200, help="inclusion proofs verified")
    parser.add_argument("--seed", type=int, default=6962)
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="processes encoding the bulk load"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary database (it is removed otherwise)"
    )
    options = parser.parse_args(argv)
    if options.entries < 3 * options.batch + options.single + 2:
        parser.error(f"--entries must be at least {3 * options.batch + options.single + 2}")
    # the fresh-log phase and the last service batches must fit in the large log
    options.fresh = max(options.batch, min(options.fresh, options.entries // 2))
    return options


def main(argv: list[str]) -> int:
    options = _arguments(argv)
    var_dir = tempfile.mkdtemp(prefix="qinglian-bench-log-")
    try:
        figures = _run(options, var_dir)
    finally:
        if options.keep:
            print(f"kept {var_dir}", file=sys.stderr)
        else:
            shutil.rmtree(var_dir, ignore_errors=True)
    print(json.dumps(figures))
    return 0


def _setup_django(var_dir: str) -> None:
    sys.path.insert(0, str(PROJECT_ROOT))
    os.environ["QINGLIAN_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "qinglian.settings"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-" + "b" * 40)
    os.environ.setdefault("PII_HASH_KEY", "bench-only-pii-key")
    os.environ["TRANSPARENCY_ORIGIN"] = ORIGIN
    from qinglian.transparency.notes import Signer  # pure: no Django needed yet

    os.environ["TRANSPARENCY_SIGNING_KEY"] = Signer.generate(ORIGIN).encoded()
    import django

    django.setup()


def _content(n: int) -> tuple[str, dict[str, Any]]:
    """A cadre-term-like record: its region and its published content."""
    village, village_name = VILLAGES[n % len(VILLAGES)]
    return village, {
        "village": village,
        "village_name": village_name,
        "post": POSTS[n % len(POSTS)],
        "name": f"干部{n}",
        "started_on": "2021-03-01",
    }


def _publication(n: int) -> Any:
    from qinglian.transparency.services import Publication

    region, content = _content(n)
    return Publication("cadre_term", str(n), region, content, PUBLISHED + timedelta(seconds=n))


def _rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def _run(options: argparse.Namespace, var_dir: str) -> dict[str, Any]:
    _setup_django(var_dir)
    from django.core.management import call_command
    from django.db import connection

    from qinglian.transparency import merkle, selectors, services
    from qinglian.transparency.models import Checkpoint, LogEntry, LogNode

    database = Path(var_dir) / "qinglian.sqlite3"
    print(f"database: {database} ({connection.vendor})", flush=True)
    call_command("migrate", verbosity=0)
    figures: dict[str, Any] = {}

    # 1. appends through the service on a fresh log
    next_record = 0

    def batches(total: int) -> Iterator[list[Any]]:
        nonlocal next_record
        while total > 0:
            size = min(options.batch, total)
            yield [_publication(n) for n in range(next_record, next_record + size)]
            next_record += size
            total -= size

    prepared = list(batches(options.fresh))  # build the inputs outside the timing
    started = time.perf_counter()
    for batch in prepared:
        services.log_append_many(batch)
    seconds = time.perf_counter() - started
    append_per_s = _rate(options.fresh, seconds)
    print(
        f"log_append_many on a fresh log: {options.fresh:,} records in batches of "
        f"{options.batch:,}, {seconds:.2f} s, {append_per_s:,.0f} records/s "
        f"(checkpoints signed: {Checkpoint.objects.count()})",
        flush=True,
    )

    singles = [_publication(n) for n in range(next_record, next_record + options.single)]
    next_record += options.single
    started = time.perf_counter()
    for publication in singles:
        services.log_append(
            record_type=publication.record_type,
            record_id=publication.record_id,
            region_path=publication.region_path,
            content=publication.content,
            published_at=publication.published_at,
        )
    seconds = time.perf_counter() - started
    single_per_s = _rate(options.single, seconds)
    print(
        f"log_append, one record per transaction: {options.single:,} records, "
        f"{seconds:.2f} s, {single_per_s:,.0f} records/s",
        flush=True,
    )

    # 2. the baseline: hashlib alone over the same canonical bytes
    fresh_bytes = [
        bytes(data)
        for data in LogEntry.objects.filter(index__lt=options.fresh)
        .order_by("index")
        .values_list("entry", flat=True)
    ]

    def hash_all() -> None:
        sha256 = hashlib.sha256
        for data in fresh_bytes:
            sha256(b"\x00" + data).digest()

    hash_seconds = min(_seconds(hash_all) for _ in range(5))
    hashlib_per_s = _rate(len(fresh_bytes), hash_seconds)
    hashlib_ratio = append_per_s / hashlib_per_s
    print(
        f"hashlib alone over the same {len(fresh_bytes):,} records "
        f"(mean {statistics.fmean(map(len, fresh_bytes)):.0f} bytes): "
        f"{hashlib_per_s:,.0f} records/s; our append rate is {hashlib_ratio:.5f} of it",
        flush=True,
    )

    # 3. fill the log to --entries: a bulk load, then the service's last batches
    tail = 2 * options.batch
    bulk_from = selectors.log_size()
    bulk_to = options.entries - tail
    started = time.perf_counter()
    rows = _bulk_load(bulk_from, bulk_to, first_record=next_record, workers=options.workers)
    next_record += bulk_to - bulk_from
    bulk_seconds = time.perf_counter() - started
    print(
        f"bulk load ({options.workers} encoding processes): entries {bulk_from:,} to "
        f"{bulk_to:,} ({rows:,} rows) in "
        f"{bulk_seconds:.1f} s, {_rate(bulk_to - bulk_from, bulk_seconds):,.0f} entries/s",
        flush=True,
    )
    # the checkpoint signed now must extend the one signed before the bulk load
    before = Checkpoint.objects.order_by("-size").first()
    assert before is not None and before.size == bulk_from
    checkpoint = services.checkpoint_sign()  # raises LogIntegrityError otherwise
    assert checkpoint.size == bulk_to
    print(f"checkpoint {checkpoint.size:,} extends checkpoint {before.size:,}", flush=True)

    prepared = list(batches(tail))
    started = time.perf_counter()
    for batch in prepared:
        services.log_append_many(batch)
    seconds = time.perf_counter() - started
    append_large_per_s = _rate(tail, seconds)
    size = selectors.log_size()
    assert size == options.entries, (size, options.entries)
    latest = selectors.checkpoint_latest()
    assert latest is not None and latest.size == size
    print(
        f"log_append_many on the large log: {tail:,} records, {seconds:.2f} s, "
        f"{append_large_per_s:,.0f} records/s; checkpoint {latest.size:,} signed",
        flush=True,
    )

    started = time.perf_counter()
    leaves = [
        bytes(value)
        for value in LogEntry.objects.order_by("index").values_list("leaf_hash", flat=True)
    ]
    root_matches = merkle.root_of(leaves) == bytes(latest.root)
    print(
        f"root of all {len(leaves):,} stored leaves recomputed in "
        f"{time.perf_counter() - started:.1f} s: "
        f"{'equals' if root_matches else 'DIFFERS FROM'} the signed root",
        flush=True,
    )
    assert root_matches
    del leaves
    node_rows = LogNode.objects.count()

    # 4. inclusion proofs on the full log
    rng = random.Random(options.seed)
    indices = [rng.randrange(size) for _ in range(options.proofs)]
    for index in indices[:50]:  # warm the statement and page caches
        selectors.inclusion_proof(index, size)
    samples = []
    for index in indices:
        started = time.perf_counter()
        selectors.inclusion_proof(index, size)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    inclusion_ms = statistics.median(samples)
    inclusion_p95_ms = samples[int(0.95 * (len(samples) - 1))]
    print(
        f"inclusion proof on {size:,} entries: median {inclusion_ms:.3f} ms, "
        f"95th percentile {inclusion_p95_ms:.3f} ms, max {samples[-1]:.3f} ms "
        f"({len(samples):,} random indices)",
        flush=True,
    )

    root = bytes(latest.root)
    checked = [*indices[: options.verify], 0, size - 1]
    stored = dict(
        LogEntry.objects.filter(index__in=checked).values_list("index", "entry").iterator()
    )
    for index in checked:
        proof = selectors.inclusion_proof(index, size)
        leaf = merkle.leaf_hash(bytes(stored[index]))
        assert proof.leaf_hash == leaf and proof.root == root, index
        assert merkle.verify_inclusion(index, size, leaf, proof.proof, root), index
    print(f"{len(checked):,} inclusion proofs verified against the signed root", flush=True)

    pairs = [tuple(sorted((rng.randrange(1, size + 1), size))) for _ in range(200)]
    consistency_samples = []
    for old, new in pairs:
        started = time.perf_counter()
        consistency = selectors.consistency_proof(old, new)
        consistency_samples.append((time.perf_counter() - started) * 1000)
        assert merkle.verify_consistency(
            old, new, consistency.old_root, consistency.new_root, consistency.proof
        )
    consistency_ms = statistics.median(consistency_samples)
    print(
        f"consistency proof to {size:,} entries: median {consistency_ms:.3f} ms "
        f"({len(pairs)} random old sizes, all verified)",
        flush=True,
    )

    figures = {
        "entries": size,
        "append_per_s": round(append_per_s),
        "inclusion_proof_ms": round(inclusion_ms, 3),
        "hashlib_ratio": round(hashlib_ratio, 6),
        "benchmark": "log",
        "database": connection.vendor,
        "append_batch": options.batch,
        "append_fresh_records": options.fresh,
        "append_single_per_s": round(single_per_s),
        "append_large_log_per_s": round(append_large_per_s),
        "hashlib_per_s": round(hashlib_per_s),
        "build": "bulk insert of the service's rows (completed_by_append), then log_append_many",
        "bulk_load_entries": bulk_to - bulk_from,
        "bulk_load_s": round(bulk_seconds, 1),
        "node_rows": node_rows,
        "root_recomputed_matches": root_matches,
        "inclusion_proof_p95_ms": round(inclusion_p95_ms, 3),
        "inclusion_proofs_timed": len(samples),
        "inclusion_proofs_verified": len(checked),
        "consistency_proof_ms": round(consistency_ms, 3),
        "database_mib": round(database.stat().st_size / 2**20, 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    return figures


def _seconds(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def _encode(bounds: tuple[int, int, int]) -> list[tuple[bytes, bytes]]:
    """Canonical bytes and leaf hash of entries [start, stop), as the service makes them.

    Runs in worker processes (forked after Django is set up: no database use here).
    """
    from qinglian.transparency import merkle, services

    start, stop, first_record = bounds
    encoded = []
    for index in range(start, stop):
        publication = _publication(first_record + index - start)
        data = services.canonical_bytes(
            services.envelope(
                index=index,
                record_type=publication.record_type,
                record_id=publication.record_id,
                region_path=publication.region_path,
                published_at=publication.published_at,
                content=publication.content,
            )
        )
        encoded.append((data, merkle.leaf_hash(data)))
    return encoded


def _bulk_load(
    start: int, end: int, *, first_record: int, workers: int, chunk: int = 50_000
) -> int:
    """Store entries [start, end) as ``log_append_many`` would, with executemany.

    The same envelope, canonical bytes and leaf hash per record (made by ``workers``
    processes), and every complete subtree each leaf completes
    (``merkle.completed_by_append``, reading only the frontier, as the service does);
    the values adapted for the database as ``bulk_create`` adapts them, one
    transaction per ``chunk`` entries that moves the log head like the service.
    Returns the number of rows written.
    """
    import multiprocessing

    from django.db import connection, transaction

    from qinglian.transparency import merkle, selectors
    from qinglian.transparency.models import LogEntry, LogHead, LogNode

    entry_fields = list(LogEntry._meta.concrete_fields)
    node_fields = list(LogNode._meta.concrete_fields)

    def insert_sql(model: Any, fields: list[Any]) -> str:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in fields)
        marks = ", ".join(["%s"] * len(fields))
        table = quote(model._meta.db_table)  # names from the models, quoted; values bound
        return f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608

    entry_sql = insert_sql(LogEntry, entry_fields)
    node_sql = insert_sql(LogNode, node_fields)
    prepare_time = LogEntry._meta.get_field("published_at").get_db_prep_save
    # what BinaryField.get_db_prep_value wraps bytes in
    blob: Callable[[bytes], Any] = connection.Database.Binary  # type: ignore[attr-defined]

    def frontier_of(size: int) -> list[tuple[int, int]]:
        return [(lv, (size >> lv) - 1) for lv in range(size.bit_length()) if size >> lv & 1]

    step = 5000
    pieces = [
        (piece, min(piece + step, end), first_record + piece - start)
        for piece in range(start, end, step)
    ]
    if workers > 1:
        pool = multiprocessing.get_context("fork").Pool(workers)
        encoded_pieces: Iterator[list[tuple[bytes, bytes]]] = pool.imap(_encode, pieces)
    else:
        pool = None
        encoded_pieces = map(_encode, pieces)

    size = start
    known = selectors.subtree_hashes(frontier_of(size))

    def stored(level: int, position: int) -> bytes:
        return known[(level, position)]

    rows = 0
    entry_rows: list[tuple[Any, ...]] = []
    node_rows: list[tuple[Any, ...]] = []
    try:
        for (piece_start, piece_stop, piece_record), encoded in zip(
            pieces, encoded_pieces, strict=True
        ):
            for index, (data, leaf) in zip(range(piece_start, piece_stop), encoded, strict=True):
                publication = _publication(piece_record + index - piece_start)
                for level, position, value in merkle.completed_by_append(index, leaf, stored):
                    known[(level, position)] = value
                    node = {"level": level, "index": position, "hash": blob(value)}
                    node_rows.append(tuple(node[field.attname] for field in node_fields))
                row = {
                    "index": index,
                    "leaf_hash": blob(leaf),
                    "entry": blob(data),
                    "record_type": publication.record_type,
                    "record_id": publication.record_id,
                    "region_path": publication.region_path,
                    "published_at": prepare_time(publication.published_at, connection),
                }
                entry_rows.append(tuple(row[field.attname] for field in entry_fields))
            if len(entry_rows) < chunk and piece_stop < end:
                continue
            stop = size + len(entry_rows)
            with transaction.atomic():
                head = LogHead.objects.select_for_update().get(pk=1)
                assert head.size == size, "someone else appended during the bulk load"
                with connection.cursor() as cursor:
                    cursor.executemany(entry_sql, entry_rows)
                    cursor.executemany(node_sql, node_rows)
                head.size = stop
                head.save(update_fields=["size"])
            rows += len(entry_rows) + len(node_rows)
            entry_rows, node_rows = [], []
            size = stop
            known = {pair: known[pair] for pair in frontier_of(size)}  # all the next one reads
            if size % 100_000 < chunk or size == end:
                print(f"  {size:,} of {end:,} entries stored", flush=True)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    assert size == end
    return rows


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

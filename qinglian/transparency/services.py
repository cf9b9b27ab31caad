"""Writes to the log: append, sign checkpoints, raise alerts. Nothing here updates a row.

``log_append`` runs inside the publishing service's own transaction, so a record
is published if and only if its leaf is in the log. It is part of that service's
change: the publishing service writes the audit event, not the log.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import transaction

from qinglian.core.audit import audit_record
from qinglian.transparency import merkle, records
from qinglian.transparency.models import AlertKind, Checkpoint, LogAlert, LogEntry, LogHead, LogNode
from qinglian.transparency.notes import Checkpoint as CheckpointText
from qinglian.transparency.notes import Signer
from qinglian.transparency.records import canonical_bytes, envelope
from qinglian.transparency.selectors import OutOfRange, subtree_hashes

logger = logging.getLogger(__name__)


class LogIntegrityError(RuntimeError):
    """The stored tree does not extend the last signed checkpoint: refuse to sign."""


@dataclass(frozen=True)
class Publication:
    record_type: str
    record_id: str
    region_path: str
    content: dict[str, Any]
    published_at: datetime


def _locked_head() -> LogHead:
    """The log head, locked until the transaction ends (PostgreSQL row lock; SQLite
    transactions are IMMEDIATE, so writers are serialised already)."""
    head = LogHead.objects.select_for_update().filter(pk=1).first()
    if head is None:  # only a database emptied by hand (or a test flush) lacks the row
        LogHead.objects.get_or_create(pk=1)
        head = LogHead.objects.select_for_update().get(pk=1)
    return head


@lru_cache(maxsize=4)
def _signer(key: str) -> Signer:
    return Signer.parse(key)


def log_signer() -> Signer:
    return _signer(settings.TRANSPARENCY_SIGNING_KEY)


def log_append(
    *,
    record_type: str,
    record_id: str,
    region_path: str,
    content: dict[str, Any],
    published_at: datetime,
) -> LogEntry:
    """Append one published record. Call it inside the publishing transaction."""
    publication = Publication(record_type, record_id, region_path, content, published_at)
    return log_append_many([publication])[0]


@transaction.atomic
def log_append_many(publications: Sequence[Publication]) -> list[LogEntry]:
    """Append records in order; O(log n) reads for the lot, then one insert per table."""
    if not publications:
        return []
    head = _locked_head()
    size = head.size
    frontier = [
        (level, (size >> level) - 1) for level in range(size.bit_length()) if size >> level & 1
    ]
    try:
        known = subtree_hashes(frontier)
    except OutOfRange as missing:
        raise LogIntegrityError(f"stored subtrees are missing: {missing}") from None
    entries: list[LogEntry] = []
    nodes: list[LogNode] = []
    for publication in publications:
        data = canonical_bytes(
            envelope(
                index=size,
                record_type=publication.record_type,
                record_id=publication.record_id,
                region_path=publication.region_path,
                published_at=publication.published_at,
                content=publication.content,
            )
        )
        leaf = merkle.leaf_hash(data)
        for level, position, value in merkle.completed_by_append(
            size, leaf, lambda lv, ix: known[(lv, ix)]
        ):
            known[(level, position)] = value
            nodes.append(LogNode(level=level, index=position, hash=value))
        entries.append(
            LogEntry(
                index=size,
                leaf_hash=leaf,
                entry=data,
                record_type=publication.record_type,
                record_id=publication.record_id,
                region_path=publication.region_path,
                published_at=publication.published_at,
            )
        )
        size += 1
    LogEntry.objects.bulk_create(entries, batch_size=500)
    LogNode.objects.bulk_create(nodes, batch_size=500)
    head.size = size
    head.save(update_fields=["size"])
    transaction.on_commit(checkpoint_sign_logged)
    return entries


@transaction.atomic
def checkpoint_sign() -> Checkpoint:
    """Sign a checkpoint of the log as it is now, after checking it extends the last one."""
    head = _locked_head()
    latest = Checkpoint.objects.order_by("-size").first()
    if latest is not None and latest.size == head.size:
        return latest
    size = head.size
    old = latest.size if latest is not None else 0
    if old > size:
        raise LogIntegrityError(f"the log holds {size} entries, fewer than checkpoint {old}")
    wanted = merkle.needed_for_consistency(old, size) if old else merkle.needed_for_root(size)
    try:
        nodes = subtree_hashes(wanted)
    except OutOfRange as missing:
        raise LogIntegrityError(f"stored subtrees are missing: {missing}") from None
    root = merkle.root_hash(size, merkle.from_mapping(nodes))
    if latest is not None and old:
        proof = merkle.consistency_proof(old, size, merkle.from_mapping(nodes))
        if not merkle.verify_consistency(old, size, bytes(latest.root), root, proof):
            raise LogIntegrityError(f"the tree of {size} does not extend checkpoint {old}")
    note = log_signer().sign(CheckpointText(settings.TRANSPARENCY_ORIGIN, size, root).text())
    return Checkpoint.objects.create(size=size, root=root, note=note)


def checkpoint_sign_logged() -> None:
    """After a commit: sign, and if the log no longer extends its last checkpoint, say so."""
    try:
        checkpoint_sign()
    except LogIntegrityError as error:
        logger.error("publication log: %s", error)
        log_alert_raise(kind=AlertKind.HISTORY, entry_index=None, detail=str(error))


@transaction.atomic
def log_alert_raise(
    *, kind: str, entry_index: int | None, detail: str, region_path: str = ""
) -> list[LogAlert]:
    """An alert to the county (one per county the log covers when it is log-wide).

    The same alert (kind and entry) is not raised twice.
    """
    if LogAlert.objects.filter(kind=kind, entry_index=entry_index).exists():
        return []
    counties = (
        [region_path[:6]]
        if region_path
        else sorted({path[:6] for path in LogEntry.objects.values_list("region_path", flat=True)})
    )
    alerts = []
    for county in counties or [""]:
        alert = LogAlert.objects.create(
            kind=kind, entry_index=entry_index, detail=detail, region_path=county
        )
        audit_record(
            actor=None,
            verb="log.alert_raised",
            target=alert,
            region_path=county,
            data={"kind": kind, "entry_index": entry_index},
        )
        alerts.append(alert)
    logger.error("publication log alert: %s at %s: %s", kind, entry_index, detail)
    return alerts


@dataclass(frozen=True)
class Finding:
    kind: str
    index: int | None
    detail: str
    region_path: str = ""


def log_reverify(*, chunk: int = 2000) -> list[Finding]:
    """Check every entry against the live tables and the tree against its checkpoint.

    Raises an alert for each finding; returns the findings. Idempotent.
    """
    findings: list[Finding] = []
    leaves: list[bytes] = []
    start = 0
    while True:
        rows = list(
            LogEntry.objects.filter(index__gte=start)
            .order_by("index")[:chunk]
            .values_list(
                "index",
                "leaf_hash",
                "entry",
                "record_type",
                "record_id",
                "region_path",
                "published_at",
            )
        )
        if not rows:
            break
        for index, leaf, data, record_type, record_id, region_path, published_at in rows:
            leaf = bytes(leaf)
            leaves.append(leaf)
            if merkle.leaf_hash(bytes(data)) != leaf:
                findings.append(
                    Finding(
                        AlertKind.HISTORY, index, "stored record bytes no longer match their leaf"
                    )
                )
                continue
            live = records.live_record(
                index=index,
                record_type=record_type,
                record_id=record_id,
                region_path=region_path,
                published_at=published_at,
            )
            if live is None:
                findings.append(
                    Finding(
                        AlertKind.REMOVED, index, f"{record_type} {record_id} is gone", region_path
                    )
                )
                continue
            if merkle.leaf_hash(canonical_bytes(live)) != leaf:
                findings.append(
                    Finding(
                        AlertKind.CHANGED,
                        index,
                        f"{record_type} {record_id} was changed",
                        region_path,
                    )
                )
        start = rows[-1][0] + 1
    latest = Checkpoint.objects.order_by("-size").first()
    if latest is not None and latest.size <= len(leaves):
        if merkle.root_of(leaves[: latest.size]) != bytes(latest.root):
            findings.append(
                Finding(
                    AlertKind.HISTORY,
                    None,
                    f"the entries no longer hash to checkpoint {latest.size}",
                )
            )
    elif latest is not None:
        findings.append(
            Finding(AlertKind.HISTORY, None, f"entries are missing below checkpoint {latest.size}")
        )
    for finding in findings:
        log_alert_raise(
            kind=finding.kind,
            entry_index=finding.index,
            detail=finding.detail,
            region_path=finding.region_path,
        )
    return findings

"""Reads from the log: proofs, tiles and entries, each in one or two queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from qinglian.transparency import merkle, records
from qinglian.transparency.models import Checkpoint, LogEntry, LogHead, LogNode

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT


class OutOfRange(LookupError):
    """An index, size or tile beyond what the log holds."""


def log_size() -> int:
    head = LogHead.objects.filter(pk=1).values_list("size", flat=True).first()
    return int(head or 0)


def subtree_hashes(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """The stored complete subtrees at these (level, index) pairs, in one query."""
    wanted = sorted(set(pairs))
    if not wanted:
        return {}
    rows = LogNode.objects.filter(pk__in=wanted).values_list("level", "index", "hash")
    found = {(level, index): bytes(value) for level, index, value in rows}
    missing = set(wanted) - found.keys()
    if missing:
        raise OutOfRange(f"the log holds no subtree {sorted(missing)[:3]}")
    return found


@dataclass(frozen=True)
class InclusionProof:
    index: int
    size: int
    leaf_hash: bytes
    proof: list[bytes]
    root: bytes


@dataclass(frozen=True)
class ConsistencyProof:
    old: int
    new: int
    proof: list[bytes]
    old_root: bytes
    new_root: bytes


def inclusion_proof(index: int, size: int) -> InclusionProof:
    if not 0 <= index < size <= log_size():
        raise OutOfRange(f"no entry {index} in a log of {size}")
    nodes = subtree_hashes([*merkle.needed_for_inclusion(index, size), (0, index)])
    return InclusionProof(
        index=index,
        size=size,
        leaf_hash=nodes[(0, index)],
        proof=merkle.inclusion_proof(index, size, merkle.from_mapping(nodes)),
        root=merkle.root_hash(size, merkle.from_mapping(nodes)),
    )


def consistency_proof(old: int, new: int) -> ConsistencyProof:
    if not 0 < old <= new <= log_size():
        raise OutOfRange(f"no consistency proof from {old} to {new}")
    nodes = subtree_hashes(merkle.needed_for_consistency(old, new))
    return ConsistencyProof(
        old=old,
        new=new,
        proof=merkle.consistency_proof(old, new, merkle.from_mapping(nodes)),
        old_root=merkle.root_hash(old, merkle.from_mapping(nodes)),
        new_root=merkle.root_hash(new, merkle.from_mapping(nodes)),
    )


def hash_tile(level: int, number: int, width: int) -> bytes:
    """C2SP tlog-tiles hash tile: nodes of tree level 8·level, 256·number onwards."""
    tree_level = level * TILE_HEIGHT
    first = number * TILE_WIDTH
    available = log_size() >> tree_level
    if not 0 < width <= TILE_WIDTH or first + width > available:
        raise OutOfRange("no such tile")
    hashes = LogNode.objects.filter(
        level=tree_level, index__gte=first, index__lt=first + width
    ).order_by("index")
    return b"".join(bytes(value) for value in hashes.values_list("hash", flat=True))


def entry_bundle(number: int, width: int) -> bytes:
    """C2SP tlog-tiles entry bundle: each entry as a big-endian uint16 length, then its bytes."""
    first = number * TILE_WIDTH
    if not 0 < width <= TILE_WIDTH or first + width > log_size():
        raise OutOfRange("no such entry bundle")
    rows = LogEntry.objects.filter(index__gte=first, index__lt=first + width).order_by("index")
    return b"".join(
        len(data).to_bytes(2, "big") + bytes(data) for data in rows.values_list("entry", flat=True)
    )


def entry_as_published_and_now(index: int) -> tuple[LogEntry, dict[str, Any] | None]:
    """The stored entry, and the record as the live tables give it now (None if gone)."""
    entry = LogEntry.objects.filter(index=index).first()
    if entry is None:
        raise OutOfRange(f"no entry {index}")
    return entry, records.live_record(
        index=entry.index,
        record_type=entry.record_type,
        record_id=entry.record_id,
        region_path=entry.region_path,
        published_at=entry.published_at,
    )


def checkpoint_latest() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-size").first()


def entries_for_records(record_type: str, record_ids: Iterable[str]) -> dict[str, LogEntry]:
    """The latest log entry of each record, for showing its index and short hash."""
    entries = LogEntry.objects.filter(record_type=record_type, record_id__in=list(record_ids))
    return {entry.record_id: entry for entry in entries.order_by("index")}

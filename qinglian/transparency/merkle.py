"""RFC 9162 (RFC 6962) Merkle tree hashing, proofs and their verification.

Pure functions over bytes: no Django, no storage. A tree of ``size`` leaves is
described by its *complete subtrees*: the subtree at ``(level, index)`` covers
leaves ``[index * 2**level, (index + 1) * 2**level)`` and, once complete, never
changes. Proof generation asks a ``SubtreeHashes`` provider for the few complete
subtrees it needs (O(log n) of them), so a stored tree never has to be rebuilt:
``needed_for_inclusion`` and ``needed_for_consistency`` say which ones, so that a
store can fetch them all in one read.

Hashing: leaf = SHA-256(0x00 ‖ entry), node = SHA-256(0x01 ‖ left ‖ right), the
empty tree's root = SHA-256(""). Verification follows RFC 9162 §2.1.3.2 and
§2.1.4.2.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

# (level, index) -> hash of that complete subtree
SubtreeHashes = Callable[[int, int], bytes]


def from_mapping(nodes: dict[tuple[int, int], bytes]) -> SubtreeHashes:
    """A provider over a mapping of (level, index) to hash."""
    return lambda level, index: nodes[(level, index)]


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(size: int) -> int:
    """The largest power of two strictly smaller than ``size`` (size >= 2)."""
    return 1 << ((size - 1).bit_length() - 1)


def root_of(leaf_hashes: Sequence[bytes]) -> bytes:
    """The tree hash of a list of leaf hashes, computed level by level (O(n))."""
    if not leaf_hashes:
        return EMPTY_ROOT
    level = list(leaf_hashes)
    while len(level) > 1:
        paired = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


def range_hash(start: int, end: int, subtree: SubtreeHashes) -> bytes:
    """MTH of leaves [start, end), where ``start`` is aligned to the range's split."""
    size = end - start
    if size <= 0:
        raise ValueError("empty range")
    if size & (size - 1) == 0:  # a complete subtree
        level = size.bit_length() - 1
        return subtree(level, start >> level)
    k = _split(size)
    return node_hash(range_hash(start, start + k, subtree), range_hash(start + k, end, subtree))


def root_hash(size: int, subtree: SubtreeHashes) -> bytes:
    return EMPTY_ROOT if size == 0 else range_hash(0, size, subtree)


def inclusion_proof(index: int, size: int, subtree: SubtreeHashes) -> list[bytes]:
    """RFC 6962 PATH(index, D[size]): the audit path, nearest sibling first."""
    if not 0 <= index < size:
        raise ValueError(f"index {index} is not in a tree of size {size}")
    proof: list[bytes] = []
    lo, hi = 0, size
    # Walk down from the root, then reverse: the path lists the bottom sibling first.
    while hi - lo > 1:
        k = _split(hi - lo)
        if index < lo + k:
            proof.append(range_hash(lo + k, hi, subtree))
            hi = lo + k
        else:
            proof.append(range_hash(lo, lo + k, subtree))
            lo = lo + k
    proof.reverse()
    return proof


def consistency_proof(old_size: int, new_size: int, subtree: SubtreeHashes) -> list[bytes]:
    """RFC 6962 PROOF(old_size, D[new_size])."""
    if not 0 < old_size <= new_size:
        raise ValueError(f"no consistency proof from size {old_size} to {new_size}")
    proof: list[bytes] = []
    lo, hi, m, complete = 0, new_size, old_size, True
    while m != hi - lo:
        k = _split(hi - lo)
        if m <= k:
            proof.append(range_hash(lo + k, hi, subtree))
            hi = lo + k
        else:
            proof.append(range_hash(lo, lo + k, subtree))
            lo, m, complete = lo + k, m - k, False
    if not complete:
        proof.append(range_hash(lo, hi, subtree))
    proof.reverse()
    return proof


def _recording() -> tuple[list[tuple[int, int]], SubtreeHashes]:
    wanted: list[tuple[int, int]] = []

    def record(level: int, index: int) -> bytes:
        wanted.append((level, index))
        return bytes(HASH_SIZE)

    return wanted, record


def needed_for_root(size: int) -> list[tuple[int, int]]:
    """The complete subtrees ``root_hash`` reads (at most one per bit of ``size``)."""
    wanted, record = _recording()
    root_hash(size, record)
    return wanted


def needed_for_inclusion(index: int, size: int) -> list[tuple[int, int]]:
    """The complete subtrees ``inclusion_proof`` and ``root_hash`` read, without reading."""
    wanted, record = _recording()
    inclusion_proof(index, size, record)
    root_hash(size, record)
    return wanted


def needed_for_consistency(old_size: int, new_size: int) -> list[tuple[int, int]]:
    wanted, record = _recording()
    consistency_proof(old_size, new_size, record)
    root_hash(old_size, record)
    root_hash(new_size, record)
    return wanted


def completed_by_append(
    index: int, leaf: bytes, subtree: SubtreeHashes
) -> list[tuple[int, int, bytes]]:
    """The subtrees that leaf ``index`` completes: (level, index, hash), level 0 first.

    Reads one stored left sibling per completed level: O(log n).
    """
    completed = [(0, index, leaf)]
    current, position, level = leaf, index, 0
    while position % 2 == 1:
        left = subtree(level, position - 1)
        current = node_hash(left, current)
        position //= 2
        level += 1
        completed.append((level, position, current))
    return completed


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 §2.1.3.2: is ``leaf`` at ``index`` in the tree of ``size`` with ``root``?"""
    if not 0 <= index < size or len(root) != HASH_SIZE:
        return False
    fn, sn, r = index, size - 1, leaf
    for sibling in proof:
        if sn == 0 or len(sibling) != HASH_SIZE:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(sibling, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, sibling)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2: does the tree of ``new_size`` extend the tree of ``old_size``?"""
    if len(old_root) != HASH_SIZE or len(new_root) != HASH_SIZE:
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0 or new_size < old_size or not proof:
        return False
    path = list(proof)
    if any(len(h) != HASH_SIZE for h in path):
        return False
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root


def subtrees_of(leaf_hashes: Iterable[bytes]) -> dict[tuple[int, int], bytes]:
    """Every complete subtree of a list of leaf hashes (for tests and bulk loads)."""
    nodes: dict[tuple[int, int], bytes] = {}
    for index, leaf in enumerate(leaf_hashes):
        for level, position, value in completed_by_append(
            index, leaf, lambda lv, ix: nodes[(lv, ix)]
        ):
            nodes[(level, position)] = value
    return nodes

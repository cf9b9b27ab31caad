"""RFC 9162 Merkle hashing and proofs: the published test vectors, then properties.

No database. The reference vectors are facts published with Certificate
Transparency (google/certificate-transparency, cpp/merkletree/merkle_tree_test.cc:
kInputs, kSHA256Roots, kSHA256Paths, kSHA256Proofs; the same tree's node hashes in
transparency-dev/merkle, testonly/constants.go, and its (6, 7) consistency proof in
proof/verify_test.go). CT numbers leaves from 1; here they are 0-based indices.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qinglian.transparency import merkle

H = bytes.fromhex

# The reference tree: eight leaf inputs (hex), and the root of each prefix of it.
LEAF_INPUTS = [
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
]
EMPTY_ROOT = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
ROOTS = {
    1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    2: "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    3: "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    4: "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    5: "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    6: "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    7: "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}
# Every complete subtree of the eight-leaf tree, as (level, index) -> hash.
NODE_HASHES = {
    (0, 0): "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    (0, 1): "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    (0, 2): "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
    (0, 3): "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
    (0, 4): "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    (0, 5): "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
    (0, 6): "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
    (0, 7): "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
    (1, 0): "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    (1, 1): "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
    (1, 2): "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
    (1, 3): "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    (2, 0): "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    (2, 1): "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    (3, 0): "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}
# (index, size) -> audit path, nearest sibling first.
INCLUSION_PROOFS = {
    (0, 1): [],
    (0, 8): [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    (5, 8): [
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
    (2, 3): [
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    ],
    (1, 5): [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
}
# (old size, new size) -> consistency proof.
CONSISTENCY_PROOFS = {
    (1, 1): [],
    (1, 8): [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    (6, 8): [
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
    (2, 5): [
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
    (6, 7): [
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
    # PROOF(3, D[8]) of RFC 9162 §2.1.4.1, written out with the published node
    # hashes above: leaves 2 and 3, the subtree of leaves 0-1, the subtree of 4-7.
    (3, 8): [
        "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
}

REFERENCE_LEAVES = [merkle.leaf_hash(H(data)) for data in LEAF_INPUTS]
REFERENCE_NODES = merkle.subtrees_of(REFERENCE_LEAVES)
OTHER_HASH = H("abacaba000000000000000000000000000000000000000000060061e00123456")


def _flip(value: bytes, bit: int) -> bytes:
    """``value`` with one bit flipped (bit counted from the first byte's low bit)."""
    changed = bytearray(value)
    changed[(bit // 8) % len(changed)] ^= 1 << (bit % 8)
    return bytes(changed)


def _log2_ceil(size: int) -> int:
    return math.ceil(math.log2(size)) if size > 1 else 0


# --- the published vectors --------------------------------------------------------------


def test_empty_tree_root_is_sha256_of_nothing():
    assert merkle.EMPTY_ROOT.hex() == EMPTY_ROOT
    assert merkle.root_of([]).hex() == EMPTY_ROOT
    assert merkle.root_hash(0, merkle.from_mapping({})).hex() == EMPTY_ROOT


@pytest.mark.parametrize("size", sorted(ROOTS))
def test_reference_roots_for_every_prefix(size):
    assert merkle.root_of(REFERENCE_LEAVES[:size]).hex() == ROOTS[size]
    nodes = merkle.subtrees_of(REFERENCE_LEAVES[:size])
    assert merkle.root_hash(size, merkle.from_mapping(nodes)).hex() == ROOTS[size]


def test_reference_subtrees_are_the_published_node_hashes():
    assert {key: value.hex() for key, value in REFERENCE_NODES.items()} == NODE_HASHES


@pytest.mark.parametrize(("index", "size"), sorted(INCLUSION_PROOFS))
def test_reference_inclusion_proofs(index, size):
    expected = [H(h) for h in INCLUSION_PROOFS[(index, size)]]
    subtree = merkle.from_mapping(REFERENCE_NODES)
    assert merkle.inclusion_proof(index, size, subtree) == expected
    leaf, root = REFERENCE_LEAVES[index], H(ROOTS[size])
    assert merkle.verify_inclusion(index, size, leaf, expected, root)
    for name, probe in _inclusion_probes(index, size, leaf, expected, root, bit=3):
        assert not merkle.verify_inclusion(*probe), name


@pytest.mark.parametrize(("old", "new"), sorted(CONSISTENCY_PROOFS))
def test_reference_consistency_proofs(old, new):
    expected = [H(h) for h in CONSISTENCY_PROOFS[(old, new)]]
    assert merkle.consistency_proof(old, new, merkle.from_mapping(REFERENCE_NODES)) == expected
    old_root, new_root = H(ROOTS[old]), H(ROOTS[new])
    assert merkle.verify_consistency(old, new, old_root, new_root, expected)
    for name, probe in _consistency_probes(old, new, old_root, new_root, expected, bit=4):
        assert not merkle.verify_consistency(*probe), name


# --- corrupted proofs (after transparency-dev/merkle's probes) ---------------------------

InclusionProbe = tuple[str, tuple[int, int, bytes, list[bytes], bytes]]
ConsistencyProbe = tuple[str, tuple[int, int, bytes, bytes, list[bytes]]]


def _inclusion_probes(
    index: int, size: int, leaf: bytes, proof: list[bytes], root: bytes, *, bit: int
) -> Iterator[InclusionProbe]:
    """Arguments of ``verify_inclusion`` that must all be refused."""
    yield "index - 1", (index - 1, size, leaf, proof, root)
    yield "index + 1", (index + 1, size, leaf, proof, root)
    yield "index ^ 2", (index ^ 2, size, leaf, proof, root)
    yield "size * 2", (index, size * 2, leaf, proof, root)
    yield "size // 2", (index, size // 2, leaf, proof, root)
    yield "changed leaf", (index, size, _flip(leaf, bit), proof, root)
    yield "changed root", (index, size, leaf, proof, _flip(root, bit))
    yield "empty tree root", (index, size, leaf, proof, merkle.EMPTY_ROOT)
    yield "short root", (index, size, leaf, proof, root[:-1])
    for j in range(len(proof)):
        flipped = [*proof[:j], _flip(proof[j], bit + j), *proof[j + 1 :]]
        yield f"proof[{j}] bit flipped", (index, size, leaf, flipped, root)
        short = [*proof[:j], proof[j][:-1], *proof[j + 1 :]]
        yield f"proof[{j}] short", (index, size, leaf, short, root)
    if proof:
        yield "truncated", (index, size, leaf, proof[:-1], root)
        yield "first dropped", (index, size, leaf, proof[1:], root)
    if len(proof) > 1:
        inserted = [proof[0], OTHER_HASH, *proof[1:]]
        yield "inserted component", (index, size, leaf, inserted, root)
    yield "trailing root", (index, size, leaf, [*proof, root], root)
    yield "trailing hash", (index, size, leaf, [*proof, OTHER_HASH], root)
    yield "trailing garbage", (index, size, leaf, [*proof, b""], root)
    yield "preceding root", (index, size, leaf, [root, *proof], root)
    yield "preceding garbage", (index, size, leaf, [b"", *proof], root)


def _consistency_probes(
    old: int, new: int, old_root: bytes, new_root: bytes, proof: list[bytes], *, bit: int
) -> Iterator[ConsistencyProbe]:
    """Arguments of ``verify_consistency`` that must all be refused."""
    yield "changed old root", (old, new, _flip(old_root, bit), new_root, proof)
    yield "changed new root", (old, new, old_root, _flip(new_root, bit), proof)
    yield "short new root", (old, new, old_root, new_root[:-1], proof)
    yield "trailing hash", (old, new, old_root, new_root, [*proof, OTHER_HASH])
    yield "trailing old root", (old, new, old_root, new_root, [*proof, old_root])
    yield "trailing new root", (old, new, old_root, new_root, [*proof, new_root])
    if not proof:  # old == new: nothing else to corrupt
        return
    yield "old - 1", (old - 1, new, old_root, new_root, proof)
    yield "old + 1", (old + 1, new, old_root, new_root, proof)
    yield "old ^ 2", (old ^ 2, new, old_root, new_root, proof)
    yield "new * 2", (old, new * 2, old_root, new_root, proof)
    yield "new // 2", (old, new // 2, old_root, new_root, proof)
    yield "swapped roots", (old, new, new_root, old_root, proof)
    yield "empty proof", (old, new, old_root, new_root, [])
    yield "truncated", (old, new, old_root, new_root, proof[:-1])
    yield "first dropped", (old, new, old_root, new_root, proof[1:])
    yield "trailing garbage", (old, new, old_root, new_root, [*proof, b""])
    yield "preceding garbage", (old, new, old_root, new_root, [b"", *proof])
    yield "preceding old root", (old, new, old_root, new_root, [old_root, *proof])
    yield "preceding new root", (old, new, old_root, new_root, [new_root, *proof])
    yield "preceding proof[0]", (old, new, old_root, new_root, [proof[0], *proof])
    for j in range(len(proof)):
        flipped = [*proof[:j], _flip(proof[j], bit + j), *proof[j + 1 :]]
        yield f"proof[{j}] bit flipped", (old, new, old_root, new_root, flipped)
        short = [*proof[:j], proof[j][:-1], *proof[j + 1 :]]
        yield f"proof[{j}] short", (old, new, old_root, new_root, short)


# --- properties over every tree size ------------------------------------------------------

MAX_SIZE = 300
leaf_bytes = st.randoms(use_true_random=False)


def _random_leaves(rnd: random.Random, size: int) -> list[bytes]:
    """Distinct leaves (equal records would make a proof for one index fit another)."""
    return [
        merkle.leaf_hash(index.to_bytes(4, "big") + rnd.randbytes(rnd.randrange(0, 48)))
        for index in range(size)
    ]


def test_every_size_up_to_the_maximum_every_index_and_every_old_size_verify():
    """Exhaustive: one tree of MAX_SIZE leaves stores the subtrees of all its prefixes."""
    leaves = _random_leaves(random.Random(6962), MAX_SIZE)
    subtree = merkle.from_mapping(merkle.subtrees_of(leaves))
    roots = [merkle.root_of(leaves[:size]) for size in range(MAX_SIZE + 1)]
    for size in range(1, MAX_SIZE + 1):
        assert merkle.root_hash(size, subtree) == roots[size]
        for index in range(size):
            proof = merkle.inclusion_proof(index, size, subtree)
            assert merkle.verify_inclusion(index, size, leaves[index], proof, roots[size])
        for old in range(1, size + 1):
            proof = merkle.consistency_proof(old, size, subtree)
            assert merkle.verify_consistency(old, size, roots[old], roots[size], proof)


@settings(max_examples=60, deadline=None)
@given(size=st.integers(1, MAX_SIZE), rnd=leaf_bytes, bit=st.integers(0, 255))
def test_inclusion_proofs_verify_for_every_index_and_no_corruption_does(size, rnd, bit):
    leaves = _random_leaves(rnd, size)
    subtree = merkle.from_mapping(merkle.subtrees_of(leaves))
    root = merkle.root_hash(size, subtree)
    assert root == merkle.root_of(leaves)
    for index in range(size):
        proof = merkle.inclusion_proof(index, size, subtree)
        assert len(proof) <= _log2_ceil(size)
        assert merkle.verify_inclusion(index, size, leaves[index], proof, root)
        for name, probe in _inclusion_probes(index, size, leaves[index], proof, root, bit=bit):
            assert not merkle.verify_inclusion(*probe), (name, index)


@settings(max_examples=40, deadline=None)
@given(size=st.integers(1, MAX_SIZE), rnd=leaf_bytes, bit=st.integers(0, 255))
def test_consistency_proofs_verify_for_every_old_size_and_no_corruption_does(size, rnd, bit):
    leaves = _random_leaves(rnd, size)
    subtree = merkle.from_mapping(merkle.subtrees_of(leaves))
    roots = [merkle.root_hash(old, subtree) for old in range(size + 1)]
    for old in range(1, size + 1):
        proof = merkle.consistency_proof(old, size, subtree)
        assert len(proof) <= _log2_ceil(size) + 1
        assert merkle.verify_consistency(old, size, roots[old], roots[size], proof)
        for name, probe in _consistency_probes(old, size, roots[old], roots[size], proof, bit=bit):
            assert not merkle.verify_consistency(*probe), (name, old)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), size=st.integers(2, MAX_SIZE), rnd=leaf_bytes)
def test_changing_an_earlier_leaf_breaks_consistency_with_the_old_root(data, size, rnd):
    old = data.draw(st.integers(1, size - 1), label="old")
    changed = data.draw(st.integers(0, old - 1), label="changed")
    leaves = _random_leaves(rnd, size)
    old_root = merkle.root_of(leaves[:old])
    original_leaf = leaves[changed]
    leaves[changed] = merkle.leaf_hash(b"rewritten " + original_leaf)
    rewritten = merkle.from_mapping(merkle.subtrees_of(leaves))
    new_root = merkle.root_hash(size, rewritten)
    proof = merkle.consistency_proof(old, size, rewritten)
    assert not merkle.verify_consistency(old, size, old_root, new_root, proof)
    # nor does the rewritten log prove that the original record is still in it
    path = merkle.inclusion_proof(changed, size, rewritten)
    assert not merkle.verify_inclusion(changed, size, original_leaf, path, new_root)


@settings(max_examples=30, deadline=None)
@given(data=st.data(), size=st.integers(2, MAX_SIZE), rnd=leaf_bytes)
def test_changing_a_later_leaf_keeps_consistency_with_the_old_root(data, size, rnd):
    """The counterpart: only what the old checkpoint covered is bound by it."""
    old = data.draw(st.integers(1, size - 1), label="old")
    changed = data.draw(st.integers(old, size - 1), label="changed")
    leaves = _random_leaves(rnd, size)
    old_root = merkle.root_of(leaves[:old])
    leaves[changed] = merkle.leaf_hash(b"appended differently")
    tree = merkle.from_mapping(merkle.subtrees_of(leaves))
    proof = merkle.consistency_proof(old, size, tree)
    assert merkle.verify_consistency(old, size, old_root, merkle.root_hash(size, tree), proof)


@settings(max_examples=60, deadline=None)
@given(size=st.integers(0, MAX_SIZE), rnd=leaf_bytes)
def test_appending_one_leaf_at_a_time_stores_exactly_the_complete_subtrees(size, rnd):
    leaves = _random_leaves(rnd, size)
    stored: dict[tuple[int, int], bytes] = {}
    for index, leaf in enumerate(leaves):
        reads: list[tuple[int, int]] = []

        def read(level: int, position: int, reads: list[tuple[int, int]] = reads) -> bytes:
            reads.append((level, position))
            return stored[(level, position)]

        completed = merkle.completed_by_append(index, leaf, read)
        ones = (index ^ (index + 1)).bit_length() - 1  # trailing one bits of index
        assert [(level, position) for level, position, _ in completed] == [
            (level, index >> level) for level in range(ones + 1)
        ]
        assert completed[0] == (0, index, leaf)
        assert reads == [(level, (index >> level) - 1) for level in range(ones)]
        for level, position, value in completed:
            assert (level, position) not in stored  # a complete subtree is written once
            stored[(level, position)] = value
    assert stored == merkle.subtrees_of(leaves)
    assert set(stored) == {
        (level, position) for level in range(size.bit_length()) for position in range(size >> level)
    }
    assert merkle.root_hash(size, merkle.from_mapping(stored)) == merkle.root_of(leaves)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), size=st.integers(1, 1 << 20))
def test_proofs_read_only_a_logarithmic_number_of_stored_subtrees(data, size):
    """The store fetches what ``needed_for_*`` names, and nothing else is read."""
    index = data.draw(st.integers(0, size - 1), label="index")
    old = data.draw(st.integers(1, size), label="old")
    bound = 2 * _log2_ceil(size) + 2

    def fake(level: int, position: int) -> bytes:
        assert (position + 1) << level <= size, "not a complete subtree of the tree"
        return merkle.leaf_hash(f"{level}/{position}".encode())

    wanted = merkle.needed_for_inclusion(index, size)
    assert len(set(wanted)) <= bound
    assert len(wanted) <= 2 * bound
    only = merkle.from_mapping({pair: fake(*pair) for pair in wanted})
    assert merkle.inclusion_proof(index, size, only) == merkle.inclusion_proof(index, size, fake)
    assert merkle.root_hash(size, only) == merkle.root_hash(size, fake)

    wanted = merkle.needed_for_consistency(old, size)
    assert len(set(wanted)) <= bound
    assert len(wanted) <= 2 * bound
    only = merkle.from_mapping({pair: fake(*pair) for pair in wanted})
    assert merkle.consistency_proof(old, size, only) == merkle.consistency_proof(old, size, fake)
    assert merkle.root_hash(old, only) == merkle.root_hash(old, fake)
    assert merkle.root_hash(size, only) == merkle.root_hash(size, fake)


# --- edges ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("index", "size"), [(0, 0), (1, 1), (-1, 4), (8, 8)])
def test_no_inclusion_proof_outside_the_tree(index, size):
    with pytest.raises(ValueError, match="not in a tree"):
        merkle.inclusion_proof(index, size, merkle.from_mapping(REFERENCE_NODES))
    assert not merkle.verify_inclusion(index, size, REFERENCE_LEAVES[0], [], H(ROOTS[1]))


@pytest.mark.parametrize(("old", "new"), [(0, 0), (0, 5), (5, 4), (-1, 3)])
def test_no_consistency_proof_between_impossible_sizes(old, new):
    with pytest.raises(ValueError, match="no consistency proof"):
        merkle.consistency_proof(old, new, merkle.from_mapping(REFERENCE_NODES))


def test_a_tree_is_consistent_with_itself_only_by_an_empty_proof_and_its_own_root():
    root = H(ROOTS[5])
    assert merkle.verify_consistency(5, 5, root, root, [])
    assert not merkle.verify_consistency(5, 5, root, root, [root])
    assert not merkle.verify_consistency(5, 5, root, H(ROOTS[4]), [])
    assert not merkle.verify_consistency(5, 5, root[:31], root[:31], [])


def test_a_one_leaf_tree_proves_its_leaf_with_an_empty_path():
    leaf = REFERENCE_LEAVES[0]
    assert merkle.verify_inclusion(0, 1, leaf, [], leaf)
    assert not merkle.verify_inclusion(0, 1, leaf, [], merkle.EMPTY_ROOT)
    assert not merkle.verify_inclusion(0, 1, leaf, [leaf], leaf)


def test_leaf_and_node_hashes_are_domain_separated():
    left, right = REFERENCE_LEAVES[0], REFERENCE_LEAVES[1]
    assert merkle.node_hash(left, right) != merkle.leaf_hash(left + right)
    assert merkle.node_hash(left, right) == H(NODE_HASHES[(1, 0)])


def test_a_range_must_not_be_empty():
    with pytest.raises(ValueError, match="empty range"):
        merkle.range_hash(3, 3, merkle.from_mapping(REFERENCE_NODES))

"""C2SP signed notes, Go `note` key strings and tlog checkpoints. No database.

The known answers are published facts: the keys, text and signatures of
golang.org/x/mod/sumdb/note (note.go's package example and note_test.go), and a
verifier key whose base64 holds a '+' from transparency-dev/formats
(note/note_cosigv1_test.go). Ed25519 is deterministic, so signing the Go text
with the Go key must give the Go signature byte for byte.
"""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from qinglian.transparency.notes import Checkpoint, NoteError, Signer, Verifier, open_note

PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
PLUS_VKEY = "TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6"
TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
PETER_SIG = (
    "\u2014 PeterNeumann "
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)
ENOCH_SIG = (
    "\u2014 EnochRoot "
    "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"
)
PETER_NOTE = TEXT + "\n" + PETER_SIG

ROOT = bytes(range(32))
ROOT_B64 = base64.b64encode(ROOT).decode()


def _public_bytes(verifier: Verifier) -> bytes:
    return verifier.public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def _signer_with_plus(name: str) -> Signer:
    """A development key (derived from a seed) whose vkey and skey base64 both hold '+'."""
    for n in range(1000):
        signer = Signer.from_seed(name, n.to_bytes(4, "big"))
        if "+" in signer.vkey().split("+", 2)[2] and "+" in signer.encoded().split("+", 4)[4]:
            return signer
    raise AssertionError("no such seed below 1000")


# --- keys ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("vkey", "name", "key_id"),
    [
        (PETER_VKEY, "PeterNeumann", "c74f20a3"),
        (ENOCH_VKEY, "EnochRoot", "af0cfe78"),
        (PLUS_VKEY, "TEST", "7997405c"),
    ],
)
def test_key_id_is_sha256_of_name_newline_algorithm_and_public_key(vkey, name, key_id):
    verifier = Verifier.parse(vkey)
    public = base64.b64decode(vkey.split("+", 2)[2])[1:]
    assert verifier.name == name
    assert _public_bytes(verifier) == public
    assert hashlib.sha256(name.encode() + b"\n" + b"\x01" + public).digest()[:4].hex() == key_id
    assert verifier.key_id.hex() == key_id


def test_the_go_signer_key_parses_and_encodes_back_to_the_same_strings():
    signer = Signer.parse(PETER_SKEY)  # its base64 holds a '+'
    assert (signer.name, signer.key_id.hex()) == ("PeterNeumann", "c74f20a3")
    assert signer.encoded() == PETER_SKEY
    assert signer.vkey() == PETER_VKEY


def test_signing_the_go_text_gives_the_go_note_byte_for_byte():
    assert Signer.parse(PETER_SKEY).sign(TEXT) == PETER_NOTE


def test_the_go_note_opens_with_its_verifier_key():
    assert open_note(PETER_NOTE, [Verifier.parse(PETER_VKEY)]) == TEXT


def test_a_generated_key_round_trips_through_its_strings():
    signer = Signer.generate("qinglian.example/log")
    again = Signer.parse(signer.encoded())
    verifier = Verifier.parse(signer.vkey())
    assert (
        (again.name, again.key_id)
        == (verifier.name, verifier.key_id)
        == (
            signer.name,
            signer.key_id,
        )
    )
    assert again.encoded() == signer.encoded()
    text = "qinglian.example/log\n3\n" + ROOT_B64 + "\n"
    note = signer.sign(text)
    assert again.sign(text) == note  # the same private key
    assert open_note(note, [verifier]) == text


def test_keys_whose_base64_holds_a_plus_round_trip():
    signer = _signer_with_plus("qinglian.example/log")
    assert Signer.parse(signer.encoded()).vkey() == signer.vkey()
    verifier = Verifier.parse(signer.vkey())
    assert verifier.key_id == signer.key_id
    assert open_note(signer.sign("a\n"), [verifier]) == "a\n"
    assert Verifier.parse(PLUS_VKEY).name == "TEST"


def test_a_seeded_key_is_the_same_key_every_time():
    assert Signer.from_seed("dev", b"seed").vkey() == Signer.from_seed("dev", b"seed").vkey()
    assert Signer.from_seed("dev", b"seed").vkey() != Signer.from_seed("dev", b"seed2").vkey()


def _manglings(key: str) -> list[str]:
    """Every proper substring of the key, and the key with any one character bumped."""
    cut = [key[i:j] for i in range(len(key) + 1) for j in range(i + 1, len(key) + 1)]
    bumped = [key[:i] + chr(ord(key[i]) + 1) + key[i + 1 :] for i in range(len(key))]
    return [k for k in cut + bumped if k != key and k.strip() != key]


def test_every_mangled_verifier_key_is_refused():
    for mangled in _manglings(PETER_VKEY):
        with pytest.raises(NoteError):
            Verifier.parse(mangled)


def test_every_mangled_signer_key_is_refused():
    for mangled in _manglings(PETER_SKEY):
        with pytest.raises(NoteError):
            Signer.parse(mangled)


@pytest.mark.parametrize(
    "vkey",
    [
        # golang.org/x/mod note_test.go: a key of the wrong length, and an unknown
        # algorithm, each with the key id recomputed to match
        "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
        "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+C74F20A+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "",
    ],
)
def test_malformed_verifier_keys_are_refused(vkey):
    with pytest.raises(NoteError):
        Verifier.parse(vkey)


@pytest.mark.parametrize("name", ["with space", "with+plus", "", "tab\there"])
def test_a_key_name_has_no_space_and_no_plus(name):
    with pytest.raises(NoteError):
        Signer.generate(name)


# --- notes ---------------------------------------------------------------------------


def test_a_note_signed_by_an_unknown_key_is_refused():
    with pytest.raises(NoteError, match="no known key"):
        open_note(PETER_NOTE, [Verifier.parse(ENOCH_VKEY)])
    with pytest.raises(NoteError, match="no known key"):
        open_note(PETER_NOTE, [])
    # the same name under another key is another key
    impostor = Signer.generate("PeterNeumann")
    with pytest.raises(NoteError, match="no known key"):
        open_note(PETER_NOTE, [Verifier.parse(impostor.vkey())])
    with pytest.raises(NoteError, match="no known key"):
        open_note(impostor.sign(TEXT), [Verifier.parse(PETER_VKEY)])


def test_a_tampered_text_is_refused():
    tampered = PETER_NOTE.replace("cryptography", "cryptographY")
    with pytest.raises(NoteError, match="no known key"):
        open_note(tampered, [Verifier.parse(PETER_VKEY)])
    appended = TEXT + "one more line\n\n" + PETER_SIG
    with pytest.raises(NoteError, match="no known key"):
        open_note(appended, [Verifier.parse(PETER_VKEY)])


@pytest.mark.parametrize("position", [4, 10, 40, 67])  # byte 0-3: key id; then the signature
def test_a_tampered_signature_is_refused(position):
    prefix, encoded = PETER_SIG.rstrip("\n").rsplit(" ", 1)
    raw = bytearray(base64.b64decode(encoded))
    raw[position] ^= 0x01
    line = f"{prefix} {base64.b64encode(bytes(raw)).decode()}\n"
    with pytest.raises(NoteError, match="no known key"):
        open_note(TEXT + "\n" + line, [Verifier.parse(PETER_VKEY)])


@pytest.mark.parametrize(
    "note",
    [
        pytest.param("", id="empty"),
        pytest.param(TEXT, id="text only"),
        pytest.param(TEXT + "\n", id="no signature lines"),
        pytest.param(TEXT + "\n" + PETER_SIG.rstrip("\n"), id="no final newline"),
        pytest.param(
            TEXT + "\n" + PETER_SIG.replace("PeterNeumann", "Peter Neumann"),
            id="name with a space",
        ),
        pytest.param(TEXT + "\n" + "Unexpected line.\n" + PETER_SIG, id="line before"),
        pytest.param(
            TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
            id="line after a good signature",
        ),
        pytest.param(TEXT + "\n" + PETER_SIG.replace("\u2014", "-"), id="hyphen for em dash"),
        pytest.param(
            TEXT + "\n" + PETER_SIG.replace("x08go/", "x08go!"), id="signature not base64"
        ),
        pytest.param(TEXT + "\n" + PETER_SIG + "\n", id="blank line after the signatures"),
    ],
)
def test_a_malformed_note_is_refused(note):
    with pytest.raises(NoteError):
        open_note(note, [Verifier.parse(PETER_VKEY)])


def test_signatures_by_unknown_keys_are_ignored_when_a_known_key_also_signed():
    both = TEXT + "\n" + PETER_SIG + ENOCH_SIG
    assert open_note(both, [Verifier.parse(PETER_VKEY)]) == TEXT
    assert open_note(both, [Verifier.parse(ENOCH_VKEY)]) == TEXT
    reversed_order = TEXT + "\n" + ENOCH_SIG + PETER_SIG
    assert open_note(reversed_order, [Verifier.parse(PETER_VKEY)]) == TEXT
    # a witness nobody here knows cosigns our own checkpoint
    log, witness = Signer.generate("qinglian.example/log"), Signer.generate("witness.example")
    text = "qinglian.example/log\n7\n" + ROOT_B64 + "\n"
    cosigned = log.sign(text) + witness.sign(text).split("\n\n", 1)[1]
    assert cosigned.count("\u2014 ") == 2
    assert open_note(cosigned, [Verifier.parse(log.vkey())]) == text
    with pytest.raises(NoteError, match="no known key"):
        open_note(cosigned, [Verifier.parse(PETER_VKEY)])


@pytest.mark.parametrize(
    "text", ["no final newline", "blank\n\nline\n", "", "ends with a blank line\n\n"]
)
def test_only_a_text_with_a_final_newline_and_no_blank_line_is_signed(text):
    with pytest.raises(NoteError):
        Signer.parse(PETER_SKEY).sign(text)


# --- checkpoints -----------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, 255, 256, 1_000_000, 2**63 - 1])
def test_a_checkpoint_text_parses_back_to_itself(size):
    checkpoint = Checkpoint("qinglian.example/log", size, ROOT)
    text = checkpoint.text()
    assert text == f"qinglian.example/log\n{size}\n{ROOT_B64}\n"
    assert Checkpoint.parse(text) == checkpoint


def test_a_signed_checkpoint_opens_and_parses():
    signer = Signer.generate("qinglian.example/log")
    note = signer.sign(Checkpoint("qinglian.example/log", 42, ROOT).text())
    text = open_note(note, [Verifier.parse(signer.vkey())])
    assert Checkpoint.parse(text) == Checkpoint("qinglian.example/log", 42, ROOT)


def test_a_checkpoint_may_carry_extension_lines():
    text = f"qinglian.example/log\n42\n{ROOT_B64}\nextension: value\n"
    assert Checkpoint.parse(text) == Checkpoint("qinglian.example/log", 42, ROOT)


@pytest.mark.parametrize(
    "text",
    [
        f"origin\n007\n{ROOT_B64}\n",
        f"origin\n00\n{ROOT_B64}\n",
        f"origin\n-1\n{ROOT_B64}\n",
        f"origin\n+5\n{ROOT_B64}\n",
        f"origin\n 5\n{ROOT_B64}\n",
        f"origin\n5 \n{ROOT_B64}\n",
        f"origin\n0x10\n{ROOT_B64}\n",
        f"origin\n\n{ROOT_B64}\n",
        "origin\n5\nnot base64!\n",
        f"origin\n5\n{ROOT_B64.rstrip('=')}\n",
        f"origin\n5\n{base64.b64encode(ROOT[:31]).decode()}\n",
        f"origin\n5\n{base64.b64encode(ROOT + b'x').decode()}\n",
        f"origin\n5\n{ROOT_B64}",
        "origin\n5\n",
        "origin\n",
        "",
        f"\n5\n{ROOT_B64}\n",
    ],
    ids=[
        "leading zeros",
        "zero with a leading zero",
        "negative size",
        "plus sign",
        "leading space",
        "trailing space",
        "hex size",
        "empty size",
        "root not base64",
        "root without padding",
        "short root",
        "long root",
        "no final newline",
        "no root line",
        "origin only",
        "empty",
        "empty origin",
    ],
)
def test_a_malformed_checkpoint_is_refused(text):
    with pytest.raises(NoteError):
        Checkpoint.parse(text)


@pytest.mark.parametrize("size", ["\u0663", "\uff11\uff12", "\u00b2"], ids=["arabic", "fw", "sup"])
def test_a_checkpoint_size_is_ascii_decimal(size):
    with pytest.raises(NoteError):
        Checkpoint.parse(f"origin\n{size}\n{ROOT_B64}\n")

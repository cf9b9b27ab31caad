"""C2SP signed notes and tlog checkpoints, with Ed25519 keys in the Go `note` formats.

No Django here. Key strings are those of golang.org/x/mod/sumdb/note:

    signer   PRIVATE+KEY+<name>+<key id, 8 hex>+<base64(0x01 ‖ 32-byte seed)>
    verifier <name>+<key id, 8 hex>+<base64(0x01 ‖ 32-byte public key)>

where key id = the first 4 bytes of SHA-256(name ‖ "\\n" ‖ 0x01 ‖ public key). A
signed note is its text, a blank line, and one line per signature:
"— <name> <base64(key id ‖ signature)>". A checkpoint's text is three lines:
origin, tree size, base64 root hash (C2SP tlog-checkpoint).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

ALG_ED25519 = 0x01
MAX_SIGNATURES = 100
MAX_TREE_SIZE = 2**63 - 1
_TREE_SIZE = re.compile(r"^(0|[1-9][0-9]*)$", re.ASCII)
_SIGNATURE_LINE = re.compile(r"^\u2014 (\S+) (\S+)$")
_NAME = re.compile(r"^[^\s+]+$")


class NoteError(ValueError):
    """A malformed key, note or checkpoint, or a note no known key signed."""


def _key_id(name: str, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([ALG_ED25519]) + public).digest()[:4]


def _b64decode(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise NoteError(f"not base64: {text[:20]!r}") from None


@dataclass(frozen=True)
class Verifier:
    name: str
    key_id: bytes
    public_key: Ed25519PublicKey

    @classmethod
    def parse(cls, vkey: str) -> Verifier:
        parts = vkey.strip().split("+", 2)  # base64 key data may itself contain "+"
        if len(parts) != 3 or not _NAME.match(parts[0]):
            raise NoteError("a verifier key reads <name>+<8 hex digits>+<base64 key>")
        name, key_hex, data = parts
        raw = _b64decode(data)
        if len(raw) != 33 or raw[0] != ALG_ED25519:
            raise NoteError("only Ed25519 verifier keys are supported")
        key_id = _key_id(name, raw[1:])
        if key_hex.lower() != key_id.hex():
            raise NoteError("the verifier key's id does not match its key")
        return cls(name, key_id, Ed25519PublicKey.from_public_bytes(raw[1:]))

    def verify(self, message: bytes, signature: bytes) -> bool:
        try:
            self.public_key.verify(signature, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class Signer:
    name: str
    key_id: bytes
    private_key: Ed25519PrivateKey

    @classmethod
    def generate(cls, name: str) -> Signer:
        if not _NAME.match(name):
            raise NoteError("a key name has no spaces and no '+'")
        private = Ed25519PrivateKey.generate()
        return cls(name, _key_id(name, _public_bytes(private)), private)

    @classmethod
    def from_seed(cls, name: str, seed: bytes) -> Signer:
        """A key from 32 bytes of seed: for development keys derived from another secret."""
        private = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(seed).digest())
        return cls(name, _key_id(name, _public_bytes(private)), private)

    @classmethod
    def parse(cls, skey: str) -> Signer:
        parts = skey.strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"] or not _NAME.match(parts[2]):
            raise NoteError("a signer key reads PRIVATE+KEY+<name>+<8 hex digits>+<base64 key>")
        name, key_hex, data = parts[2:]
        raw = _b64decode(data)
        if len(raw) != 33 or raw[0] != ALG_ED25519:
            raise NoteError("only Ed25519 signer keys are supported")
        private = Ed25519PrivateKey.from_private_bytes(raw[1:])
        key_id = _key_id(name, _public_bytes(private))
        if key_hex.lower() != key_id.hex():
            raise NoteError("the signer key's id does not match its key")
        return cls(name, key_id, private)

    def encoded(self) -> str:
        seed = self.private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        data = base64.b64encode(bytes([ALG_ED25519]) + seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.key_id.hex()}+{data}"

    def vkey(self) -> str:
        data = base64.b64encode(bytes([ALG_ED25519]) + _public_bytes(self.private_key)).decode()
        return f"{self.name}+{self.key_id.hex()}+{data}"

    def sign(self, text: str) -> str:
        """The signed note: ``text`` (ending in a newline), a blank line, the signature."""
        if not text.endswith("\n") or "\n\n" in text:
            raise NoteError("a note's text ends with one newline and has no blank line")
        signature = self.private_key.sign(text.encode())
        line = base64.b64encode(self.key_id + signature).decode()
        return f"{text}\n\u2014 {self.name} {line}\n"


def _public_bytes(private: Ed25519PrivateKey) -> bytes:
    return private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def open_note(note: str, verifiers: list[Verifier]) -> str:
    """The note's text if a known key signed it; raises NoteError otherwise.

    Signatures by unknown keys are ignored, as C2SP asks.
    """
    text, separator, signatures = note.rpartition("\n\n")
    if not separator or not signatures.endswith("\n"):
        raise NoteError("a signed note is text, a blank line, and signature lines")
    text += "\n"
    lines = signatures[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise NoteError("too many signatures")
    parsed = []
    for line in lines:  # every line must be well formed before any is trusted
        match = _SIGNATURE_LINE.match(line)
        if not match:
            raise NoteError(f"malformed signature line: {line[:40]!r}")
        raw = _b64decode(match.group(2))
        if len(raw) < 5:
            raise NoteError("a signature is too short")
        parsed.append((match.group(1), raw))
    known = {(v.name, v.key_id): v for v in verifiers}
    for name, raw in parsed:
        verifier = known.get((name, raw[:4]))
        if verifier and verifier.verify(text.encode(), raw[4:]):
            return text
    raise NoteError("no known key signed this note")


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes

    def text(self) -> str:
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        lines = text.split("\n")
        if len(lines) < 4 or lines[-1] != "" or not lines[0]:
            raise NoteError("a checkpoint has an origin, a size and a root hash, one per line")
        size_text, root_text = lines[1], lines[2]
        if not _TREE_SIZE.match(size_text) or int(size_text) > MAX_TREE_SIZE:
            raise NoteError(f"bad tree size {size_text!r}: ASCII decimal, no leading zeros")
        root = _b64decode(root_text)
        if len(root) != 32:
            raise NoteError("a root hash has 32 bytes")
        return cls(lines[0], int(size_text), root)

"""Sealing reporters' names and phones to a discipline commission's key.

A commission makes its key pair with a passphrase (``sealing_key_create``). Each
real-name submission seals the reporter's identity to the key in use of every
commission above the village (township and county), with a libsodium sealed box:
the server can seal but not open. Opening needs the passphrase to unlock the
private key, which is stored encrypted (Argon2id, then SecretBox).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import nacl.exceptions
import nacl.pwhash
import nacl.secret
import nacl.utils
from django.conf import settings
from nacl.encoding import HexEncoder
from nacl.public import PrivateKey, PublicKey, SealedBox

from qinglian.appeals.models import SealingKey

MIN_PASSPHRASE_LENGTH = 12


class WrongPassphrase(Exception):
    """The passphrase does not open the commission's private key."""


@dataclass(frozen=True)
class Identity:
    name: str
    phone: str


def kdf_limits(kdf: str | None = None) -> tuple[int, int]:
    """(opslimit, memlimit) for new keys: ``kdf`` or else ``APPEALS_KDF``, "moderate" (the
    default) or "min" (tests, and the demo whose passphrase is published)."""
    argon = nacl.pwhash.argon2id
    if (kdf or settings.APPEALS_KDF) == "min":
        return argon.OPSLIMIT_MIN, argon.MEMLIMIT_MIN
    return argon.OPSLIMIT_MODERATE, argon.MEMLIMIT_INTERACTIVE * 2


def _unlock_key(passphrase: str, salt: bytes, opslimit: int, memlimit: int) -> bytes:
    return nacl.pwhash.argon2id.kdf(
        nacl.secret.SecretBox.KEY_SIZE, passphrase.encode(), salt, opslimit, memlimit
    )


def key_material(passphrase: str, *, kdf: str | None = None) -> dict[str, Any]:
    """A new key pair's columns for a ``SealingKey``, the private half locked by ``passphrase``."""
    private = PrivateKey.generate()
    salt = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
    opslimit, memlimit = kdf_limits(kdf)
    box = nacl.secret.SecretBox(_unlock_key(passphrase, salt, opslimit, memlimit))
    public = bytes(private.public_key)
    return {
        "public_key": public,
        "private_key_sealed": bytes(box.encrypt(bytes(private))),
        "kdf_salt": salt,
        "kdf_opslimit": opslimit,
        "kdf_memlimit": memlimit,
        "fingerprint": fingerprint(public),
    }


def fingerprint(public_key: bytes) -> str:
    text = HexEncoder.encode(public_key).decode()[:20]
    return " ".join(text[i : i + 4] for i in range(0, 20, 4))


def seal(key: SealingKey, identity: Identity) -> bytes:
    payload = json.dumps({"name": identity.name, "phone": identity.phone}, ensure_ascii=False)
    return bytes(SealedBox(PublicKey(bytes(key.public_key))).encrypt(payload.encode()))


def unseal(key: SealingKey, sealed: bytes, passphrase: str) -> Identity:
    box = nacl.secret.SecretBox(
        _unlock_key(passphrase, bytes(key.kdf_salt), key.kdf_opslimit, key.kdf_memlimit)
    )
    try:
        private = PrivateKey(box.decrypt(bytes(key.private_key_sealed)))
    except nacl.exceptions.CryptoError:
        raise WrongPassphrase from None
    data = json.loads(SealedBox(private).decrypt(bytes(sealed)).decode())
    return Identity(name=data["name"], phone=data["phone"])

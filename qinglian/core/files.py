"""Uploaded documents: told apart by their bytes, never by their names."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext as _

from qinglian.core.errors import DomainError

DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
_DOCUMENT_TYPES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


def document_type(content: bytes) -> str | None:
    """The content type of a PDF, PNG or JPEG file from its first bytes; None otherwise."""
    return next((ct for magic, ct in _DOCUMENT_TYPES if content.startswith(magic)), None)


def document_extension(content_type: str) -> str:
    return content_type.rsplit("/", 1)[1].replace("jpeg", "jpg")


@dataclass(frozen=True)
class Document:
    """An upload accepted as a PDF, PNG or JPEG: its type, digest and a stored name."""

    content_type: str
    sha256: str
    size: int

    @property
    def stored_name(self) -> str:
        return f"{self.sha256[:16]}.{document_extension(self.content_type)}"


def document_accepted(content: bytes) -> Document:
    """The upload as a document, or a ``DomainError`` on ``file`` saying what to attach."""
    if not content:
        raise DomainError(_("The file is empty."), field="file")
    if len(content) > DOCUMENT_MAX_BYTES:
        raise DomainError(_("The file is larger than 10 MB."), field="file")
    content_type = document_type(content)
    if content_type is None:
        raise DomainError(_("Attach a PDF, a JPEG or a PNG image."), field="file")
    return Document(content_type, hashlib.sha256(content).hexdigest(), len(content))

"""Uploaded documents: told apart by their bytes, never by their names."""

from __future__ import annotations

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

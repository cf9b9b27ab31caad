"""audit_record: the one way to write an audit event."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from qinglian.core.models import AuditEvent


def acting_user(actor: Any) -> Any:
    """The actor as a user row for an ``actor`` or ``…_by`` column: None for the system."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def audit_record(
    *,
    actor: Any,
    verb: str,
    target: models.Model,
    region_path: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an audit event. Must run inside the transaction of the change it records."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must be called inside the change's transaction")
    user = acting_user(actor)
    actor_id = user.pk if user is not None else None
    return AuditEvent.objects.create(
        actor_id=actor_id,
        verb=verb,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:200],
        region_path=region_path,
        data=data or {},
    )

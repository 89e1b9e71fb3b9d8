"""Appending to and checking the hash-chained audit log (see approvals.models)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .models import GENESIS, AuditEntry, AuditHead


def audit_record(
    *,
    session,
    actor,
    action: str,
    from_status: str = "",
    to_status: str = "",
    comment: str = "",
    changes: dict | None = None,
) -> AuditEntry:
    """Append one entry; must run inside the transaction of the change it records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the change's transaction")
    head = AuditHead.objects.select_for_update().get(pk=1)
    entry = AuditEntry(
        seq=head.seq + 1,
        session=session,
        actor=actor,
        at=timezone.now(),
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        changes=changes or {},
        prev_hash=head.hash,
    )
    entry.hash = entry.compute_hash()
    entry.save()
    head.seq, head.hash = entry.seq, entry.hash
    head.save(update_fields=["seq", "hash"])
    return entry


@dataclass(frozen=True)
class ChainCheck:
    checked: int
    broken_at: int | None  # seq of the first entry that does not fit, None when intact
    problem: str = ""


def verify_chain(batch: int = 2000) -> ChainCheck:
    previous, expected_seq, checked = GENESIS, 1, 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=batch):
        if entry.seq != expected_seq:
            return ChainCheck(checked, expected_seq, f"entri #{expected_seq} hilang")
        if entry.prev_hash != previous:
            return ChainCheck(checked, entry.seq, "tidak tersambung dengan entri sebelumnya")
        if entry.compute_hash() != entry.hash:
            return ChainCheck(checked, entry.seq, "isinya diubah setelah dicatat")
        previous, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    head = AuditHead.objects.get(pk=1)
    if head.seq != checked or head.hash != previous:
        return ChainCheck(checked, checked + 1, "entri terakhir hilang")
    return ChainCheck(checked, None)

"""The audit trail: an append-only, hash-chained log of every transition and change.

Each entry's hash covers its content and the previous entry's hash, so editing or deleting
any row breaks the chain from there on (`manage.py verify_audit_chain` finds the first
broken link). AuditHead is a one-row table holding the chain's end: appending locks it, so
concurrent writers queue instead of forking the chain.
"""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64


class AuditAction(models.TextChoices):
    CREATED = "created", _("dibuat")
    CHANGED = "changed", _("diubah")
    SUBMITTED = "submitted", _("diajukan")
    CONFIRMED = "confirmed", _("dikonfirmasi coach/mentor")
    APPROVED = "approved", _("disetujui atasan")
    RETURNED = "returned", _("dikembalikan")
    REJECTED = "rejected", _("ditolak")
    VERIFIED = "verified", _("diverifikasi")


class AuditHead(models.Model):
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS)

    def __str__(self) -> str:
        return f"audit head #{self.seq}"


class AuditEntry(models.Model):
    seq = models.PositiveBigIntegerField(unique=True)
    session = models.ForeignKey(
        "records.Session", on_delete=models.PROTECT, related_name="audit_entries"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)
    comment = models.TextField(blank=True)
    changes = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} sesi {self.session_id}"

    def save(self, *args, **kwargs):
        # Append-only: an entry is written once and never updated.
        if not self._state.adding:
            raise ValueError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit entries cannot be deleted.")

    def payload(self) -> dict:
        return {
            "seq": self.seq,
            "session": self.session_id,
            "actor": self.actor_id,
            "at": self.at.isoformat(),
            "action": self.action,
            "from": self.from_status,
            "to": self.to_status,
            "comment": self.comment,
            "changes": self.changes,
        }

    def compute_hash(self) -> str:
        content = json.dumps(self.payload(), sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256((self.prev_hash + content).encode()).hexdigest()


class ReminderKind(models.TextChoices):
    BEHIND_PACE = "behind_pace", _("di bawah target berjalan")
    WAITING_ITEMS = "waiting_items", _("pertemuan menunggu tindakan")
    RECAP_DUE = "recap_due", _("rekap triwulan segera jatuh tempo")


class ReminderSent(models.Model):
    """One reminder sent (approvals.reminders). The unique constraint is what makes "never
    the same reminder twice in a period" hold, also when two runs overlap."""

    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    # "2026-11" (month), "2026-W47" (ISO week), "2026-Q4/biro-sdm" (quarter and unit).
    period = models.CharField(max_length=60)
    sent_at = models.DateTimeField()
    summary = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("pengingat terkirim")
        verbose_name_plural = _("pengingat terkirim")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "period"], name="reminder_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.period} → {self.recipient_id}"

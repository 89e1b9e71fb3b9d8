"""What the documents leave behind: the log of generated PDFs, the quarterly recaps as they
were submitted, and the annual certificates with their issuing batches."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    LAMPIRAN_I = "lampiran_i", _("Formulir CMB (Lampiran I)")
    KARTU = "kartu", _("Kartu Pengendali (Lampiran II)")
    TABEL = "tabel", _("Tabel Kegiatan (Langsa)")
    RECAP = "recap", _("Rekapitulasi triwulan (Lampiran III)")
    CERTIFICATE = "certificate", _("Sertifikat elektronik")


class GeneratedDocument(models.Model):
    """Every PDF carries a short code in its footer; this row says what it was."""

    code = models.CharField(max_length=12, unique=True)
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    title = models.CharField(max_length=300)
    employee = models.ForeignKey(
        "records.Employee", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        "records.UnitKerja", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    generated_at = models.DateTimeField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-generated_at"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


def submission_path(instance, filename: str) -> str:
    return f"recaps/{instance.year}/Q{instance.quarter}/{instance.unit_id}/{filename}"


class RecapSubmission(models.Model):
    """A quarterly recap as the pengelola submitted it to Biro SDM: files kept as sent."""

    unit = models.ForeignKey("records.UnitKerja", on_delete=models.PROTECT, related_name="recaps")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    pdf = models.FileField(upload_to=submission_path, max_length=200)
    xlsx = models.FileField(upload_to=submission_path, max_length=200)
    code = models.CharField(max_length=12, unique=True)
    # The figures as submitted (one dict per employee), so later verifications never change
    # what the unit reported.
    rows = models.JSONField(default=list)

    class Meta:
        ordering = ["-year", "-quarter", "-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="recap_quarter"
            ),
        ]

    def __str__(self) -> str:
        return f"Rekap {self.unit} {self.year} triwulan {self.quarter}"


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu")
    RUNNING = "running", _("Berjalan")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class CertificateBatch(models.Model):
    """One request to issue certificates (for chosen employees, a unit or everyone), run in
    the background; its counters show the progress."""

    year = models.PositiveSmallIntegerField()
    description = models.CharField(max_length=300)
    employee_ids = models.JSONField(default=list)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    total = models.PositiveIntegerField(default=0)
    issued = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.description} ({self.year})"


class Certificate(models.Model):
    """The annual e-certificate: verified JP of a year, numbered, with a public check code."""

    number = models.CharField(max_length=60, unique=True)
    code = models.CharField(max_length=12, unique=True)
    employee = models.ForeignKey(
        "records.Employee", on_delete=models.PROTECT, related_name="certificates"
    )
    year = models.PositiveSmallIntegerField()
    # Copied at issue: the certificate states what was verified on that day.
    employee_name = models.CharField(max_length=200)
    employee_nip = models.CharField(max_length=18)
    unit_name = models.CharField(max_length=200)
    total_jp = models.DecimalField(max_digits=5, decimal_places=1)
    coaching_jp = models.DecimalField(max_digits=5, decimal_places=1)
    mentoring_jp = models.DecimalField(max_digits=5, decimal_places=1)
    self_learning_jp = models.DecimalField(max_digits=5, decimal_places=1)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signatory_name = models.CharField(max_length=200)
    signatory_nip = models.CharField(max_length=18, blank=True)
    signatory_position = models.CharField(max_length=200)
    batch = models.ForeignKey(
        CertificateBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificates",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-year", "employee_name"]
        constraints = [
            # Issuing again never makes a second valid certificate for the same person and year.
            models.UniqueConstraint(
                fields=["employee", "year"],
                condition=Q(revoked_at__isnull=True),
                name="one_valid_certificate_per_employee_year",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


# --- The 4-monthly evaluation (SE BKN 3/2022 angka 5.f.5-6; reports/evaluations.py) ----------


class EvaluationReason(models.TextChoices):
    BEHIND_PACE = "behind_pace", _("Di bawah target berjalan")
    CANNOT_REACH = "cannot_reach", _("Tidak dapat mencapai 20 JP")


class Evaluation(models.Model):
    """One evaluation per year and period (I: Januari–April, II: Mei–Agustus, III:
    September–Desember). Running it again replaces the entries (the snapshot) in one
    transaction; the follow-ups already assigned stay (they hang on the evaluation and the
    employee, not on an entry)."""

    year = models.PositiveSmallIntegerField(_("tahun"))
    period = models.PositiveSmallIntegerField(_("periode"))
    policy = models.CharField(_("kebijakan"), max_length=20)
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    run_at = models.DateTimeField()
    run_count = models.PositiveSmallIntegerField(default=1)
    # Active employees evaluated and the pace target (JP by the period's end) of that run.
    employee_count = models.PositiveIntegerField(default=0)
    pace_jp = models.DecimalField(max_digits=5, decimal_places=1)

    class Meta:
        ordering = ["-year", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["year", "period"], name="one_evaluation_per_period"),
            models.CheckConstraint(
                condition=Q(period__gte=1, period__lte=3), name="evaluation_period"
            ),
        ]

    def __str__(self) -> str:
        return f"Evaluasi {self.year} periode {self.period}"


class EvaluationEntry(models.Model):
    """A flagged employee as the run saw them: later verifications never change these figures."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="entries")
    employee = models.ForeignKey("records.Employee", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("records.UnitKerja", on_delete=models.PROTECT, related_name="+")
    verified_jp = models.DecimalField(max_digits=5, decimal_places=1)
    projected_jp = models.DecimalField(max_digits=5, decimal_places=1)
    max_attainable_jp = models.DecimalField(max_digits=5, decimal_places=1)
    reason = models.CharField(max_length=20, choices=EvaluationReason.choices)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "employee"], name="one_entry_per_employee_evaluation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} — {self.employee_id}"


class FollowUpKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    SOSIALISASI = "sosialisasi", _("Sosialisasi")
    PELATIHAN = "pelatihan", _("Pelatihan")
    CMB_ATASAN = "cmb_atasan", _("CMB bersama atasan langsung")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Belum selesai")
    DONE = "done", _("Selesai")


class FollowUp(models.Model):
    """What the unit head asked a flagged employee to do (SE 5.f.6), and its completion."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="followups")
    employee = models.ForeignKey(
        "records.Employee", on_delete=models.PROTECT, related_name="followups"
    )
    # The unit of the evaluation entry: the follow-up is counted there even if the employee moves.
    unit = models.ForeignKey("records.UnitKerja", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("jenis tindak lanjut"), max_length=20, choices=FollowUpKind.choices)
    description = models.TextField(_("uraian"))
    due_date = models.DateField(_("batas waktu"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("catatan penyelesaian"), blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", done_at__isnull=True)
                | Q(status="done", done_at__isnull=False),
                name="followup_done_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.employee_id}"

    @property
    def is_done(self) -> bool:
        return self.status == FollowUpStatus.DONE

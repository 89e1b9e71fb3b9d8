"""Organisation and people: unit kerja (a tree), employees and their roles.

Roles (SPEC section 1) are relations, not flags wherever the domain makes them relations:
- atasan langsung: Employee.atasan;
- pengelola kepegawaian: UnitKerja.pengelola (scoped to that unit and its sub-units);
- pimpinan unit kerja: UnitKerja.head;
- Biro SDM: membership of the auth group BIRO_SDM_GROUP (see records.roles).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .validators import validate_nip

BIRO_SDM_GROUP = "Biro SDM"


class Golongan(models.TextChoices):
    """The 17 golongan ruang of PNS with their pangkat, shown as "Penata Muda Tingkat I (III/b)"."""

    I_A = "I/a", "Juru Muda (I/a)"
    I_B = "I/b", "Juru Muda Tingkat I (I/b)"
    I_C = "I/c", "Juru (I/c)"
    I_D = "I/d", "Juru Tingkat I (I/d)"
    II_A = "II/a", "Pengatur Muda (II/a)"
    II_B = "II/b", "Pengatur Muda Tingkat I (II/b)"
    II_C = "II/c", "Pengatur (II/c)"
    II_D = "II/d", "Pengatur Tingkat I (II/d)"
    III_A = "III/a", "Penata Muda (III/a)"
    III_B = "III/b", "Penata Muda Tingkat I (III/b)"
    III_C = "III/c", "Penata (III/c)"
    III_D = "III/d", "Penata Tingkat I (III/d)"
    IV_A = "IV/a", "Pembina (IV/a)"
    IV_B = "IV/b", "Pembina Tingkat I (IV/b)"
    IV_C = "IV/c", "Pembina Utama Muda (IV/c)"
    IV_D = "IV/d", "Pembina Utama Madya (IV/d)"
    IV_E = "IV/e", "Pembina Utama (IV/e)"

    @classmethod
    def from_text(cls, text: str) -> "Golongan | None":
        """Accept "III/b", "iii/b", "III-b" or the full label "Penata Muda Tingkat I (III/b)"."""
        cleaned = str(text).strip()
        if "(" in cleaned and cleaned.endswith(")"):
            cleaned = cleaned[cleaned.rindex("(") + 1 : -1]
        cleaned = cleaned.replace("-", "/").replace(" ", "")
        if "/" not in cleaned:
            return None
        room, letter = cleaned.split("/", 1)
        try:
            return cls(f"{room.upper()}/{letter.lower()}")
        except ValueError:
            return None


class UnitKerja(models.Model):
    name = models.CharField(_("nama unit kerja"), max_length=200)
    code = models.SlugField(_("kode"), max_length=50, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("unit induk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    head = models.ForeignKey(
        "Employee",
        verbose_name=_("pimpinan unit kerja"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_units",
    )
    pengelola = models.ManyToManyField(
        "Employee",
        verbose_name=_("pengelola kepegawaian"),
        blank=True,
        related_name="managed_units",
    )

    class Meta:
        verbose_name = _("unit kerja")
        verbose_name_plural = _("unit kerja")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("id")), name="unit_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name


class Employee(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="employee"
    )
    nip = models.CharField("NIP", max_length=18, unique=True, validators=[validate_nip])
    # Stored and printed exactly as given, academic titles included.
    name = models.CharField(_("nama lengkap (dengan gelar)"), max_length=200)
    golongan = models.CharField(_("pangkat/golongan ruang"), max_length=5, choices=Golongan.choices)
    jabatan = models.CharField(_("jabatan"), max_length=200)
    unit = models.ForeignKey(
        UnitKerja, verbose_name=_("unit kerja"), on_delete=models.PROTECT, related_name="employees"
    )
    atasan = models.ForeignKey(
        "self",
        verbose_name=_("atasan langsung"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subordinates",
    )
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("pegawai")
        verbose_name_plural = _("pegawai")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(atasan=F("id")), name="employee_not_own_atasan"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.nip})"

    @property
    def pangkat(self) -> str:
        return self.get_golongan_display()


# --- CMB: development areas, agreements, sessions (SPEC sections 2 and 3) --------------------


class Activity(models.TextChoices):
    """The three CMB activities; values are the JP engine's kinds (records.jp.KINDS)."""

    COACHING = "coaching", _("Coaching")
    MENTORING = "mentoring", _("Mentoring")
    BELAJAR_MANDIRI = "belajar_mandiri", _("Belajar Mandiri")


class Scope(models.TextChoices):
    NASIONAL = "nasional", _("Nasional")
    INTERNASIONAL = "internasional", _("Internasional")


class CompetencyType(models.TextChoices):
    TEKNIS = "teknis", _("Teknis")
    MANAJERIAL = "manajerial", _("Manajerial")
    SOSIAL_KULTURAL = "sosial_kultural", _("Sosial kultural")


class ManagerialCompetency(models.Model):
    """Reference data: the 8 managerial competencies with levels 1-3 (Langsa guide, section D)."""

    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    level_1 = models.CharField(max_length=200)
    level_2 = models.CharField(max_length=200)
    level_3 = models.CharField(max_length=200)

    class Meta:
        ordering = ["number"]
        verbose_name = _("kompetensi manajerial")
        verbose_name_plural = _("kompetensi manajerial")

    def __str__(self) -> str:
        return self.name

    def level_description(self, level: int) -> str:
        return {1: self.level_1, 2: self.level_2, 3: self.level_3}.get(level, "")


class DevelopmentArea(models.Model):
    """Area pengembangan: a competency gap an employee works on in a year."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="areas")
    year = models.PositiveSmallIntegerField(_("tahun"))
    competency_type = models.CharField(
        _("jenis kompetensi"), max_length=20, choices=CompetencyType.choices
    )
    managerial = models.ForeignKey(
        ManagerialCompetency,
        verbose_name=_("kompetensi manajerial"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    # For teknis and sosial kultural: the competency as named in the jabatan's standard.
    competency = models.CharField(_("kompetensi"), max_length=200, blank=True)
    current_level = models.PositiveSmallIntegerField(_("level saat ini"))
    required_level = models.PositiveSmallIntegerField(_("level yang dipersyaratkan"))
    notes = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = _("area pengembangan")
        verbose_name_plural = _("area pengembangan")
        constraints = [
            models.CheckConstraint(
                condition=Q(required_level__gt=F("current_level")), name="area_has_a_gap"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competency_name} ({self.year})"

    @property
    def competency_name(self) -> str:
        return self.managerial.name if self.managerial_id else self.competency

    @property
    def gap(self) -> int:
        return self.required_level - self.current_level

    @property
    def suggested_activity(self) -> str:
        """Langsa guide, section F: a small gap (often motivation) suits coaching; a large gap
        (missing skill or experience) suits mentoring."""
        return Activity.COACHING if self.gap <= 1 else Activity.MENTORING


class AgreementStatus(models.TextChoices):
    AWAITING_EMPLOYEE = "awaiting_employee", _("Menunggu persetujuan pegawai")
    AWAITING_ATASAN = "awaiting_atasan", _("Menunggu persetujuan atasan")
    AWAITING_MENTOR = "awaiting_mentor", _("Menunggu jawaban mentor")
    ACTIVE = "active", _("Disepakati")
    DECLINED = "declined", _("Ditolak")


class Agreement(models.Model):
    """Kesepakatan: the start of every CMB activity, tied to a development area.

    coaching: proposed by the atasan (the coach), agreed by the employee;
    mentoring: requested by the employee to the atasan, another employee or an external mentor;
      a request to anyone but the atasan needs the atasan's approval first, then the mentor
      answers (an external mentor is not a portal user: the atasan's approval activates it);
    belajar mandiri: theme and learning sources proposed by the employee, agreed by the atasan.
    """

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="agreements")
    kind = models.CharField(_("kegiatan"), max_length=20, choices=Activity.choices)
    area = models.ForeignKey(
        DevelopmentArea,
        verbose_name=_("area pengembangan"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    status = models.CharField(max_length=20, choices=AgreementStatus.choices)
    # The employee's atasan when the agreement was made: who agrees, approves and knows.
    atasan = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="agreements_as_atasan"
    )
    # Coach (coaching: the atasan) or mentor, when a portal user.
    mentor = models.ForeignKey(
        Employee,
        verbose_name=_("coach/mentor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements_as_mentor",
    )
    external_name = models.CharField(_("nama mentor (luar)"), max_length=200, blank=True)
    external_nip = models.CharField(_("NIP mentor (jika ada)"), max_length=18, blank=True)
    external_institution = models.CharField(_("instansi mentor"), max_length=200, blank=True)
    external_expertise = models.CharField(_("keahlian mentor"), max_length=200, blank=True)
    title = models.CharField(_("tema/kegiatan"), max_length=200)
    goal = models.TextField(_("tujuan"), blank=True)
    target = models.TextField(_("sasaran/target"), blank=True)
    decline_reason = models.TextField(_("alasan penolakan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    atasan_approved_at = models.DateTimeField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("kesepakatan")
        verbose_name_plural = _("kesepakatan")
        indexes = [models.Index(fields=["employee", "year"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def mentor_name(self) -> str:
        return self.mentor.name if self.mentor_id else self.external_name

    @property
    def mentor_nip(self) -> str:
        return self.mentor.nip if self.mentor_id else self.external_nip

    @property
    def is_active(self) -> bool:
        return self.status == AgreementStatus.ACTIVE


class LearningSourceKind(models.TextChoices):
    BUKU = "buku", _("Buku")
    VIDEO = "video", _("Video")
    JURNAL = "jurnal_online", _("Jurnal online")
    KELAS = "kelas_online", _("Kelas online")
    LAINNYA = "lainnya", _("Lainnya")


class LearningSource(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField(_("jenis sumber"), max_length=20, choices=LearningSourceKind.choices)
    title = models.CharField(_("judul"), max_length=300)
    link = models.URLField(_("tautan"), max_length=500, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class SessionStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    APPROVED = "approved", _("Disetujui atasan")
    VERIFIED = "verified", _("Diverifikasi Biro SDM")
    RETURNED = "returned", _("Dikembalikan untuk perbaikan")
    REJECTED = "rejected", _("Ditolak")


EDITABLE_STATUSES = (SessionStatus.DRAFT, SessionStatus.RETURNED)
PENDING_STATUSES = (SessionStatus.SUBMITTED, SessionStatus.APPROVED)


class Mode(models.TextChoices):
    LURING = "luring", _("Luring (tatap muka)")
    DARING = "daring", _("Daring (online)")


class Session(models.Model):
    """One meeting (pertemuan ke-N) under an agreement: the Lampiran I form's content.

    `status` changes only through the transition services in approvals.services; the credit
    is booked there at verification and never rewritten (SPEC section 5, the ledger).
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("pertemuan ke"))
    date = models.DateField(_("tanggal"))
    start_time = models.TimeField(_("jam mulai"), null=True, blank=True)
    end_time = models.TimeField(_("jam selesai"), null=True, blank=True)
    place = models.CharField(_("tempat"), max_length=200)
    mode = models.CharField(_("cara"), max_length=10, choices=Mode.choices, default=Mode.LURING)
    platform = models.CharField(_("platform atau tautan (daring)"), max_length=300, blank=True)
    scope = models.CharField(
        _("lingkup"), max_length=15, choices=Scope.choices, default=Scope.NASIONAL
    )
    needs = models.TextField(_("A. Identifikasi kebutuhan pengembangan"))
    responsibility = models.TextField(_("B. Hubungan tanggung jawab pekerjaan"))
    activity = models.TextField(_("C. Kegiatan pengembangan"))
    result = models.TextField(_("D. Hasil pengembangan"))
    # Belajar mandiri only.
    source = models.ForeignKey(
        LearningSource,
        verbose_name=_("sumber pembelajaran"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    duration_minutes = models.PositiveIntegerField(
        _("durasi belajar (menit)"), null=True, blank=True
    )
    resume = models.TextField(_("resume"), blank=True)

    status = models.CharField(
        max_length=10, choices=SessionStatus.choices, default=SessionStatus.DRAFT, db_index=True
    )
    credit_jp = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    credit_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Where the coach/mentor is a portal user other than the atasan, they confirm first.
    mentor_confirmed_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "start_time", "id"]
        verbose_name = _("pertemuan")
        verbose_name_plural = _("pertemuan")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="session_number_unique"),
            models.CheckConstraint(
                condition=Q(end_time__isnull=True)
                | Q(start_time__isnull=True)
                | Q(end_time__gt=F("start_time")),
                name="session_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status="verified", credit_jp__isnull=False) | ~Q(status="verified"),
                name="verified_session_has_credit",
            ),
        ]
        indexes = [
            # The queues (submitted for the atasan, approved for Biro SDM) and the ledgers
            # (one employee's year) read by these.
            models.Index(fields=["status", "submitted_at"], name="session_status_idx"),
            models.Index(fields=["agreement", "date"], name="session_agreement_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.get_kind_display()} pertemuan ke-{self.number} ({self.date})"

    @property
    def kind(self) -> str:
        return self.agreement.kind

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def needs_mentor_confirmation(self) -> bool:
        agreement = self.agreement
        return (
            agreement.mentor_id is not None and agreement.mentor_id != agreement.employee.atasan_id
        )


def evidence_path(instance, filename: str) -> str:
    # Unguessable name; the original name is kept in the database only.
    import uuid

    return f"evidence/{instance.session.date:%Y}/{uuid.uuid4().hex}.{instance.extension}"


class Evidence(models.Model):
    """Bukti kegiatan (PDF, JPG, PNG): stored under MEDIA_ROOT, served only through a view."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("bukti")
        verbose_name_plural = _("bukti")

    def __str__(self) -> str:
        return self.original_name

    @property
    def extension(self) -> str:
        return {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}[
            self.content_type
        ]

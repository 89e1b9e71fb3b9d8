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

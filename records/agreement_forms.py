"""Forms for development areas and agreements.

They check what was typed (which fields a choice needs, formats, the options offered); the
rules of the domain stay in records.services, whose refusals the views put back onto the form.
None of these forms saves anything.
"""

from django import forms
from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from .models import (
    CompetencyType,
    DevelopmentArea,
    Employee,
    LearningSourceKind,
    ManagerialCompetency,
)
from .services import MAX_LEVEL
from .validators import validate_nip

LEVEL_CHOICES = [(level, str(level)) for level in range(1, MAX_LEVEL + 1)]
MAX_SOURCES = 5


class DevelopmentAreaForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Tahun"), coerce=int)
    competency_type = forms.ChoiceField(
        label=_("Jenis kompetensi"), choices=CompetencyType.choices, widget=forms.RadioSelect
    )
    managerial = forms.ModelChoiceField(
        label=_("Kompetensi manajerial"),
        queryset=ManagerialCompetency.objects.all(),
        required=False,
        empty_label=_("— pilih bila jenisnya manajerial —"),
    )
    competency = forms.CharField(
        label=_("Kompetensi teknis / sosial kultural"),
        max_length=200,
        required=False,
        help_text=_("Tuliskan sebagaimana tercantum dalam standar kompetensi jabatan Anda."),
    )
    current_level = forms.TypedChoiceField(
        label=_("Level saat ini"), choices=LEVEL_CHOICES, coerce=int
    )
    required_level = forms.TypedChoiceField(
        label=_("Level yang dipersyaratkan"),
        choices=LEVEL_CHOICES,
        coerce=int,
        help_text=_("Menurut standar kompetensi jabatan."),
    )
    notes = forms.CharField(
        label=_("Catatan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]


class _TeamAreaField(forms.ModelChoiceField):
    def label_from_instance(self, area: DevelopmentArea) -> str:
        return f"{area.employee.name} — {area.competency_name} ({area.year})"


class _OwnAreaField(forms.ModelChoiceField):
    def label_from_instance(self, area: DevelopmentArea) -> str:
        return f"{area.competency_name} ({area.year}) · {area.get_competency_type_display()}"


class _MentorField(forms.ModelChoiceField):
    def label_from_instance(self, employee: Employee) -> str:
        return f"{employee.name} — {employee.jabatan}, {employee.unit.name}"


def _own_area_field() -> _OwnAreaField:
    return _OwnAreaField(
        label=_("Area pengembangan"),
        queryset=DevelopmentArea.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Pilih salah satu area pengembangan Anda tahun ini.")},
    )


class CoachingForm(forms.Form):
    """The atasan's proposal; `areas` are the development areas of their direct staff."""

    area = _TeamAreaField(
        label=_("Pegawai dan area pengembangan"),
        queryset=DevelopmentArea.objects.none(),
        empty_label=None,
        error_messages={
            "invalid_choice": _(
                "Pilih area pengembangan tahun ini milik salah satu bawahan langsung Anda."
            )
        },
    )
    title = forms.CharField(label=_("Kegiatan spesifik"), max_length=200)
    goal = forms.CharField(
        label=_("Tujuan"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    target = forms.CharField(
        label=_("Sasaran"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class MentorChoice(TextChoices):
    ATASAN = "atasan", _("Atasan langsung saya")
    PEGAWAI = "pegawai", _("Pegawai lain")
    LUAR = "luar", _("Mentor dari luar (bukan pengguna portal)")


class MentoringForm(forms.Form):
    """The mentee's request. Which mentor fields are needed depends on `mentor_choice`, so the
    page works without JavaScript: every option's fields are shown, only the chosen ones count."""

    area = _own_area_field()
    title = forms.CharField(label=_("Aspek yang ingin didiskusikan"), max_length=200)
    goal = forms.CharField(
        label=_("Tujuan"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    mentor_choice = forms.ChoiceField(
        label=_("Mentor"),
        choices=MentorChoice.choices,
        # Rendered by hand (each option followed by its own fields), hence the class here.
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    mentor = _MentorField(
        label=_("Pegawai yang diminta menjadi mentor"),
        queryset=Employee.objects.none(),
        required=False,
        empty_label=_("— pilih pegawai —"),
    )
    external_name = forms.CharField(label=_("Nama mentor"), max_length=200, required=False)
    external_nip = forms.CharField(
        label=_("NIP mentor"),
        max_length=25,
        required=False,
        validators=[validate_nip],
        help_text=_("Kosongkan bila mentor tidak memiliki NIP."),
    )
    external_institution = forms.CharField(label=_("Instansi"), max_length=200, required=False)
    external_expertise = forms.CharField(label=_("Keahlian"), max_length=200, required=False)

    EXTERNAL_FIELDS = (
        "external_name",
        "external_nip",
        "external_institution",
        "external_expertise",
    )

    def __init__(self, *args, employee: Employee, areas, mentors, **kwargs):
        super().__init__(*args, **kwargs)
        self.employee = employee
        self.fields["area"].queryset = areas
        self.fields["mentor"].queryset = mentors
        choice = self.fields["mentor_choice"]
        if employee.atasan_id:
            choice.choices = [
                (MentorChoice.ATASAN, _("Atasan langsung saya: %(name)s") % {
                    "name": employee.atasan.name
                }),
                *[c for c in MentorChoice.choices if c[0] != MentorChoice.ATASAN],
            ]  # fmt: skip
        else:
            choice.choices = [c for c in MentorChoice.choices if c[0] != MentorChoice.ATASAN]

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("mentor_choice")
        if choice == MentorChoice.PEGAWAI and not cleaned.get("mentor"):
            self.add_error("mentor", _("Pilih pegawai yang Anda minta menjadi mentor."))
        if choice == MentorChoice.LUAR:
            if not cleaned.get("external_name", "").strip():
                self.add_error("external_name", _("Tuliskan nama mentor."))
            if not cleaned.get("external_institution", "").strip():
                self.add_error("external_institution", _("Tuliskan instansi mentor."))
        return cleaned

    def mentor_arguments(self) -> dict:
        """The mentor as agreement_request_mentoring takes it; unchosen fields are dropped."""
        choice = self.cleaned_data["mentor_choice"]
        if choice == MentorChoice.ATASAN:
            return {"mentor": self.employee.atasan}
        if choice == MentorChoice.PEGAWAI:
            return {"mentor": self.cleaned_data["mentor"]}
        return {name: self.cleaned_data[name] for name in self.EXTERNAL_FIELDS}


class SelfLearningForm(forms.Form):
    area = _own_area_field()
    title = forms.CharField(label=_("Tema belajar"), max_length=200)
    goal = forms.CharField(
        label=_("Tujuan"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class LearningSourceForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis sumber"), choices=LearningSourceKind.choices, initial=LearningSourceKind.BUKU
    )
    title = forms.CharField(label=_("Judul"), max_length=300)
    link = forms.URLField(
        label=_("Tautan (bila ada)"), max_length=500, required=False, assume_scheme="https"
    )


# Five rows are rendered (the last two folded away) so that all five fit without JavaScript;
# rows left empty are skipped.
LearningSourceFormSet = forms.formset_factory(
    LearningSourceForm,
    extra=MAX_SOURCES,
    max_num=MAX_SOURCES,
    absolute_max=MAX_SOURCES,
    validate_max=True,
)


class Decision(TextChoices):
    ACCEPT = "setuju", _("Setujui")
    DECLINE = "tolak", _("Tolak")


class AgreementResponseForm(forms.Form):
    decision = forms.ChoiceField(
        choices=Decision.choices, error_messages={"required": _("Pilih setujui atau tolak.")}
    )
    reason = forms.CharField(
        label=_("Alasan penolakan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wajib diisi bila menolak."),
    )

    @property
    def accept(self) -> bool:
        return self.cleaned_data["decision"] == Decision.ACCEPT

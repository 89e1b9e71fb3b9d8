from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from .models import Activity, LearningSource, Session

CONTENT_HELP = {
    "needs": _("Kompetensi apa yang perlu dikembangkan dan mengapa."),
    "responsibility": _("Kaitan pengembangan ini dengan tugas dan tanggung jawab jabatan."),
    "activity": _("Apa yang dilakukan dalam pertemuan ini."),
    "result": _("Apa yang dihasilkan atau dipelajari; rencana tindak lanjut."),
}


# The longest text a Lampiran I section (A-D) and a self-learning resume may hold: a page of the
# printed form, not an unbounded paste.
SECTION_MAX = 4000
RESUME_MAX = 10000


class SessionForm(forms.ModelForm):
    """The Lampiran I content of one meeting. Status and JP are never form fields: they change
    only through the workflow services, so a POST that smuggles them in is ignored."""

    class Meta:
        model = Session
        fields = [
            "date", "start_time", "end_time", "mode", "place", "platform", "scope",
            "source", "duration_minutes", "needs", "responsibility", "activity", "result",
            "resume",
        ]  # fmt: skip
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "mode": forms.RadioSelect,
            "scope": forms.RadioSelect,
            "needs": forms.Textarea(attrs={"rows": 3}),
            "responsibility": forms.Textarea(attrs={"rows": 3}),
            "activity": forms.Textarea(attrs={"rows": 3}),
            "result": forms.Textarea(attrs={"rows": 3}),
            "resume": forms.Textarea(attrs={"rows": 6}),
            "duration_minutes": forms.NumberInput(attrs={"min": 1, "max": 1440, "step": 5}),
        }
        help_texts = {**CONTENT_HELP, "duration_minutes": _("1 JP = 45 menit belajar.")}

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.agreement = agreement
        self.fields["date"].input_formats = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
        for name, limit in (*((n, SECTION_MAX) for n in CONTENT_HELP), ("resume", RESUME_MAX)):
            field = self.fields[name]
            field.max_length = limit
            field.validators.append(MaxLengthValidator(limit))
            field.widget.attrs["maxlength"] = limit
        if agreement.kind == Activity.BELAJAR_MANDIRI:
            self.fields["source"].queryset = LearningSource.objects.filter(agreement=agreement)
            self.fields["source"].required = True
            self.fields["source"].empty_label = None
            self.fields["duration_minutes"].required = True
            self.fields["resume"].required = True
            self.fields["place"].help_text = _("Misalnya kantor, rumah, perpustakaan.")
        else:
            for name in ("source", "duration_minutes", "resume"):
                del self.fields[name]
            self.fields["start_time"].required = True
            self.fields["end_time"].required = True

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("Jam selesai harus setelah jam mulai."))
        return cleaned


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Tambah bukti"),
        help_text=_("Foto, tangkapan layar atau dokumen: PDF, JPG atau PNG, paling besar 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Komentar"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class SignInForm(AuthenticationForm):
    username = forms.CharField(
        label=_("NIP atau nama pengguna"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _(
            "NIP/nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil."
        ),
        "inactive": _("Akun ini tidak aktif."),
    }


class EmployeeImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas pegawai (CSV atau XLSX)"),
        help_text=_("Kolom: NIP, Nama, Golongan, Jabatan, Unit, NIP Atasan (Email boleh ada)."),
    )
    dry_run = forms.BooleanField(
        label=_("Periksa saja, jangan simpan"), required=False, initial=True
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("Berkas terlalu besar (paling besar 5 MB)."))
        return upload


T = TypeVar("T")


def apply_service(form: forms.Form, action: Callable[[], T]) -> T | None:
    """Run a service and return its result. A refusal (ValidationError) goes onto the form,
    by field where it names one, and gives None: nothing was saved."""
    try:
        return action()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return None

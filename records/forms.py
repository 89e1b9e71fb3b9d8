import unicodedata
from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
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


class FirstPasswordResetForm(PasswordResetForm):
    """Password reset that also reaches accounts which never had a password.

    Imported employees start with an unusable password and are told to set their first one
    through "Lupa kata sandi"; Django's form skips such accounts, so no mail would go out.
    Switching an account off is done with is_active, which is still respected.
    """

    def get_users(self, email):
        user_model = get_user_model()
        email_field = user_model.get_email_field_name()
        users = user_model._default_manager.filter(
            **{f"{email_field}__iexact": email, "is_active": True}
        )
        return (user for user in users if _same_email(email, getattr(user, email_field)))


def _same_email(a: str, b: str) -> bool:
    # As Django's own form: __iexact alone would let a look-alike Unicode address through.
    return (
        unicodedata.normalize("NFKC", a).casefold() == unicodedata.normalize("NFKC", b).casefold()
    )


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

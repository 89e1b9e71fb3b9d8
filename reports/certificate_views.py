"""Annual e-certificates: Biro SDM issues and revokes, holders download, anyone verifies a code.

Access: Biro SDM pages are role-gated (403 for others); a certificate's PDF follows who may see
its holder (records.selectors.get_employee_for: 404 otherwise); the verification page is
public and shows only what the printed certificate already says (NIP masked).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from records.forms import apply_service
from records.models import Employee, UnitKerja
from records.nip import normalize_nip
from records.roles import BIRO, PEGAWAI, role_required, roles_for

from .certificates import (
    certificate_batch_request,
    certificate_by_code,
    certificate_pdf,
    certificate_revoke,
    certificates_filtered,
    get_certificate_for,
    mask_nip,
)
from .models import BatchStatus, Certificate, CertificateBatch
from .services import pdf_response

SCOPE_EMPLOYEES, SCOPE_UNIT, SCOPE_ALL = "pegawai", "unit", "semua"


class CertificateBatchForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Tahun"), min_value=2000, max_value=2100)
    scope = forms.ChoiceField(
        label=gettext_lazy("Cakupan"),
        choices=[
            (SCOPE_UNIT, gettext_lazy("Satu unit kerja beserta sub-unitnya")),
            (SCOPE_EMPLOYEES, gettext_lazy("Pegawai tertentu (daftar NIP)")),
            (SCOPE_ALL, gettext_lazy("Seluruh pegawai aktif")),
        ],
        widget=forms.RadioSelect,
        initial=SCOPE_UNIT,
    )
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit kerja"),
        queryset=UnitKerja.objects.order_by("name"),
        required=False,
    )
    nips = forms.CharField(
        label=gettext_lazy("Daftar NIP"),
        required=False,
        max_length=200_000,  # some thousand NIPs
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Satu NIP per baris (atau dipisah koma); spasi di dalam NIP tidak apa-apa."
        ),
    )

    def clean(self):
        data = super().clean()
        scope = data.get("scope")
        if scope == SCOPE_UNIT and not data.get("unit"):
            self.add_error("unit", _("Pilih unit kerja."))
        if scope == SCOPE_EMPLOYEES:
            data["employee_ids"] = self._employee_ids(data.get("nips", ""))
        return data

    def _employee_ids(self, text: str) -> list[int]:
        parts = text.replace(";", "\n").replace(",", "\n").splitlines()
        nips = list(dict.fromkeys(nip for nip in map(normalize_nip, parts) if nip))
        if not nips:
            self.add_error("nips", _("Tuliskan paling sedikit satu NIP."))
            return []
        found = dict(Employee.objects.filter(nip__in=nips).values_list("nip", "pk"))
        unknown = [nip for nip in nips if nip not in found]
        if unknown:
            self.add_error(
                "nips", _("NIP tidak ditemukan: %(nips)s.") % {"nips": ", ".join(unknown[:20])}
            )
        return [found[nip] for nip in nips if nip in found]


def _request_batch(form: CertificateBatchForm, user) -> CertificateBatch:
    data = form.cleaned_data
    scope = data["scope"]
    return certificate_batch_request(
        year=data["year"],
        user=user,
        employee_ids=data.get("employee_ids") if scope == SCOPE_EMPLOYEES else None,
        unit=data.get("unit") if scope == SCOPE_UNIT else None,
        everyone=scope == SCOPE_ALL,
    )


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@role_required(BIRO)
def certificate_list(request):
    """Issue form, recent batches with their progress, certificates with filters."""
    this_year = timezone.localdate().year
    if request.method == "POST":
        form = CertificateBatchForm(request.POST)
        if form.is_valid():
            batch = apply_service(form, lambda: _request_batch(form, request.user))
            if batch is not None:
                messages.success(
                    request,
                    _("Permintaan penerbitan sertifikat tahun %(year)s dicatat: %(what)s.")
                    % {"year": batch.year, "what": batch.description},
                )
                return redirect("reports:certificate_batch", pk=batch.pk)
    else:
        form = CertificateBatchForm(initial={"year": this_year - 1, "scope": SCOPE_UNIT})

    status = request.GET.get("status", "")
    filters = {
        "tahun": _int_or_none(request.GET.get("tahun")),
        "unit": _int_or_none(request.GET.get("unit")),
        "status": status if status in ("valid", "revoked") else "",
        "q": request.GET.get("q", "").strip(),
    }
    certificates = certificates_filtered(
        year=filters["tahun"], unit_id=filters["unit"], status=filters["status"]
    )
    if filters["q"]:
        certificates = certificates.filter(
            Q(employee_name__icontains=filters["q"])
            | Q(employee_nip__startswith=normalize_nip(filters["q"]))
        )
    page = Paginator(certificates, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/certificate_list.html",
        {
            "form": form,
            "batches": CertificateBatch.objects.select_related("requested_by__employee")[:10],
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "units": UnitKerja.objects.order_by("name"),
            "years": sorted(
                set(Certificate.objects.values_list("year", flat=True).distinct()), reverse=True
            ),
        },
    )


@role_required(BIRO)
def certificate_batch(request, pk: int):
    """A batch's progress; htmx asks for the fragment every 2 s while it is queued or running."""
    batch = get_object_or_404(CertificateBatch.objects.select_related("requested_by"), pk=pk)
    context = {"batch": batch, "active": batch.status in (BatchStatus.QUEUED, BatchStatus.RUNNING)}
    if request.headers.get("HX-Request") == "true":
        return render(request, "reports/_batch_progress.html", context)
    context["certificates"] = batch.certificates.order_by("employee_name")[:100]
    return render(request, "reports/certificate_batch.html", context)


@role_required(PEGAWAI)
def my_certificates(request):
    roles = roles_for(request.user)
    certificates = Certificate.objects.filter(employee=roles.employee).order_by(
        "-year", "-issued_at"
    )
    return render(request, "reports/my_certificates.html", {"certificates": certificates})


@require_GET
def certificate_pdf_view(request, pk: int):
    certificate = get_certificate_for(roles_for(request.user), pk)
    rendered = certificate_pdf(certificate=certificate, user=request.user)
    filename = f"sertifikat-{certificate.year}-{certificate.employee_nip}.pdf"
    return pdf_response(rendered, filename)


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@role_required(BIRO)
@require_POST
def certificate_revoke_view(request, pk: int):
    certificate = get_object_or_404(Certificate, pk=pk)
    back = _safe_next(request, reverse("reports:certificate_list"))
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Centang konfirmasi untuk mencabut sertifikat."))
        return redirect(back)
    try:
        certificate_revoke(
            certificate=certificate, user=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Sertifikat %(number)s dicabut.") % {"number": certificate.number}
        )
    return redirect(back)


@login_not_required
@require_GET
@never_cache
def certificate_verify(request, code: str):
    """Public: is this certificate genuine (or revoked)? Only what the paper already shows,
    with the NIP masked; an unknown code gets a plain 404."""
    certificate = certificate_by_code(code)
    if certificate is None:
        response = render(
            request, "reports/certificate_verify.html", {"certificate": None}, status=404
        )
    else:
        response = render(
            request,
            "reports/certificate_verify.html",
            {
                "certificate": certificate,
                "masked_nip": mask_nip(certificate.employee_nip),
                "breakdown": [
                    (_("Coaching"), certificate.coaching_jp),
                    (_("Mentoring"), certificate.mentoring_jp),
                    (_("Belajar Mandiri"), certificate.self_learning_jp),
                ],
            },
        )
    # A person's name on a public page: keep it out of search engines.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response

"""Development areas (area pengembangan) and agreements (kesepakatan), SPEC section 2.

Thin views: the form checks the input, a service in records.services applies the rules (its
ValidationError goes back onto the form, or into a message), access comes from records.roles
and records.selectors only.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .agreement_forms import (
    AgreementResponseForm,
    CoachingForm,
    DevelopmentAreaForm,
    LearningSourceFormSet,
    MentoringForm,
    SelfLearningForm,
)
from .forms import apply_service
from .models import (
    Activity,
    Agreement,
    AgreementStatus,
    ManagerialCompetency,
)
from .roles import ATASAN, PEGAWAI, Roles, role_required, roles_for
from .selectors import (
    agreements_visible_to,
    agreements_waiting_for,
    development_areas_of,
    get_agreement_for,
    mentor_candidates,
    team_areas,
)
from .services import (
    agreement_propose_coaching,
    agreement_propose_self_learning,
    agreement_request_mentoring,
    agreement_respond,
    agreement_waiting_party,
    area_create,
)


def waiting_count(roles: Roles) -> int:
    """How many agreements wait for this user's answer (for the navigation badge)."""
    if roles.employee is None:
        return 0
    return agreements_waiting_for(roles.employee).count()


# --- helpers -----------------------------------------------------------------------------------


def _this_year() -> int:
    return timezone.localdate().year


def _year_from(request) -> int:
    try:
        year = int(request.GET.get("tahun", ""))
    except ValueError:
        return _this_year()
    return year if 2000 <= year <= 2100 else _this_year()


def _back(request, default: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# --- development areas -------------------------------------------------------------------------


@role_required(PEGAWAI)
def area_list(request):
    """My development areas of a year, and the form to add one."""
    employee = roles_for(request.user).employee
    this_year = _this_year()
    year = _year_from(request)
    form_years = [this_year - 1, this_year, this_year + 1]
    form = DevelopmentAreaForm(
        request.POST or None,
        years=form_years,
        initial={"year": year if year in form_years else this_year},
    )
    if request.method == "POST" and form.is_valid():
        area = apply_service(form, lambda: area_create(employee=employee, **form.cleaned_data))
        if area is not None:
            messages.success(request, _("Area pengembangan disimpan."))
            return redirect(f"{reverse('records:area_list')}?tahun={area.year}")
    years = set(development_areas_of(employee).order_by().values_list("year", flat=True))
    return render(
        request,
        "cmb/area_list.html",
        {
            "form": form,
            "year": year,
            "this_year": this_year,
            "years": sorted(years | {this_year, year}, reverse=True),
            "areas": development_areas_of(employee, year),
            "competencies": ManagerialCompetency.objects.all(),
        },
    )


# --- agreements --------------------------------------------------------------------------------


@role_required(PEGAWAI)
def agreement_list(request):
    """What waits for my answer, my own agreements, and those where I am atasan/coach/mentor."""
    roles = roles_for(request.user)
    me = roles.employee
    year = _year_from(request)
    mine = Q(employee=me)
    as_party = (Q(atasan=me) | Q(mentor=me) | Q(employee__atasan=me)) & ~Q(employee=me)
    visible = agreements_visible_to(roles)
    years = set(visible.filter(mine | as_party).order_by().values_list("year", flat=True))
    of_year = visible.filter(year=year)
    return render(
        request,
        "cmb/agreement_list.html",
        {
            "waiting": agreements_waiting_for(me),
            "mine": of_year.filter(mine),
            "as_party": of_year.filter(as_party),
            "year": year,
            "years": sorted(years | {_this_year(), year}, reverse=True),
            "response_form": AgreementResponseForm(),
        },
    )


@role_required(ATASAN)
def agreement_coaching_new(request):
    roles = roles_for(request.user)
    areas = team_areas(roles.employee, _this_year())
    form = CoachingForm(
        request.POST or None, areas=areas, initial={"area": request.GET.get("area")}
    )
    if request.method == "POST" and form.is_valid():
        agreement = apply_service(
            form,
            lambda: agreement_propose_coaching(
                atasan=roles.employee, actor=request.user, **form.cleaned_data
            ),
        )
        if agreement is not None:
            messages.success(
                request,
                _("Usulan coaching dikirim kepada %(name)s dan menunggu persetujuannya.")
                % {"name": agreement.employee.name},
            )
            return redirect("records:agreement_detail", pk=agreement.pk)
    return render(
        request,
        "cmb/agreement_form.html",
        {"form": form, "kind": Activity.COACHING, "has_areas": areas.exists()},
    )


@role_required(PEGAWAI)
def agreement_mentoring_new(request):
    employee = roles_for(request.user).employee
    areas = development_areas_of(employee, _this_year())
    form = MentoringForm(
        request.POST or None,
        employee=employee,
        areas=areas,
        mentors=mentor_candidates(employee),
        initial={"area": request.GET.get("area")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agreement = apply_service(
            form,
            lambda: agreement_request_mentoring(
                employee=employee,
                area=data["area"],
                title=data["title"],
                goal=data["goal"],
                actor=request.user,
                **form.mentor_arguments(),
            ),
        )
        if agreement is not None:
            if agreement.status == AgreementStatus.AWAITING_ATASAN:
                text = _(
                    "Permohonan mentoring dikirim kepada atasan langsung Anda untuk disetujui."
                )
            else:
                text = _("Permohonan mentoring dikirim kepada %(name)s.") % {
                    "name": agreement.mentor_name
                }
            messages.success(request, text)
            return redirect("records:agreement_detail", pk=agreement.pk)
    return render(
        request,
        "cmb/agreement_form.html",
        {"form": form, "kind": Activity.MENTORING, "has_areas": areas.exists()},
    )


@role_required(PEGAWAI)
def agreement_self_learning_new(request):
    employee = roles_for(request.user).employee
    areas = development_areas_of(employee, _this_year())
    form = SelfLearningForm(
        request.POST or None, areas=areas, initial={"area": request.GET.get("area")}
    )
    sources = LearningSourceFormSet(request.POST or None, prefix="sumber")
    # Both are validated so that every mistake shows at once.
    if request.method == "POST" and all([form.is_valid(), sources.is_valid()]):
        agreement = apply_service(
            form,
            lambda: agreement_propose_self_learning(
                employee=employee,
                actor=request.user,
                sources=[row for row in sources.cleaned_data if row],
                **form.cleaned_data,
            ),
        )
        if agreement is not None:
            messages.success(
                request,
                _("Rencana belajar mandiri dikirim kepada atasan langsung Anda untuk disepakati."),
            )
            return redirect("records:agreement_detail", pk=agreement.pk)
    return render(
        request,
        "cmb/agreement_form.html",
        {
            "form": form,
            "sources": sources,
            # Rows 4 and 5 are folded away unless they hold something.
            "more_sources_open": any(f.has_changed() for f in sources.forms[3:]),
            "kind": Activity.BELAJAR_MANDIRI,
            "has_areas": areas.exists(),
        },
    )


def agreement_detail(request, pk: int):
    roles = roles_for(request.user)
    agreement = get_agreement_for(roles, pk)
    can_respond = (
        roles.employee is not None and agreement_waiting_party(agreement) == roles.employee.pk
    )
    return render(
        request,
        "cmb/agreement_detail.html",
        {
            "agreement": agreement,
            "sources": agreement.sources.all()
            if agreement.kind == Activity.BELAJAR_MANDIRI
            else (),
            "response_form": AgreementResponseForm() if can_respond else None,
            "sessions_block": True,
            "sessions": agreement.sessions.all(),
            "is_owner": roles.employee is not None and agreement.employee_id == roles.employee.pk,
        },
    )


@role_required(PEGAWAI)
@require_POST
def agreement_respond_view(request, pk: int):
    """Agree or decline; a refusal becomes a message and nothing changes."""
    roles = roles_for(request.user)
    agreement = get_agreement_for(roles, pk)
    back = _back(request, reverse("records:agreement_detail", kwargs={"pk": agreement.pk}))
    form = AgreementResponseForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    try:
        agreement = agreement_respond(
            agreement=agreement,
            actor=roles.employee,
            accept=form.accept,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(request, _response_message(agreement))
    return redirect(back)


def _response_message(agreement: Agreement) -> str:
    if agreement.status == AgreementStatus.DECLINED:
        return _("Kesepakatan ditolak; alasan Anda tercatat pada kesepakatan.")
    if agreement.status == AgreementStatus.AWAITING_MENTOR:
        return _("Permohonan mentoring disetujui dan diteruskan kepada %(name)s.") % {
            "name": agreement.mentor_name
        }
    return _("Kesepakatan disetujui. Pertemuan sekarang dapat dicatat.")

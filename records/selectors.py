"""Reads for the organisation, with their joins applied (STYLE: selectors)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import (
    Agreement,
    AgreementStatus,
    DevelopmentArea,
    Employee,
    Evidence,
    Session,
    UnitKerja,
)
from .roles import Roles


def employees_visible_to(roles: Roles) -> QuerySet[Employee]:
    """Biro SDM sees everyone; pengelola and pimpinan their units; atasan their staff."""
    queryset = Employee.objects.select_related("unit", "atasan", "user")
    if roles.is_biro:
        return queryset
    scope = Q(pk__in=[])
    if roles.managed_unit_ids or roles.headed_unit_ids:
        scope |= Q(unit_id__in=roles.managed_unit_ids | roles.headed_unit_ids)
    if roles.employee is not None:
        scope |= Q(pk=roles.employee.pk) | Q(atasan=roles.employee)
    return queryset.filter(scope)


def get_employee_for(roles: Roles, pk: int) -> Employee:
    """The employee if this user may see them; 404 alike for "missing" and "not yours"."""
    try:
        return employees_visible_to(roles).get(pk=pk)
    except Employee.DoesNotExist:
        raise Http404 from None


def units_manageable_by(roles: Roles) -> QuerySet[UnitKerja]:
    queryset = UnitKerja.objects.select_related("parent", "head")
    if roles.is_biro:
        return queryset
    return queryset.filter(pk__in=roles.managed_unit_ids)


# --- CMB: who may see which agreement, session and evidence ------------------------------------


def _agreement_scope(roles: Roles, prefix: str = "") -> Q:
    """Parties of the agreement, the employee's current atasan, the unit's pengelola/pimpinan."""
    p = prefix
    scope = Q(pk__in=[]) if not p else Q(**{f"{p}pk__in": []})
    if roles.employee is not None:
        me = roles.employee.pk
        scope |= (
            Q(**{f"{p}employee_id": me})
            | Q(**{f"{p}atasan_id": me})
            | Q(**{f"{p}mentor_id": me})
            | Q(**{f"{p}employee__atasan_id": me})
        )
    units = roles.managed_unit_ids | roles.headed_unit_ids
    if units:
        scope |= Q(**{f"{p}employee__unit_id__in": units})
    return scope


def agreements_visible_to(roles: Roles) -> QuerySet[Agreement]:
    queryset = Agreement.objects.select_related(
        "employee__unit", "employee__atasan", "atasan", "mentor", "area__managerial"
    )
    return queryset if roles.is_biro else queryset.filter(_agreement_scope(roles))


def get_agreement_for(roles: Roles, pk: int) -> Agreement:
    try:
        return agreements_visible_to(roles).get(pk=pk)
    except Agreement.DoesNotExist:
        raise Http404 from None


def agreements_waiting_for(employee: Employee) -> QuerySet[Agreement]:
    """Agreements whose next answer is this employee's (SPEC 2: each party sees what waits)."""
    return agreements_visible_to_parties().filter(
        Q(status=AgreementStatus.AWAITING_EMPLOYEE, employee=employee)
        | Q(status=AgreementStatus.AWAITING_ATASAN, atasan=employee)
        | Q(status=AgreementStatus.AWAITING_MENTOR, mentor=employee)
    )


def agreements_visible_to_parties() -> QuerySet[Agreement]:
    return Agreement.objects.select_related("employee", "atasan", "mentor", "area__managerial")


def sessions_visible_to(roles: Roles) -> QuerySet[Session]:
    queryset = Session.objects.select_related(
        "agreement__employee__unit", "agreement__employee__atasan", "agreement__mentor",
        "agreement__atasan", "source",
    )  # fmt: skip
    return queryset if roles.is_biro else queryset.filter(_agreement_scope(roles, "agreement__"))


def get_session_for(roles: Roles, pk: int) -> Session:
    """The session if this user may see it; 404 alike for "missing" and "not yours"."""
    try:
        return sessions_visible_to(roles).get(pk=pk)
    except Session.DoesNotExist:
        raise Http404 from None


def get_own_session(roles: Roles, pk: int) -> Session:
    """A session of the signed-in employee (for writing); 404 for anyone else's."""
    if roles.employee is None:
        raise Http404
    try:
        return sessions_visible_to(roles).get(pk=pk, agreement__employee=roles.employee)
    except Session.DoesNotExist:
        raise Http404 from None


def get_evidence_for(roles: Roles, pk: int) -> Evidence:
    visible = sessions_visible_to(roles).values("pk")
    try:
        return Evidence.objects.select_related("session__agreement").get(pk=pk, session__in=visible)
    except Evidence.DoesNotExist:
        raise Http404 from None


def development_areas_of(employee: Employee, year: int | None = None) -> QuerySet[DevelopmentArea]:
    queryset = DevelopmentArea.objects.select_related("managerial").filter(employee=employee)
    return queryset.filter(year=year) if year else queryset


def team_areas(atasan: Employee, year: int) -> QuerySet[DevelopmentArea]:
    """Development areas of the atasan's active direct staff: the coaching form's options."""
    return (
        DevelopmentArea.objects.select_related("employee", "managerial")
        .filter(employee__atasan=atasan, employee__active=True, year=year)
        .order_by("employee__name", "id")
    )


def mentor_candidates(employee: Employee) -> QuerySet[Employee]:
    return Employee.objects.select_related("unit").filter(active=True).exclude(pk=employee.pk)

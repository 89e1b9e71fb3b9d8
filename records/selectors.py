"""Reads for the organisation, with their joins applied (STYLE: selectors)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Employee, UnitKerja
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

"""Who may do what: the one place that turns a user into their roles (SPEC section 1).

Views ask `roles_for(request.user)` and guard themselves with `role_required`; nothing else
decides access. The answer is computed once per request and cached on the user object.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import PermissionDenied

from .models import BIRO_SDM_GROUP, Employee, UnitKerja

security_log = logging.getLogger("cmb.security")

PEGAWAI = "pegawai"
ATASAN = "atasan"
PENGELOLA = "pengelola"
PIMPINAN = "pimpinan"
BIRO = "biro"


@dataclass(frozen=True)
class Roles:
    employee: Employee | None
    is_atasan: bool
    is_biro: bool
    # Units the user manages as pengelola / heads as pimpinan, each with all sub-units.
    managed_unit_ids: frozenset[int]
    headed_unit_ids: frozenset[int]

    @property
    def is_pegawai(self) -> bool:
        return self.employee is not None

    @property
    def is_pengelola(self) -> bool:
        return bool(self.managed_unit_ids)

    @property
    def is_pimpinan(self) -> bool:
        return bool(self.headed_unit_ids)

    def has(self, role: str) -> bool:
        return {
            PEGAWAI: self.is_pegawai,
            ATASAN: self.is_atasan,
            PENGELOLA: self.is_pengelola,
            PIMPINAN: self.is_pimpinan,
            BIRO: self.is_biro,
        }[role]

    @property
    def names(self) -> list[str]:
        return [r for r in (PEGAWAI, ATASAN, PENGELOLA, PIMPINAN, BIRO) if self.has(r)]

    def can_manage_unit(self, unit_id: int) -> bool:
        """Pengelola of the unit (or of a parent unit), or Biro SDM."""
        return self.is_biro or unit_id in self.managed_unit_ids


NO_ROLES = Roles(None, False, False, frozenset(), frozenset())


def subtree_ids(root_ids: Iterable[int]) -> frozenset[int]:
    """The given units and every unit below them. Units are few; one query reads the tree."""
    roots = set(root_ids)
    if not roots:
        return frozenset()
    children: dict[int | None, list[int]] = {}
    for unit_id, parent_id in UnitKerja.objects.values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(unit_id)
    found, stack = set(), list(roots)
    while stack:
        unit_id = stack.pop()
        if unit_id not in found:
            found.add(unit_id)
            stack.extend(children.get(unit_id, ()))
    return frozenset(found)


def roles_for(user) -> Roles:
    if not user.is_authenticated:
        return NO_ROLES
    cached = getattr(user, "_cmb_roles", None)
    if cached is not None:
        return cached
    employee = (
        Employee.objects.select_related("unit", "atasan").filter(user=user, active=True).first()
    )
    managed: frozenset[int] = frozenset()
    headed: frozenset[int] = frozenset()
    is_atasan = False
    if employee is not None:
        is_atasan = employee.subordinates.filter(active=True).exists()
        managed_roots = list(employee.managed_units.values_list("id", flat=True))
        headed_roots = list(employee.headed_units.values_list("id", flat=True))
        managed = subtree_ids(managed_roots)
        headed = subtree_ids(headed_roots)
    is_biro = user.groups.filter(name=BIRO_SDM_GROUP).exists()
    roles = Roles(employee, is_atasan, is_biro, managed, headed)
    user._cmb_roles = roles
    return roles


def role_required(*allowed: str) -> Callable:
    """Let the view run for users holding any of `allowed`; others get 403 (and a log line)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            roles = roles_for(request.user)
            if not any(roles.has(role) for role in allowed):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_roles = allowed
        return wrapped

    return decorator

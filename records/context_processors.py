from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .roles import roles_for


def portal(request):
    """The user's roles for the navigation, so each role sees only what it may use, and the
    number of agreements waiting for their answer (computed only when a page shows it)."""
    user = getattr(request, "user", None)
    roles = roles_for(user) if user is not None else None

    def waiting() -> int:
        if roles is None or roles.employee is None:
            return 0
        from .selectors import agreements_waiting_for

        return agreements_waiting_for(roles.employee).count()

    def to_approve() -> int:
        from approvals.selectors import approval_count

        return approval_count(roles.employee) if roles is not None else 0

    def to_verify() -> int:
        from approvals.selectors import verification_count

        return verification_count() if roles is not None and roles.is_biro else 0

    return {
        "roles": roles,
        "waiting_agreements": SimpleLazyObject(waiting),
        "waiting_approvals": SimpleLazyObject(to_approve),
        "waiting_verifications": SimpleLazyObject(to_verify),
        "cmb_institution": settings.CMB_INSTITUTION,
        "cmb_policy": settings.CMB_POLICY,
    }

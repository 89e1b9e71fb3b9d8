from django.conf import settings

from .roles import roles_for


def portal(request):
    """The user's roles for the navigation, so each role sees only what it may use."""
    user = getattr(request, "user", None)
    return {
        "roles": roles_for(user) if user is not None else None,
        "cmb_institution": settings.CMB_INSTITUTION,
        "cmb_policy": settings.CMB_POLICY,
    }

"""Sign-in with NIP or username, and the security log of sign-ins."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .nip import NIP_LENGTH, normalize_nip

security_log = logging.getLogger("cmb.security")


class NipOrUsernameBackend(ModelBackend):
    """Employees sign in with their NIP; staff accounts may also use a username."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        owner = nip_owner(username) if username else None
        if owner:
            username = owner
        return super().authenticate(request, username=username, password=password, **kwargs)


def nip_owner(typed: str) -> str | None:
    """The username of the employee whose NIP was typed (spaces ignored), if there is one."""
    candidate = normalize_nip(typed)
    if not (candidate.isdigit() and len(candidate) == NIP_LENGTH):
        return None
    return (
        get_user_model()
        .objects.filter(employee__nip=candidate)
        .values_list("username", flat=True)
        .first()
    )


def lockout_username(request, credentials) -> str | None:
    """AXES_USERNAME_CALLABLE: one throttling key per account, however its name was typed.

    The NIP, the NIP in groups and the username all reach the same account; counted apart,
    each spelling would get its own five tries. The key is the account's username when a NIP
    was typed, otherwise the typed text without spaces (usernames hold no spaces).
    """
    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    typed = credentials.get(field) if credentials else getattr(request, "POST", {}).get(field)
    if not typed:
        return typed
    return nip_owner(typed) or normalize_nip(typed)


def client_address(request) -> str:
    if request is None:
        return "-"
    address = getattr(request, "axes_ip_address", None)
    return address or request.META.get("REMOTE_ADDR", "-")


@receiver(user_logged_in)
def log_sign_in(sender, request, user, **kwargs):
    security_log.info("sign-in user=%s from=%s", user.get_username(), client_address(request))


@receiver(user_logged_out)
def log_sign_out(sender, request, user, **kwargs):
    name = user.get_username() if user else "-"
    security_log.info("sign-out user=%s from=%s", name, client_address(request))


@receiver(user_login_failed)
def log_failed_sign_in(sender, credentials, request=None, **kwargs):
    # `credentials` is already scrubbed of the password by Django; log the name only.
    security_log.warning(
        "failed sign-in username=%r from=%s", credentials.get("username"), client_address(request)
    )

"""Sign-in with NIP or username, and the security log of sign-ins."""

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .nip import NIP_LENGTH, normalize_nip

security_log = logging.getLogger("cmb.security")


class NipOrUsernameBackend(ModelBackend):
    """Employees sign in with their NIP; staff accounts may also use a username."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username:
            candidate = normalize_nip(username)
            if candidate.isdigit() and len(candidate) == NIP_LENGTH:
                owner = (
                    get_user_model()
                    .objects.filter(employee__nip=candidate)
                    .values_list("username", flat=True)
                    .first()
                )
                if owner:
                    username = owner
        return super().authenticate(request, username=username, password=password, **kwargs)


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

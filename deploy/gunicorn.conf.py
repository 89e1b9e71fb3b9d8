"""Gunicorn settings for deploy/start.sh: an access log that never holds a reset token.

A password reset link is /akun/reset/<uidb64>/<token>/: the secret is in the path, so dropping
the query string is not enough. Every access-log field (request line, path, referer, headers,
environ) goes through `mask_reset_links` first.
"""

import re

from gunicorn.glogging import Logger

# "/" may arrive percent-encoded (%2F) in the raw request line or inside a ?next= parameter.
_SLASH = r"(?:/|%2F)"
_RESET_LINK = re.compile(
    rf"(?P<prefix>{_SLASH}akun{_SLASH}reset{_SLASH})(?P<rest>[^\s?#&\"']*)", re.IGNORECASE
)
# The "done" page of the reset has no secret; keep it readable.
_NOT_SECRET = re.compile(rf"selesai{_SLASH}?", re.IGNORECASE)
MASK = "***"


def mask_reset_links(text: str) -> str:
    """Replace whatever follows /akun/reset/ (user id and token) with ***."""

    def mask(match: re.Match) -> str:
        if not match["rest"] or _NOT_SECRET.fullmatch(match["rest"]):
            return match[0]
        return match["prefix"] + MASK

    return _RESET_LINK.sub(mask, text)


class MaskingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: mask_reset_links(value) if isinstance(value, str) else value
            for key, value in atoms.items()
        }


logger_class = MaskingLogger
accesslog = "-"

"""No password-reset token in any log.

A reset link is /akun/reset/<uidb64>/<token>/: the secret is in the path itself, so it would
reach gunicorn's access log (deploy/gunicorn.conf.py) and Django's own log lines ("Not Found:
<path>", "Internal Server Error: <path>", cmb.errors path=...). Both go through
`mask_reset_links`. Standard library only: gunicorn's config imports it before Django starts.
"""

import logging
import re

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


class MaskResetLinks(logging.Filter):
    """A logging filter (settings.LOGGING) that masks reset links in the formatted message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_reset_links(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True

"""Gunicorn settings for deploy/start.sh: an access log that never holds a reset token.

A password reset link is /akun/reset/<uidb64>/<token>/: the secret is in the path, so dropping
the query string is not enough. Every access-log field (request line, path, referer, headers,
environ) goes through `cmb_portal.logmask.mask_reset_links` first.
"""

import sys
from pathlib import Path

from gunicorn.glogging import Logger

# The config is read before the app is imported: make the project importable from here.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from cmb_portal.logmask import mask_reset_links  # noqa: E402


class MaskingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: mask_reset_links(value) if isinstance(value, str) else value
            for key, value in atoms.items()
        }


logger_class = MaskingLogger
accesslog = "-"

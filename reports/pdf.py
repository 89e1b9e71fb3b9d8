"""Rendering documents to PDF with WeasyPrint: the one place every PDF goes through.

WeasyPrint loads stylesheets, fonts and images through `restricted_fetcher`: static files
and uploaded evidence are read from disk; anything else (the network, other local paths) is
refused. A batch passes one `RenderCache` so fonts and images are loaded once.
"""

from __future__ import annotations

import logging
import mimetypes
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format

log = logging.getLogger(__name__)

# Unambiguous characters for codes people type from paper (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_code(length: int = 8) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


class FetchRefused(ValueError):
    pass


def _static_path(path: str) -> Path | None:
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if not path.startswith(prefix):
        return None
    relative = unquote(path[len(prefix) :])
    if ".." in Path(relative).parts:
        return None
    found = finders.find(relative)
    if found:
        return Path(found)
    candidate = Path(settings.STATIC_ROOT) / relative
    return candidate if candidate.is_file() else None


def _media_path(path: str) -> Path | None:
    """Uploaded evidence, addressed as media:evidence/2022/<name>.png."""
    root = Path(settings.MEDIA_ROOT).resolve()
    candidate = (root / unquote(path)).resolve()
    if root in candidate.parents and candidate.is_file() and "evidence" in candidate.parts:
        return candidate
    return None


def _restricted_fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class RestrictedFetcher(URLFetcher):
        """Static files and uploaded evidence from disk, data: URIs; nothing else."""

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            target = None
            if parts.scheme == "file" and not parts.netloc:
                # Only "/static/..." resolves, through the static finders; no other path.
                target = _static_path(parts.path)
            elif parts.scheme == "media":
                target = _media_path(parts.path)
            if target is None:
                log.warning("PDF rendering refused to fetch %s", url)
                raise FetchRefused(f"not allowed in PDFs: {url}")
            mime, _ = mimetypes.guess_type(target.name)
            return URLFetcherResponse(
                url, target.read_bytes(), {"Content-Type": mime or "application/octet-stream"}
            )

    return RestrictedFetcher


def restricted_fetcher():
    return _restricted_fetcher_class()(allowed_protocols={"file", "media", "data"})


@dataclass
class RenderCache:
    """Shared by the documents of one batch (fonts, stylesheets and images loaded once)."""

    images: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    code: str
    generated_at: object


def render_pdf(
    template: str, context: dict, *, code: str | None = None, cache: RenderCache | None = None
) -> Rendered:
    """Render a template to PDF, always in Indonesian, with the footer's time and code."""
    from weasyprint import HTML

    code = code or new_code()
    now = timezone.localtime()
    with translation.override("id"):
        html = render_to_string(
            template,
            {
                **context,
                "document_code": code,
                "generated_at": date_format(now, "j F Y, H.i") + " WIB",
                "institution": settings.CMB_INSTITUTION,
            },
        )
    # "/static/..." resolves to file:///static/..., which the fetcher maps to the static
    # finders; no URL in a document can reach the network or another local file.
    document = HTML(string=html, base_url="file:///", url_fetcher=restricted_fetcher())
    pdf = document.write_pdf(cache=(cache or RenderCache()).images)
    return Rendered(pdf=pdf, code=code, generated_at=now)

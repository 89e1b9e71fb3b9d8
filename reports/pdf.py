"""Rendering documents to PDF with WeasyPrint: the one place every PDF goes through.

WeasyPrint loads stylesheets, fonts and images through `restricted_fetcher`: files under the
static URL, read from disk (the static finders, then STATIC_ROOT), and data: URIs; anything
else (the network, other local paths, uploaded files) is refused. Documents list evidence by
name only, so nothing uploaded is ever read into a PDF. A batch passes one `RenderCache` so
the fonts, the print stylesheets and the images are loaded and parsed once.
"""

from __future__ import annotations

import logging
import mimetypes
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format

log = logging.getLogger(__name__)

# Unambiguous characters for codes people type from paper (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

# Every PDF's stylesheet; a document adds its own (forms.css, recap.css, certificate.css).
BASE_STYLESHEET = "pdf/print.css"


def new_code(length: int = 8) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


class FetchRefused(ValueError):
    pass


def _inside(root: Path, relative: str) -> Path | None:
    """`root/relative` if it is a file that stays under `root` once resolved (an absolute
    `relative`, "..", or a symlink pointing out all land elsewhere and are refused)."""
    root = root.resolve()
    candidate = (root / relative).resolve()
    return candidate if candidate.is_relative_to(root) and candidate.is_file() else None


def _static_path(path: str) -> Path | None:
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if not path.startswith(prefix):
        return None
    relative = unquote(path[len(prefix) :])
    if not relative or relative.startswith("/") or ".." in Path(relative).parts:
        return None
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation:
        return None
    if found:
        return Path(found)
    # Deployed without the source tree's static folders: the collected copy.
    return _inside(Path(settings.STATIC_ROOT), relative)


def _restricted_fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class RestrictedFetcher(URLFetcher):
        """Static files from disk and data: URIs; nothing else."""

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            target = None
            if parts.scheme == "file" and not parts.netloc:
                # Only "/static/..." resolves, through the static finders; no other path.
                target = _static_path(parts.path)
            if target is None:
                log.warning("PDF rendering refused to fetch %s", url)
                raise FetchRefused(f"not allowed in PDFs: {url}")
            mime, _ = mimetypes.guess_type(target.name)
            return URLFetcherResponse(
                url, target.read_bytes(), {"Content-Type": mime or "application/octet-stream"}
            )

    return RestrictedFetcher


def restricted_fetcher():
    return _restricted_fetcher_class()(allowed_protocols={"file", "data"})


@dataclass
class RenderCache:
    """Shared by the documents of one batch: one font configuration (the bundled fonts are
    read and registered once), the print stylesheets parsed once, and the image cache.

    One per batch, used from one thread; a single document gets a fresh one."""

    images: dict = field(default_factory=dict)
    fetcher: Any = field(default_factory=restricted_fetcher)
    _fonts: Any = field(default=None, init=False, repr=False)
    _stylesheets: dict[str, Any] = field(default_factory=dict, init=False, repr=False)

    @property
    def fonts(self):
        if self._fonts is None:
            from weasyprint.text.fonts import FontConfiguration

            self._fonts = FontConfiguration()
        return self._fonts

    def stylesheet(self, name: str):
        """The static stylesheet `name` (e.g. "pdf/forms.css"), parsed with the batch's
        fonts; its @font-face rules register in that same font configuration."""
        if name not in self._stylesheets:
            from weasyprint import CSS

            self._stylesheets[name] = CSS(
                url=f"file:///{settings.STATIC_URL.strip('/')}/{name}",
                url_fetcher=self.fetcher,
                font_config=self.fonts,
            )
        return self._stylesheets[name]


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    code: str
    generated_at: object


def render_pdf(
    template: str,
    context: dict,
    *,
    stylesheets: tuple[str, ...] = (),
    code: str | None = None,
    cache: RenderCache | None = None,
) -> Rendered:
    """Render a template to PDF, always in Indonesian, with the footer's time and code.

    The template links no stylesheet: print.css and then `stylesheets` (static names) come
    parsed from the cache. They apply as user stylesheets, so a `<style>` in the template
    (a document's own @page, say) still wins over them."""
    from weasyprint import HTML

    cache = cache or RenderCache()
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
    document = HTML(string=html, base_url="file:///", url_fetcher=cache.fetcher)
    pdf = document.write_pdf(
        stylesheets=[cache.stylesheet(name) for name in (BASE_STYLESHEET, *stylesheets)],
        font_config=cache.fonts,
        cache=cache.images,
    )
    return Rendered(pdf=pdf, code=code, generated_at=now)

"""reports.pdf: what WeasyPrint may read while rendering (the restricted URL fetcher) and what
a batch shares (one RenderCache: fonts, parsed stylesheets, images)."""

from __future__ import annotations

import io
import logging
from urllib.parse import quote

import pytest
from django.test import override_settings
from pypdf import PdfReader

from reports import pdf
from reports.pdf import FetchRefused, RenderCache, render_pdf, restricted_fetcher


def fetch(url: str) -> bytes:
    response = restricted_fetcher().fetch(url)
    try:
        return response.read()
    finally:
        response.close()


def test_it_reads_the_bundled_stylesheet_and_font_from_static():
    assert b"@font-face" in fetch("file:///static/pdf/print.css")
    font = fetch("file:///static/fonts/LiberationSerif-Regular.ttf")
    assert font[:4] == b"\x00\x01\x00\x00"  # a TrueType font


def test_it_reads_data_uris():
    assert fetch("data:text/plain;base64,UVI=") == b"QR"


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/logo.png",
        "https://example.com/fonts.css",
        "ftp://example.com/x.css",
        "file:///etc/passwd",
        "file://localhost/static/pdf/print.css",  # a host: not our disk
        "file:///static/%2Fetc%2Fpasswd",  # an encoded absolute path
        "file:///static//etc/passwd",
        "file:///static/%2E%2E/%2E%2E/%2E%2E/etc/passwd",  # encoded ../
        "file:///static/pdf/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "file:///static/",
        "file:///static/pdf/no-such.css",
        "file:///var/static/pdf/print.css",
    ],
)
def test_it_refuses_anything_but_files_under_static(url):
    with pytest.raises(FetchRefused):
        restricted_fetcher().fetch(url)


def test_it_refuses_uploaded_evidence(tmp_path):
    """Lampiran I lists evidence by name; no upload is ever read into a PDF, whatever the
    scheme (the former media: scheme included)."""
    evidence = tmp_path / "evidence" / "2022" / "bukti.png"
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"\x89PNG\r\n")
    with override_settings(MEDIA_ROOT=tmp_path):
        for url in (
            "media:evidence/2022/bukti.png",
            f"media:{evidence}",
            "media:evidence/../../../etc/passwd",
            f"file://{evidence}",
        ):
            with pytest.raises(FetchRefused):
                restricted_fetcher().fetch(url)


@pytest.fixture
def collected_only(tmp_path):
    """A deployment without the source tree's static folders: no finder finds anything, the
    files are only in STATIC_ROOT (collectstatic's copy)."""
    root = tmp_path / "collected"
    (root / "pdf").mkdir(parents=True)
    (root / "pdf" / "print.css").write_text("html { color: black; }")
    secret = tmp_path / "secret.txt"
    secret.write_text("not for PDFs")
    (root / "pdf" / "linked.css").symlink_to(secret)
    with override_settings(STATICFILES_FINDERS=[], STATIC_ROOT=root):
        yield secret


def test_the_static_root_fallback_serves_collected_files(collected_only):
    assert fetch("file:///static/pdf/print.css") == b"html { color: black; }"


def test_the_static_root_fallback_stays_under_static_root(collected_only):
    for url in (
        "file:///static/" + quote(str(collected_only), safe=""),  # %2Ftmp%2F...%2Fsecret.txt
        "file:///static/pdf/%2E%2E/%2E%2E/secret.txt",
        "file:///static/pdf/linked.css",  # a symlink out of STATIC_ROOT
    ):
        with pytest.raises(FetchRefused):
            restricted_fetcher().fetch(url)


def test_a_document_cannot_reach_out_while_rendering(monkeypatch, caplog):
    """End to end: WeasyPrint asks the fetcher, which refuses; the PDF is still made."""
    html = (
        "<html><head><link rel='stylesheet' href='http://example.com/x.css'>"
        "<link rel='stylesheet' href='file:///etc/passwd'></head>"
        "<body><img src='https://example.com/logo.png'><img src='/static/%2Fetc%2Fpasswd'>"
        "Isi</body></html>"
    )
    monkeypatch.setattr(pdf, "render_to_string", lambda template, context: html)
    with caplog.at_level(logging.WARNING, logger="reports.pdf"):
        rendered = render_pdf("reports/pdf/any.html", {})
    refused = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    for url in (
        "http://example.com/x.css",
        "file:///etc/passwd",
        "https://example.com/logo.png",
        "file:///static/%2Fetc%2Fpasswd",
    ):
        assert any(url in message for message in refused), url
    assert "Isi" in PdfReader(io.BytesIO(rendered.pdf)).pages[0].extract_text()


def fonts_of(pdf_bytes: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(pdf_bytes))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_documents_use_the_bundled_fonts(monkeypatch):
    html = "<html><body><p>Teks biasa</p><p><strong>Teks tebal</strong></p></body></html>"
    monkeypatch.setattr(pdf, "render_to_string", lambda template, context: html)
    fonts = fonts_of(render_pdf("reports/pdf/any.html", {}).pdf)
    # "CMB Serif" exists only through print.css's @font-face rules (the Liberation files).
    assert {name.split("+")[-1] for name in fonts} >= {"CMB-Serif", "CMB-Serif-Bold"}, fonts


def test_a_batch_reads_fonts_and_stylesheets_once(monkeypatch):
    html = "<html><body><p>Teks</p><p class='muted'>Kartu</p></body></html>"
    monkeypatch.setattr(pdf, "render_to_string", lambda template, context: html)
    cache = RenderCache()
    fetched: list[str] = []
    real_fetch = cache.fetcher.fetch

    def counting_fetch(url, headers=None):
        fetched.append(url)
        return real_fetch(url, headers)

    cache.fetcher.fetch = counting_fetch
    first = render_pdf("reports/pdf/any.html", {}, stylesheets=("pdf/forms.css",), cache=cache)
    after_first = list(fetched)
    second = render_pdf("reports/pdf/any.html", {}, stylesheets=("pdf/forms.css",), cache=cache)

    assert "file:///static/pdf/print.css" in after_first
    assert any(url.endswith(".ttf") for url in after_first)
    assert fetched == after_first  # the second document fetched nothing
    assert fonts_of(first.pdf) == fonts_of(second.pdf)

"""Writes of the reports app shared by every document: the log of generated PDFs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.http import HttpResponse

from .models import GeneratedDocument
from .pdf import Rendered


@transaction.atomic
def document_record(
    *, rendered: Rendered, kind: str, title: str, user=None, employee=None, unit=None
) -> GeneratedDocument:
    """Log a generated PDF under the code printed in its footer."""
    return GeneratedDocument.objects.create(
        code=rendered.code,
        kind=kind,
        title=title[:300],
        employee=employee,
        unit=unit,
        generated_by=user,
        generated_at=rendered.generated_at,
        sha256=hashlib.sha256(rendered.pdf).hexdigest(),
    )


@dataclass(frozen=True)
class PdfLogEntry:
    """What the document log keeps of one PDF (not the PDF itself: a batch stays small)."""

    code: str
    kind: str
    title: str
    generated_at: object
    sha256: str

    @classmethod
    def of(cls, rendered: Rendered, kind: str, title: str) -> PdfLogEntry:
        digest = hashlib.sha256(rendered.pdf).hexdigest()
        return cls(rendered.code, kind, title[:300], rendered.generated_at, digest)


@transaction.atomic
def documents_record(
    *, entries: list[PdfLogEntry], user=None, employee=None
) -> list[GeneratedDocument]:
    """Log a batch of generated PDFs in one insert."""
    return GeneratedDocument.objects.bulk_create(
        GeneratedDocument(
            code=e.code,
            kind=e.kind,
            title=e.title,
            employee=employee,
            generated_by=user,
            generated_at=e.generated_at,
            sha256=e.sha256,
        )
        for e in entries
    )


def pdf_response(rendered: Rendered, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(rendered.pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response

"""Writes of the reports app shared by every document: the log of generated PDFs."""

from __future__ import annotations

import hashlib

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


def pdf_response(rendered: Rendered, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(rendered.pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response

"""Download one employee's complete CMB record as a ZIP (reports.record_export): the employee
their own, the pengelola kepegawaian and Biro SDM anyone they may see (404 otherwise)."""

from __future__ import annotations

from django.http import FileResponse
from django.views.decorators.http import require_GET

from records.roles import BIRO, PEGAWAI, PENGELOLA, role_required, roles_for

from .record_export import record_export_file


def _zip_response(request, employee_pk: int) -> FileResponse:
    archive, filename = record_export_file(roles_for(request.user), employee_pk, request.user)
    response = FileResponse(
        archive, as_attachment=True, filename=filename, content_type="application/zip"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@role_required(PEGAWAI)
def my_record_export(request):
    return _zip_response(request, roles_for(request.user).employee.pk)


@require_GET
@role_required(PENGELOLA, BIRO)
def employee_record_export(request, employee_pk: int):
    return _zip_response(request, employee_pk)

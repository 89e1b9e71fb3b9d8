import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .forms import EmployeeImportForm
from .importing import read_employee_file
from .roles import ATASAN, BIRO, PENGELOLA, PIMPINAN, role_required, roles_for
from .selectors import employees_visible_to
from .services import ImportFileError, employee_import

log = logging.getLogger(__name__)


@login_not_required
@require_GET
@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        log.exception("health check: database unreachable")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@role_required(ATASAN, PENGELOLA, PIMPINAN, BIRO)
def employee_list(request):
    roles = roles_for(request.user)
    employees = employees_visible_to(roles).filter(active=True)
    query = request.GET.get("q", "").strip()
    if query:
        employees = employees.filter(
            Q(name__icontains=query) | Q(nip__startswith=query) | Q(jabatan__icontains=query)
        )
    page = Paginator(employees.order_by("unit__name", "name"), 50).get_page(request.GET.get("page"))
    return render(request, "records/employee_list.html", {"page": page, "query": query})


@role_required(PENGELOLA, BIRO)
def employee_import_view(request):
    roles = roles_for(request.user)
    report = None
    if request.method == "POST":
        form = EmployeeImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                rows = read_employee_file(upload.name, upload.read())
            except ImportFileError as error:
                form.add_error("file", str(error))
            else:
                report = employee_import(
                    rows=rows,
                    allowed_unit_ids=None if roles.is_biro else roles.managed_unit_ids,
                    dry_run=form.cleaned_data["dry_run"],
                )
                if report.dry_run:
                    messages.info(request, _("Pemeriksaan selesai; belum ada yang disimpan."))
                else:
                    messages.success(request, _("Impor selesai."))
    else:
        form = EmployeeImportForm()
    return render(request, "records/employee_import.html", {"form": form, "report": report})

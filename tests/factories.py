"""Builders for test data, all through the real services (STYLE: build data as users do)."""

from __future__ import annotations

import datetime
import io

from PIL import Image

from approvals import services as workflow
from records import services
from records.models import Activity, Agreement, CompetencyType, Employee, ManagerialCompetency
from records.roles import roles_for

CONTENT = {
    "needs": "Memahami pola karier jabatan fungsional.",
    "responsibility": "Menyusun peta karier pegawai di unit.",
    "activity": "Diskusi dan latihan menyusun pola karier.",
    "result": "Draf pola karier dan rencana tindak lanjut.",
}


def employee(user) -> Employee:
    return user.employee


def area(emp: Employee, year: int, *, gap: int = 1):
    return services.area_create(
        employee=emp,
        year=year,
        competency_type=CompetencyType.MANAJERIAL,
        managerial=ManagerialCompetency.objects.get(number=3),
        current_level=1,
        required_level=1 + gap,
    )


def coaching(demo, year: int = 2022) -> Agreement:
    """An active coaching agreement: atasan proposes, pegawai agrees."""
    cahya, diah = employee(demo.pegawai), employee(demo.atasan)
    agreement = services.agreement_propose_coaching(
        atasan=diah,
        area=area(cahya, year),
        title="Pemahaman pola karier",
        goal="Memahami pola karier",
        target="Draf pola karier unit",
        actor=demo.atasan,
    )
    return services.agreement_respond(agreement=agreement, actor=cahya, accept=True)


def mentoring(demo, year: int = 2022, *, mentor_user=None, activate: bool = True) -> Agreement:
    cahya = employee(demo.pegawai)
    agreement = services.agreement_request_mentoring(
        employee=cahya,
        area=area(cahya, year, gap=2),
        title="Penyusunan gap kompetensi",
        goal="Mampu menyusun analisis kesenjangan",
        mentor=employee(mentor_user or demo.mentor),
        actor=demo.pegawai,
    )
    if activate:
        agreement = services.agreement_respond(
            agreement=agreement, actor=employee(demo.atasan), accept=True
        )
        if agreement.mentor_id != agreement.atasan_id:
            agreement = services.agreement_respond(
                agreement=agreement, actor=agreement.mentor, accept=True
            )
    return agreement


def self_learning(demo, year: int = 2022) -> Agreement:
    cahya = employee(demo.pegawai)
    agreement = services.agreement_propose_self_learning(
        employee=cahya,
        area=area(cahya, year),
        title="Komunikasi efektif",
        goal="Menyampaikan informasi dengan jelas",
        sources=[{"kind": "buku", "title": "Komunikasi Efektif di Tempat Kerja"}],
        actor=demo.pegawai,
    )
    return services.agreement_respond(agreement=agreement, actor=employee(demo.atasan), accept=True)


def session(agreement: Agreement, on: datetime.date, *, start=(9, 0), minutes=None, **extra):
    data = {
        "date": on,
        "start_time": datetime.time(*start) if start else None,
        "end_time": datetime.time(start[0] + 1, start[1]) if start else None,
        "place": "Ruang rapat Biro SDM",
        "mode": "luring",
        "scope": "nasional",
        **CONTENT,
    }
    if agreement.kind == Activity.BELAJAR_MANDIRI:
        data.update(
            duration_minutes=minutes or 45,
            resume="Ringkasan buku tentang komunikasi efektif.",
            source=agreement.sources.first(),
        )
    data.update(extra)
    return services.session_create(agreement=agreement, actor=agreement.employee, **data)


def verified(demo, session_obj):
    """Walk a session through the whole workflow to verified."""
    emp = session_obj.agreement.employee
    workflow.session_submit(session=session_obj, actor=emp)
    if session_obj.needs_mentor_confirmation:
        workflow.session_confirm(session=session_obj, actor=session_obj.agreement.mentor)
    workflow.session_approve(session=session_obj, actor=emp.atasan)
    return workflow.session_verify(
        session=session_obj, actor_roles=roles_for(demo.biro), actor=demo.biro
    )


def png_bytes(size=(4, 4)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PNG")
    return buffer.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

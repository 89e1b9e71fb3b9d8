"""Benchmark of the official documents: seconds per Kartu Pengendali and per Lampiran I.

    python -m reports.bench_documents [--renders N] [--sessions N] [--out DIR]

Builds a throwaway SQLite database (never the configured one): the demo agency, then a year of
CMB for the demo employee (Cahya, 2023: coaching, mentoring and belajar mandiri, every session
walked through the real workflow to verified). Renders her Kartu Pengendali and one Lampiran I
`--renders` times each (the first render, which loads fonts, is timed apart) and prints the
seconds per document. `--out` also writes one of each to DIR for looking at. Not a test: the
figures go into the README.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import statistics
import tempfile
import time
from pathlib import Path


def _setup(workdir: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "cmb_portal.settings_test"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["MEDIA_ROOT"] = f"{workdir}/media"
    import django

    django.setup()
    import logging

    from django.core.management import call_command

    logging.getLogger("weasyprint").setLevel(logging.WARNING)  # no per-step progress lines

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())


def _year_of_cmb(year: int, sessions: int):
    """`sessions` verified sessions for Cahya in `year`, through the services."""
    from django.contrib.auth import get_user_model

    from approvals.notifications import notifications_muted
    from approvals.services import session_approve, session_confirm, session_submit, session_verify
    from records import services
    from records.models import CompetencyType, Employee, ManagerialCompetency
    from records.roles import roles_for

    cahya = Employee.objects.select_related("atasan", "user").get(nip="199708212020122005")
    diah = cahya.atasan
    heri = Employee.objects.get(nip="198106082005012005")
    biro = get_user_model().objects.get(username="biro")
    biro_roles = roles_for(biro)
    area = services.area_create(
        employee=cahya, year=year, competency_type=CompetencyType.MANAJERIAL,
        managerial=ManagerialCompetency.objects.get(number=3), current_level=1, required_level=2,
    )  # fmt: skip
    coaching = services.agreement_propose_coaching(
        atasan=diah, area=area, title="Coaching penyusunan rencana kerja unit",
        goal="Rencana kerja", target="Draf rencana kerja", actor=diah.user,
    )  # fmt: skip
    services.agreement_respond(agreement=coaching, actor=cahya, accept=True)
    mentoring = services.agreement_request_mentoring(
        employee=cahya, area=area, title="Mentoring analisis jabatan", goal="Analisis jabatan",
        mentor=heri, actor=cahya.user,
    )  # fmt: skip
    services.agreement_respond(agreement=mentoring, actor=diah, accept=True)
    services.agreement_respond(agreement=mentoring, actor=heri, accept=True)
    learning = services.agreement_propose_self_learning(
        employee=cahya, area=area, title="Belajar Mandiri manajemen kinerja", goal="Kinerja",
        sources=[{"kind": "buku", "title": "Manajemen Kinerja ASN"}], actor=cahya.user,
    )  # fmt: skip
    services.agreement_respond(agreement=learning, actor=diah, accept=True)
    agreements = [a.__class__.objects.get(pk=a.pk) for a in (coaching, mentoring, learning)]
    source = agreements[2].sources.first()

    text = "Uraian kegiatan pengembangan kompetensi yang cukup panjang untuk satu paragraf. " * 4
    made = []
    with notifications_muted():
        for i in range(sessions):
            agreement = agreements[i % 3]
            day = datetime.date(year, 1, 2) + datetime.timedelta(days=i * 360 // sessions)
            bm = agreement.kind == "belajar_mandiri"
            session = services.session_create(
                agreement=agreement, actor=cahya, date=day,
                start_time=None if bm else datetime.time(9, 0),
                end_time=None if bm else datetime.time(10, 30),
                place="Ruang Rapat Biro SDM", mode="luring", scope="nasional",
                needs=text, responsibility=text, activity=text, result=text,
                duration_minutes=90 if bm else None, source=source if bm else None,
                resume=text if bm else "",
            )  # fmt: skip
            session_submit(session=session, actor=cahya, today=day)
            if session.needs_mentor_confirmation:
                session_confirm(session=session, actor=agreement.mentor)
            session_approve(session=session, actor=diah)
            session_verify(session=session, actor_roles=biro_roles, actor=biro)
            made.append(session)
    return cahya, made


def _time(render, renders: int) -> tuple[float, float, bytes]:
    started = time.perf_counter()
    first = render()
    cold = time.perf_counter() - started
    runs = []
    for _ in range(renders):
        started = time.perf_counter()
        render()
        runs.append(time.perf_counter() - started)
    return cold, statistics.median(runs), first.pdf


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=10)
    parser.add_argument("--sessions", type=int, default=40)
    parser.add_argument("--year", type=int, default=2023)
    parser.add_argument("--out", type=Path, help="write one Kartu and one Lampiran I here")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="cmb-bench-") as workdir:
        _setup(workdir)
        from django.contrib.auth import get_user_model

        from records.roles import roles_for
        from reports import documents

        cahya, sessions = _year_of_cmb(args.year, args.sessions)
        roles = roles_for(get_user_model().objects.get(username="pengelola"))
        period = documents.calendar_year(args.year)

        def kartu():
            data = documents.kartu_data(roles, cahya.pk, period)
            return documents.render_kartu(data)

        def lampiran():
            return documents.render_lampiran_i(documents.lampiran_i_data(roles, sessions[1].pk))

        k_cold, k_median, k_pdf = _time(kartu, args.renders)
        l_cold, l_median, l_pdf = _time(lampiran, args.renders)
        data = documents.kartu_data(roles, cahya.pk, period)
        print(
            f"{len(sessions)} verified sessions in {args.year}, {len(data.rows)} rows on the card"
        )
        print(
            f"Kartu Pengendali: {k_median:.3f} s per document "
            f"(median of {args.renders}; first render {k_cold:.3f} s)"
        )
        print(
            f"Lampiran I:       {l_median:.3f} s per document "
            f"(median of {args.renders}; first render {l_cold:.3f} s)"
        )
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / "bench-kartu.pdf").write_bytes(k_pdf)
            (args.out / "bench-lampiran-i.pdf").write_bytes(l_pdf)
            print(f"Written to {args.out}")


if __name__ == "__main__":
    main()

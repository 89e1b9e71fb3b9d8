"""A small, believable agency for demos and manual testing (`manage.py seed_demo`).

Built through the real services (import included), so the demo exercises what HR uses.
Cahya, her coach Diah and her mentor Heri are the people of the Kartu Pengendali example in
SE Kepala BKN 3/2022 (Lampiran II).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Employee, UnitKerja
from .services import (
    biro_sdm_grant,
    employee_import,
    pengelola_assign,
    unit_create,
    unit_set_head,
)

# The documented demo password (README), for the demo data only (bandit B105).
DEMO_PASSWORD = "demo12345"  # noqa: S105  # nosec B105

# (code, name, parent code)
UNITS = [
    ("bkn", "Badan Kepegawaian Negara", None),
    ("settama", "Sekretariat Utama", "bkn"),
    ("biro-sdm", "Biro Sumber Daya Manusia", "settama"),
    ("biro-umum", "Biro Umum", "settama"),
    ("dit-jabatan", "Direktorat Jabatan Aparatur Sipil Negara", "bkn"),
    ("kanreg-1", "Kantor Regional I BKN Yogyakarta", "bkn"),
]


@dataclass(frozen=True)
class Person:
    login: str | None  # demo login, or None for sign-in by NIP only
    nip: str
    name: str
    golongan: str
    jabatan: str
    unit: str
    atasan_nip: str = ""


PIMPINAN = "197103151996031002"
ATASAN = "198204122006042003"
PENGELOLA = "198809302014022001"
KABAG_UMUM = "197907042005011004"
DIREKTUR = "197005201995031001"
KAKANREG = "196908111994032002"
KASUBDIT = "198106082005012005"
KABID_KANREG = "198003252004121003"

PEOPLE = [
    # Biro Sumber Daya Manusia
    Person(
        "pimpinan",
        PIMPINAN,
        "Dr. Haryanto Wibisono, S.H., M.Si.",
        "IV/c",
        "Kepala Biro Sumber Daya Manusia",
        "biro-sdm",
    ),
    Person(
        "atasan",
        ATASAN,
        "Diah Kusuma Ismuwardanni, S.Psi., M.Si.",
        "IV/a",
        "Kepala Bagian Pengembangan Kompetensi",
        "biro-sdm",
        PIMPINAN,
    ),
    Person(
        "pegawai", "199708212020122005", "Cahya", "III/b", "Analis SDM Aparatur", "biro-sdm", ATASAN
    ),
    Person(
        "pengelola",
        PENGELOLA,
        "Nur Aini Rahmawati, S.Sos.",
        "III/c",
        "Pengelola Kepegawaian",
        "biro-sdm",
        ATASAN,
    ),
    Person(
        "biro",
        "198507172010011006",
        "Bambang Setiawan, S.E., M.A.P.",
        "III/d",
        "Analis SDM Aparatur Ahli Muda",
        "biro-sdm",
        ATASAN,
    ),
    Person(
        "biro2",
        "199001232015032002",
        "Fitri Handayani, S.Kom.",
        "III/c",
        "Pranata Komputer Ahli Pertama",
        "biro-sdm",
        ATASAN,
    ),
    Person(
        None,
        "199512032019032011",
        "Ayu Lestari, S.Psi.",
        "III/a",
        "Analis SDM Aparatur Ahli Pertama",
        "biro-sdm",
        ATASAN,
    ),
    Person(
        None,
        "199403142018011002",
        "Rizky Pratama, S.T.",
        "III/a",
        "Analis Kepegawaian Ahli Pertama",
        "biro-sdm",
        ATASAN,
    ),
    Person(
        None,
        "199206252017012003",
        "Dewi Anggraini, A.Md.",
        "II/c",
        "Pengadministrasi Kepegawaian",
        "biro-sdm",
        ATASAN,
    ),
    # Biro Umum
    Person(
        None,
        KABAG_UMUM,
        "Ir. Agus Santoso, M.T.",
        "IV/b",
        "Kepala Bagian Rumah Tangga",
        "biro-umum",
    ),
    Person(
        "pengelola-umum",
        "198902112015011003",
        "Yusuf Hidayat, S.AP.",
        "III/b",
        "Pengelola Kepegawaian",
        "biro-umum",
        KABAG_UMUM,
    ),
    Person(
        None,
        "199107192016022004",
        "Siti Nurhaliza, S.E.",
        "III/b",
        "Analis Keuangan",
        "biro-umum",
        KABAG_UMUM,
    ),
    Person(
        None, "199609272020121001", "Muhammad Fajar", "II/b", "Pengemudi", "biro-umum", KABAG_UMUM
    ),
    Person(
        None,
        "199311052019022007",
        "Putri Wulandari, S.H.",
        "III/a",
        "Analis Hukum",
        "biro-umum",
        KABAG_UMUM,
    ),
    # Direktorat Jabatan ASN
    Person(
        None,
        DIREKTUR,
        "Prof. Dr. Sutrisno Hadi, M.Pd.",
        "IV/d",
        "Direktur Jabatan ASN",
        "dit-jabatan",
    ),
    Person(
        "mentor",
        KASUBDIT,
        "Heri Purwanto, S.H.",
        "IV/a",
        "Analis Kebijakan Ahli Madya",
        "dit-jabatan",
        DIREKTUR,
    ),
    Person(
        "pengelola-jabatan",
        "199002082014032001",
        "Lia Marlina, S.Sos.",
        "III/c",
        "Pengelola Kepegawaian",
        "dit-jabatan",
        KASUBDIT,
    ),
    Person(
        None,
        "199204302016011001",
        "Andi Saputra, S.IP.",
        "III/b",
        "Analis Jabatan",
        "dit-jabatan",
        KASUBDIT,
    ),
    Person(
        None,
        "199508162019032009",
        "Nabila Zahra, S.Psi.",
        "III/a",
        "Analis Jabatan",
        "dit-jabatan",
        KASUBDIT,
    ),
    Person(
        None,
        "198712012011011002",
        "Hendra Gunawan, S.Kom., M.Kom.",
        "III/d",
        "Pranata Komputer Ahli Muda",
        "dit-jabatan",
        KASUBDIT,
    ),
    # Kantor Regional I BKN Yogyakarta
    Person(
        None, KAKANREG, "Dra. Sri Mulyani, M.M.", "IV/c", "Kepala Kantor Regional I", "kanreg-1"
    ),
    Person(
        "pengelola-kanreg",
        "199106242015022003",
        "Retno Wulandari, S.E.",
        "III/b",
        "Pengelola Kepegawaian",
        "kanreg-1",
        KABID_KANREG,
    ),
    Person(
        None,
        KABID_KANREG,
        "Eko Prasetyo, S.H., M.H.",
        "IV/a",
        "Kepala Bidang Informasi Kepegawaian",
        "kanreg-1",
        KAKANREG,
    ),
    Person(
        None,
        "199409092018011004",
        "Galih Ramadhan, S.Kom.",
        "III/a",
        "Pranata Komputer Ahli Pertama",
        "kanreg-1",
        KABID_KANREG,
    ),
    Person(
        None,
        "199712222020122006",
        "Intan Permatasari, A.Md.Kom.",
        "II/c",
        "Pranata Komputer Terampil",
        "kanreg-1",
        KABID_KANREG,
    ),
    Person(
        None,
        "199010102015031005",
        "Wahyu Nugroho, S.Sos.",
        "III/b",
        "Analis Kepegawaian",
        "kanreg-1",
        KABID_KANREG,
    ),
]

HEADS = {
    "biro-sdm": PIMPINAN,
    "biro-umum": KABAG_UMUM,
    "dit-jabatan": DIREKTUR,
    "kanreg-1": KAKANREG,
}
PENGELOLA_OF = {
    "biro-sdm": PENGELOLA,
    "biro-umum": "198902112015011003",
    "dit-jabatan": "199002082014032001",
    "kanreg-1": "199106242015022003",
}
BIRO_SDM_LOGINS = ("biro", "biro2")

# The logins printed by `make run` and listed in the README: (login, what to try with it).
DEMO_LOGINS = [
    ("pegawai", "Cahya — pegawai, atasannya 'atasan'"),
    ("atasan", "Diah Kusuma Ismuwardanni — atasan langsung Cahya (coach)"),
    ("mentor", "Heri Purwanto — pegawai senior di unit lain (mentor)"),
    ("pengelola", "Nur Aini Rahmawati — pengelola kepegawaian Biro SDM"),
    ("biro", "Bambang Setiawan — Biro SDM (verifikasi, sertifikat)"),
    ("pimpinan", "Dr. Haryanto Wibisono — pimpinan unit Biro SDM"),
]


def demo_is_loaded() -> bool:
    return UnitKerja.objects.filter(code="bkn").exists()


@transaction.atomic
def seed_demo() -> None:
    """Create or complete the demo agency. Running it again changes nothing."""
    units: dict[str, UnitKerja] = {}
    for code, name, parent in UNITS:
        unit = UnitKerja.objects.filter(code=code).first()
        units[code] = unit or unit_create(name=name, code=code, parent=units.get(parent))

    rows = [
        {
            "nip": p.nip,
            "nama": p.name,
            "golongan": p.golongan,
            "jabatan": p.jabatan,
            "unit": p.unit,
            "nip_atasan": p.atasan_nip,
            "email": f"{p.login or p.nip}@demo.cmb.go.id",
        }
        for p in PEOPLE
    ]
    report = employee_import(rows=rows, allowed_unit_ids=None)
    refused = [r for r in report.rows if r.outcome == "ditolak"]
    if refused:
        raise ValueError(f"Demo data refused: {refused}")

    employees = {e.nip: e for e in Employee.objects.select_related("user")}
    User = get_user_model()
    for person in PEOPLE:
        user = employees[person.nip].user
        if person.login and user.username != person.login:
            user.username = person.login
        if not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
        user.save()
    for code, nip in HEADS.items():
        if units[code].head_id != employees[nip].id:
            unit_set_head(unit=units[code], head=employees[nip])
    for code, nip in PENGELOLA_OF.items():
        pengelola_assign(unit=units[code], employee=employees[nip])
    for login in BIRO_SDM_LOGINS:
        biro_sdm_grant(user=User.objects.get(username=login))
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "admin@demo.cmb.go.id", DEMO_PASSWORD)


# --- CMB activity ---------------------------------------------------------------------------

LAMPIRAN_I = {
    "needs": "Kesenjangan kompetensi pada {topic}.",
    "responsibility": "Dibutuhkan dalam tugas sebagai {jabatan}.",
    "activity": "{kind} tentang {topic}.",
    "result": "Pegawai memahami {topic} dan menyusun rencana tindak lanjut.",
}


def _content(kind: str, topic: str, jabatan: str) -> dict[str, str]:
    return {k: v.format(kind=kind, topic=topic, jabatan=jabatan) for k, v in LAMPIRAN_I.items()}


@transaction.atomic
def seed_demo_activity() -> None:
    """CMB records for the demo: the SE's Kartu Pengendali example for Cahya in 2022
    (coaching 4 + mentoring 2 + belajar mandiri 1 = 7 JP, all verified), and a little of the
    current year for her colleagues. Skipped when Cahya already has agreements."""
    import datetime

    from approvals.services import session_approve, session_confirm, session_submit, session_verify

    from .models import Agreement, CompetencyType, LearningSourceKind, ManagerialCompetency
    from .roles import roles_for
    from .services import (
        agreement_propose_coaching,
        agreement_propose_self_learning,
        agreement_request_mentoring,
        agreement_respond,
        area_create,
        session_create,
    )

    cahya = Employee.objects.select_related("atasan", "user").get(nip="199708212020122005")
    if Agreement.objects.filter(employee=cahya).exists():
        return
    diah = cahya.atasan
    heri = Employee.objects.get(nip=KASUBDIT)
    biro = get_user_model().objects.get(username="biro")
    biro_roles = roles_for(biro)

    def area(year, competency, current=1, required=2, teknis=""):
        return area_create(
            employee=cahya, year=year,
            competency_type=CompetencyType.TEKNIS if teknis else CompetencyType.MANAJERIAL,
            managerial=None if teknis else ManagerialCompetency.objects.get(name=competency),
            competency=teknis, current_level=current, required_level=required,
        )  # fmt: skip

    def meeting(agreement, on, topic, start=(9, 0), minutes=None, source=None, verify=True):
        data = _content(agreement.get_kind_display(), topic, cahya.jabatan)
        session = session_create(
            agreement=agreement, actor=cahya, date=on,
            start_time=datetime.time(*start) if start else None,
            end_time=datetime.time(start[0] + 1, 30) if start else None,
            place="Ruang Rapat Biro SDM, Gedung II Lt. 3", mode="luring", scope="nasional",
            duration_minutes=minutes, source=source,
            resume=f"Resume: {topic}." if minutes else "", **data,
        )  # fmt: skip
        if verify:
            session_submit(session=session, actor=cahya, today=on)
            if session.needs_mentor_confirmation:
                session_confirm(session=session, actor=agreement.mentor)
            session_approve(session=session, actor=diah)
            session_verify(session=session, actor_roles=biro_roles, actor=biro)
        return session

    # 2022: the SE's example, Lampiran II.
    coaching = agreement_propose_coaching(
        atasan=diah, area=area(2022, "Pengembangan diri"),
        title="Coaching tentang pemahaman pola karier", goal="Memahami pola karier ASN",
        target="Peta pola karier jabatan fungsional di Biro SDM", actor=diah.user,
    )  # fmt: skip
    agreement_respond(agreement=coaching, actor=cahya, accept=True)
    coaching.refresh_from_db()
    meeting(coaching, datetime.date(2022, 4, 7), "pemahaman pola karier 1")
    meeting(coaching, datetime.date(2022, 4, 14), "pemahaman pola karier 2")

    mentoring = agreement_request_mentoring(
        employee=cahya, area=area(2022, "", 1, 3, teknis="Analisis kesenjangan kompetensi"),
        title="Mentoring tentang penyusunan gap kompetensi",
        goal="Mampu menyusun analisis gap kompetensi", mentor=heri, actor=cahya.user,
    )  # fmt: skip
    agreement_respond(agreement=mentoring, actor=diah, accept=True)
    agreement_respond(agreement=mentoring, actor=heri, accept=True)
    mentoring.refresh_from_db()
    meeting(mentoring, datetime.date(2022, 5, 29), "penyusunan gap kompetensi", start=(13, 0))

    learning = agreement_propose_self_learning(
        employee=cahya, area=area(2022, "Komunikasi"),
        title="Belajar Mandiri tentang komunikasi efektif", goal="Berkomunikasi dengan jelas",
        sources=[
            {"kind": LearningSourceKind.BUKU, "title": "Komunikasi Efektif untuk ASN"},
            {"kind": LearningSourceKind.VIDEO, "title": "Seri video komunikasi publik"},
            {"kind": LearningSourceKind.JURNAL, "title": "Jurnal Kebijakan dan Manajemen PNS"},
            {"kind": LearningSourceKind.KELAS, "title": "Kelas online ASN Unggul"},
        ],
        actor=cahya.user,
    )  # fmt: skip
    agreement_respond(agreement=learning, actor=diah, accept=True)
    learning.refresh_from_db()
    meeting(
        learning,
        datetime.date(2022, 6, 1),
        "komunikasi efektif",
        start=None,
        minutes=60,
        source=learning.sources.first(),
    )


# --- A year in progress ---------------------------------------------------------------------

# How each colleague has been doing this year, in turn (the demo logins' own records are left
# alone except Cahya's): steady coaching that reaches 20 JP, belajar mandiri every month,
# coaching every other month (behind), and nothing yet.
YEAR_PATTERNS = ("tekun", "belajar", "jarang", "belum")


@transaction.atomic
def seed_demo_year(*, year: int, through_month: int) -> int:
    """CMB of `year` from January to `through_month` for every employee who has an atasan,
    through the real services, so dashboards, queues, recaps and the evaluation have something
    to show. The last meeting of the steady ones is left waiting (for the atasan, or for
    Biro SDM), so the queues are not empty either. Skipped when `year` already has
    agreements. Returns the number of sessions made."""
    import datetime

    from approvals.services import session_approve, session_submit, session_verify

    from .models import Agreement, CompetencyType, LearningSourceKind
    from .roles import roles_for
    from .services import (
        agreement_propose_coaching,
        agreement_propose_self_learning,
        agreement_respond,
        area_create,
        session_create,
    )

    if through_month < 1 or Agreement.objects.filter(year=year).exists():
        return 0
    biro = get_user_model().objects.get(username="biro")
    biro_roles = roles_for(biro)
    people = (
        Employee.objects.filter(atasan__isnull=False, active=True)
        .exclude(user__username__in=["atasan", "mentor", "pengelola", "biro", "pimpinan"])
        .select_related("atasan", "user")
        .order_by("nip")
    )
    made = 0
    for index, person in enumerate(people):
        pattern = YEAR_PATTERNS[index % len(YEAR_PATTERNS)]
        # Every other steady one waits for the atasan, the rest for Biro SDM.
        waits_for_atasan = (index // len(YEAR_PATTERNS)) % 2 == 0
        if pattern == "belum":
            continue
        area = area_create(
            employee=person, year=year, competency_type=CompetencyType.TEKNIS,
            competency=f"Kompetensi teknis {person.jabatan}", current_level=1, required_level=2,
        )  # fmt: skip
        if pattern == "belajar":
            agreement = agreement_propose_self_learning(
                employee=person, area=area, title="Belajar mandiri tentang tugas jabatan",
                goal="Menguasai regulasi terbaru", actor=person.user,
                sources=[{"kind": LearningSourceKind.KELAS, "title": "Kelas online ASN Unggul"}],
            )  # fmt: skip
            agreement_respond(agreement=agreement, actor=person.atasan, accept=True)
            plan = [(datetime.date(year, m, 12), 90) for m in range(1, through_month + 1)]
        else:
            agreement = agreement_propose_coaching(
                atasan=person.atasan, area=area, title="Coaching tentang tugas jabatan",
                goal="Menyelesaikan tugas jabatan dengan mandiri", target="Dokumen kerja unit",
                actor=person.atasan.user,
            )  # fmt: skip
            agreement_respond(agreement=agreement, actor=person, accept=True)
            months = (
                range(1, min(through_month, 5) + 1)
                if pattern == "tekun"
                else range(1, through_month + 1, 2)
            )
            days = (6, 20) if pattern == "tekun" else (6,)
            plan = [(datetime.date(year, m, d), None) for m in months for d in days]
        agreement.refresh_from_db()
        for number, (on, minutes) in enumerate(plan, start=1):
            session = session_create(
                agreement=agreement, actor=person, date=on,
                start_time=None if minutes else datetime.time(9, 0),
                end_time=None if minutes else datetime.time(10, 30),
                place="Ruang rapat unit", mode="luring", scope="nasional",
                duration_minutes=minutes, source=agreement.sources.first() if minutes else None,
                resume="Ringkasan materi kelas online." if minutes else "",
                **_content(agreement.get_kind_display(), "tugas jabatan", person.jabatan),
            )  # fmt: skip
            made += 1
            session_submit(session=session, actor=person, today=on)
            last = number == len(plan)
            if last and pattern == "tekun" and waits_for_atasan:
                continue  # waits for the atasan
            session_approve(session=session, actor=person.atasan)
            if last and pattern == "tekun":
                continue  # waits for Biro SDM
            session_verify(session=session, actor_roles=biro_roles, actor=biro)
    return made

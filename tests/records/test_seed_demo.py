from django.contrib.auth import get_user_model
from django.core.management import call_command

from records.demo import DEMO_LOGINS
from records.models import Employee, UnitKerja


def state():
    return (
        sorted(Employee.objects.values_list("nip", "name", "golongan", "unit_id", "atasan_id")),
        sorted(UnitKerja.objects.values_list("code", "parent_id", "head_id")),
        sorted(get_user_model().objects.values_list("username", "password")),
    )


def test_seeding_twice_changes_nothing(db):
    call_command("seed_demo")
    first = state()
    call_command("seed_demo")
    assert state() == first
    assert len(first[0]) >= 25 and len(first[1]) >= 3


def test_the_demo_holds_the_se_example_employee(demo):
    cahya = Employee.objects.get(nip="199708212020122005")
    assert (cahya.name, cahya.golongan, cahya.jabatan) == ("Cahya", "III/b", "Analis SDM Aparatur")
    assert cahya.unit.name == "Biro Sumber Daya Manusia"
    assert cahya.user == demo.pegawai and cahya.atasan.user == demo.atasan


def test_every_unit_has_a_pengelola_and_the_roles_are_wired(demo):
    assert demo.pengelola.employee.managed_units.filter(code="biro-sdm").exists()
    assert demo.pimpinan.employee.headed_units.filter(code="biro-sdm").exists()
    assert demo.mentor.employee.unit != demo.pegawai.employee.unit
    assert demo.biro.groups.filter(name="Biro SDM").exists()
    for unit in UnitKerja.objects.filter(employees__isnull=False).distinct():
        assert unit.pengelola.exists(), unit


def test_all_demo_logins_work(demo):
    for login, _ in DEMO_LOGINS:
        assert get_user_model().objects.get(username=login).check_password(demo.password)


def test_if_empty_leaves_an_existing_organisation_alone(demo):
    UnitKerja.objects.filter(code="kanreg-1").update(name="Diubah")
    call_command("seed_demo", "--if-empty")
    assert UnitKerja.objects.get(code="kanreg-1").name == "Diubah"


def test_the_demo_reproduces_the_se_kartu_pengendali_example(db, mailoutbox):
    from records import ledger
    from records.models import Session

    call_command("seed_demo")
    call_command("seed_demo")  # twice: still one set of sessions
    cahya = Employee.objects.get(nip="199708212020122005")
    summary = ledger.ledger_for(cahya.pk, 2022).summary()
    assert {k: str(v) for k, v in summary.by_kind.items()} == {
        "coaching": "4.0", "mentoring": "2.0", "belajar_mandiri": "1.0"
    }  # fmt: skip
    assert str(summary.total) == "7.0"
    assert Session.objects.filter(agreement__employee=cahya).count() == 4
    assert mailoutbox == []  # building demo data sends no mail

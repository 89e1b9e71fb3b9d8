import datetime

import pytest

from records.nip import NipError, is_nip, parse_nip

TODAY = datetime.date(2026, 11, 22)


def test_it_reads_every_part_of_a_valid_nip():
    nip = parse_nip("199708212020122005", today=TODAY)
    assert nip.birth_date == datetime.date(1997, 8, 21)
    assert (nip.tmt_year, nip.tmt_month) == (2020, 12)
    assert nip.is_female
    assert nip.sequence == 5


def test_it_accepts_the_grouped_way_nips_are_written():
    assert parse_nip("19970821 202012 2 005", today=TODAY).value == "199708212020122005"


@pytest.mark.parametrize(
    ("nip", "names"),
    [
        ("19970821202012200", "18 digit, yang diisi 17"),
        ("1997082120201220051", "18 digit, yang diisi 19"),
        ("19970821202012200A", "hanya boleh berisi angka"),
        ("199702302020122005", "Tanggal lahir"),  # 30 February
        ("199713212020122005", "Tanggal lahir"),  # month 13
        ("203001012020122005", "Tanggal lahir"),  # born in the future
        ("199708212020132005", "TMT CPNS"),  # month 13
        ("199708212099012005", "TMT CPNS"),  # future
        ("199708212010012005", "TMT CPNS"),  # appointed at 12
        ("199708212020123005", "jenis kelamin"),
        ("199708212020120005", "jenis kelamin"),
        ("199708212020122000", "Nomor urut"),
    ],
)
def test_it_names_the_wrong_part(nip, names):
    with pytest.raises(NipError) as error:
        parse_nip(nip, today=TODAY)
    assert names in str(error.value)


def test_is_nip_answers_without_raising():
    assert is_nip("199708212020122005")
    assert not is_nip("12345")

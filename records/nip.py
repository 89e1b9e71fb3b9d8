"""NIP (Nomor Induk Pegawai) of a PNS: 18 digits, checked part by part.

    YYYYMMDD   birth date
    YYYYMM     TMT CPNS (start of service as a candidate civil servant)
    S          sex: 1 male, 2 female
    NNN        sequence number, 001-999

Pure Python (no Django) so that imports, forms and tests share one definition.
Messages are Indonesian and say which part is wrong, because HR staff type NIPs by hand.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

NIP_LENGTH = 18
# A CPNS is at least 18 years old when appointed (UU ASN).
MIN_AGE_AT_TMT = 18


class NipError(ValueError):
    """The NIP is malformed; str(error) is a message for the person who typed it."""


@dataclass(frozen=True)
class Nip:
    value: str
    birth_date: datetime.date
    tmt_year: int
    tmt_month: int
    sex: int
    sequence: int

    @property
    def is_female(self) -> bool:
        return self.sex == 2


def normalize_nip(raw: str) -> str:
    """NIPs are often written in groups ("19970821 202012 2 005"): drop the spaces."""
    return "".join(str(raw).split())


def parse_nip(raw: str, *, today: datetime.date | None = None) -> Nip:
    today = today or datetime.date.today()
    value = normalize_nip(raw)
    if not value.isdigit():
        raise NipError("NIP hanya boleh berisi angka.")
    if len(value) != NIP_LENGTH:
        raise NipError(f"NIP harus {NIP_LENGTH} digit, yang diisi {len(value)} digit.")

    try:
        birth = datetime.date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        raise NipError(
            f"Tanggal lahir pada NIP (digit 1-8: {value[0:8]}) bukan tanggal yang sah."
        ) from None
    if birth.year < 1900 or birth > today:
        raise NipError(f"Tanggal lahir pada NIP (digit 1-8: {value[0:8]}) tidak masuk akal.")

    tmt_year, tmt_month = int(value[8:12]), int(value[12:14])
    if not 1 <= tmt_month <= 12:
        raise NipError(f"TMT CPNS pada NIP (digit 9-14: {value[8:14]}) bukan bulan yang sah.")
    if (tmt_year, tmt_month) > (today.year, today.month):
        raise NipError(f"TMT CPNS pada NIP (digit 9-14: {value[8:14]}) ada di masa depan.")
    if (tmt_year, tmt_month) < (birth.year + MIN_AGE_AT_TMT, birth.month):
        raise NipError(
            f"TMT CPNS pada NIP (digit 9-14: {value[8:14]}) sebelum pegawai berusia "
            f"{MIN_AGE_AT_TMT} tahun menurut tanggal lahirnya."
        )

    sex = int(value[14])
    if sex not in (1, 2):
        raise NipError(
            f"Digit jenis kelamin pada NIP (digit 15: {value[14]}) harus 1 (pria) atau 2 (wanita)."
        )

    sequence = int(value[15:18])
    if sequence == 0:
        raise NipError(f"Nomor urut pada NIP (digit 16-18: {value[15:18]}) tidak boleh 000.")

    return Nip(value, birth, tmt_year, tmt_month, sex, sequence)


def is_nip(raw: str) -> bool:
    try:
        parse_nip(raw)
    except NipError:
        return False
    return True

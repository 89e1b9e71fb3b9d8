"""Seed a large agency for benchmarks and the load test (records.bench_seed).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cmb_bench \\
      python manage.py seed_bench --employees 10000 --yes

Refuses anything but an empty PostgreSQL database whose name contains "bench", so the real
database can never be filled with test people by accident.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from records.bench_seed import PASSWORD, seed
from records.models import Employee


class Command(BaseCommand):
    help = "Isi basis data uji beban (PostgreSQL, nama memuat 'bench') dengan pegawai dan CMB."

    def add_arguments(self, parser):
        parser.add_argument("--employees", type=int, default=10_000)
        parser.add_argument("--year", type=int, default=2025)
        parser.add_argument("--yes", action="store_true", help="really write")

    def handle(self, *args, **options):
        name = connection.settings_dict["NAME"] or ""
        if connection.vendor != "postgresql" and not options.get("allow_sqlite"):
            raise CommandError("seed_bench hanya untuk PostgreSQL (DATABASE_URL).")
        if "bench" not in name:
            raise CommandError(f"Nama basis data harus memuat 'bench' (sekarang: {name!r}).")
        if not options["yes"]:
            raise CommandError("Tambahkan --yes untuk benar-benar mengisi basis data.")
        call_command("migrate", verbosity=0)
        if Employee.objects.filter(user__username__startswith="bench").exists():
            raise CommandError("Basis data ini sudah berisi data uji beban.")
        call_command("seed_demo", "--if-empty", verbosity=0)
        result = seed(options["employees"], options["year"], out=self.stdout.write)
        # Fresh planner statistics: right after a bulk load PostgreSQL still plans for empty
        # tables (seq scans, pages 5x slower) until autovacuum gets round to it.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(
            f"{result.employees:,} pegawai, {result.units} unit, {result.sessions:,} pertemuan"
            f" dalam {result.seconds:.0f} detik. Kata sandi pengguna uji: {PASSWORD}"
        )

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from records.importing import read_employee_file
from records.services import ImportFileError, employee_import


class Command(BaseCommand):
    help = "Import employees from a CSV or XLSX file (upsert by NIP); prints a row-by-row report."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check only; save nothing.")

    def handle(self, *args, file: Path, dry_run: bool, **options):
        try:
            rows = read_employee_file(file.name, file.read_bytes())
        except OSError as error:
            raise CommandError(f"Berkas tidak dapat dibuka: {error}") from None
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        report = employee_import(rows=rows, allowed_unit_ids=None, dry_run=dry_run)
        for row in report.rows:
            line = f"baris {row.line:>5}  {row.nip:<18}  {row.outcome:<13} {row.name}"
            if row.reason:
                line += f"  — {row.reason}"
            self.stdout.write(line)
        self.stdout.write(
            f"{report.created} dibuat, {report.updated} diperbarui, "
            f"{report.unchanged} tidak berubah, {report.refused} ditolak"
            + (" (periksa saja, tidak disimpan)" if dry_run else "")
        )
        if report.refused:
            raise CommandError(f"{report.refused} baris ditolak.", returncode=1)

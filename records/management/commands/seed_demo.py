from django.core.management.base import BaseCommand
from django.utils import timezone

from approvals.notifications import notifications_muted
from records.demo import demo_is_loaded, seed_demo, seed_demo_activity, seed_demo_year


class Command(BaseCommand):
    help = "Build the demo agency (units, employees, roles). Running it twice changes nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds an organisation.",
        )
        parser.add_argument(
            "--this-year",
            action="store_true",
            help="Also give the colleagues CMB from January to last month (make run does).",
        )

    def handle(self, *args, if_empty=False, this_year=False, **options):
        from records.models import UnitKerja

        if if_empty and UnitKerja.objects.exists():
            self.stdout.write("Database sudah berisi data; data demo tidak dimuat.")
            return
        already = demo_is_loaded()
        seed_demo()
        with notifications_muted():
            seed_demo_activity()
            if this_year:
                today = timezone.localdate()
                made = seed_demo_year(year=today.year, through_month=today.month - 1)
                if made:
                    self.stdout.write(f"{made} pertemuan tahun {today.year} untuk rekan kerja.")
        self.stdout.write(
            self.style.SUCCESS("Data demo sudah lengkap." if already else "Data demo dimuat.")
        )

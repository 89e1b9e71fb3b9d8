from django.core.management.base import BaseCommand

from approvals.notifications import notifications_muted
from records.demo import demo_is_loaded, seed_demo, seed_demo_activity


class Command(BaseCommand):
    help = "Build the demo agency (units, employees, roles). Running it twice changes nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds an organisation.",
        )

    def handle(self, *args, if_empty=False, **options):
        from records.models import UnitKerja

        if if_empty and UnitKerja.objects.exists():
            self.stdout.write("Database sudah berisi data; data demo tidak dimuat.")
            return
        already = demo_is_loaded()
        seed_demo()
        with notifications_muted():
            seed_demo_activity()
        self.stdout.write(
            self.style.SUCCESS("Data demo sudah lengkap." if already else "Data demo dimuat.")
        )

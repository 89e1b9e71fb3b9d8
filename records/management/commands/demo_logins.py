from django.core.management.base import BaseCommand

from records.demo import DEMO_LOGINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print the demo logins (for `make run`)."

    def handle(self, *args, **options):
        self.stdout.write("")
        self.stdout.write(f"Login demo (kata sandi untuk semua: {DEMO_PASSWORD}):")
        for login, who in DEMO_LOGINS:
            self.stdout.write(f"  {login:<10} {who}")
        self.stdout.write("  admin      administrator situs (/admin/)")
        self.stdout.write("")

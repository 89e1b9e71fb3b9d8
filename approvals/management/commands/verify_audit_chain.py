from django.core.management.base import BaseCommand, CommandError

from approvals.audit import verify_chain


class Command(BaseCommand):
    help = "Check the audit trail's hash chain and report the first broken link."

    def handle(self, *args, **options):
        result = verify_chain()
        if result.broken_at is not None:
            raise CommandError(
                f"Rantai audit rusak pada entri #{result.broken_at}: {result.problem} "
                f"({result.checked} entri sebelumnya utuh)."
            )
        self.stdout.write(self.style.SUCCESS(f"Rantai audit utuh: {result.checked} entri."))

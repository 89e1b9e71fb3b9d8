from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = "Catatan CMB"

    def ready(self) -> None:
        from . import auth  # noqa: F401  (connects the sign-in log receivers)

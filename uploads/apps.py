from django.apps import AppConfig


class UploadsConfig(AppConfig):
    name = "uploads"
    verbose_name = "Batch uploads"

    def ready(self):
        from . import reports  # noqa: F401  (registers the exporters)

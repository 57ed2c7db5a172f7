from django.apps import AppConfig


class UploadsConfig(AppConfig):
    name = "uploads"
    verbose_name = "Batch uploads"

    def ready(self):
        from . import extracts, reports  # noqa: F401  (register the exporters)

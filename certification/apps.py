from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = "Graduate site certification"

    def ready(self):
        from . import exports  # noqa: F401  (registers the transcript exporters)

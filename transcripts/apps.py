from django.apps import AppConfig


class TranscriptsConfig(AppConfig):
    name = "transcripts"
    verbose_name = "Students, transcripts and IBCs"

    def ready(self):
        from . import receivers  # noqa: F401
        from . import reports  # noqa: F401  (registers the STSQ08/11/12 exporters)

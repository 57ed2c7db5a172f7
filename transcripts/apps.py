from django.apps import AppConfig


class TranscriptsConfig(AppConfig):
    name = "transcripts"
    verbose_name = "Students, transcripts and IBCs"

    def ready(self):
        from . import receivers  # noqa: F401
        from . import all_records, print_export, reports  # noqa: F401  (register the Print & Export and STSQ exporters)

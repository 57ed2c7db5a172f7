from django.apps import AppConfig


class YearEndConfig(AppConfig):
    name = "yearend"
    verbose_name = "Year end: rollover and recalculation"

    def ready(self):
        from transcripts import extensions

        from .queries import ROLLED_CHOICES, rolled_filter, rolled_marker

        # Student Detail shows where a rolled record came from; the Student List filters on it.
        extensions.provide(extensions.ROLLED_MARKER, rolled_marker)
        extensions.provide(extensions.ROLLED_FILTER, rolled_filter)
        extensions.provide(extensions.ROLLED_CHOICES, lambda: ROLLED_CHOICES)

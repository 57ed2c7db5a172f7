from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = "Graduate site certification"

    def ready(self):
        from transcripts import extensions

        from . import exports  # noqa: F401  (registers the transcript exporters)
        from .queries import official_transcripts, site_states
        from .services import ots_counts, queue_nonpublic_graduates

        # The Site List, Student Detail and STSQ11 show what certification knows.
        extensions.provide(extensions.SITE_CERTIFICATIONS, site_states)
        extensions.provide(extensions.OFFICIAL_TRANSCRIPTS, official_transcripts)
        extensions.provide(extensions.OTS_COUNTS, ots_counts)
        # A nonpublic graduate enters the OTS queue once its progress is stored (no certification).
        extensions.provide(extensions.GRADUATES_RECOMPUTED, queue_nonpublic_graduates)

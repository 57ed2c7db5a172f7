from django.apps import AppConfig


class HarvestsConfig(AppConfig):
    name = "harvests"
    verbose_name = "Harvests, snapshots and state extracts"

    def ready(self):
        from . import extracts, statewide  # noqa: F401  (register the STSQ01-03 and statewide exporters)

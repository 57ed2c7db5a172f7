from django.apps import AppConfig


class CoreTablesConfig(AppConfig):
    name = "core_tables"
    verbose_name = "Reference tables"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .codes import ensure_code_lists

        post_migrate.connect(lambda sender, **kw: ensure_code_lists(), sender=self, weak=False)

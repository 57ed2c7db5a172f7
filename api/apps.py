from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "REST API for SIS vendors"

    def ready(self):
        from . import receivers  # noqa: F401  (upload finished -> callback)

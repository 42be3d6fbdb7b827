from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "joinedup.core"
    label = "core"

    def ready(self) -> None:
        # Each app's background-job runners live in its jobs.py (see joinedup.core.jobs).
        autodiscover_modules("jobs")

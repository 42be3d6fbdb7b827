from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "joinedup.core"
    label = "core"

    def ready(self) -> None:
        # Each app's background-job runners live in its jobs.py (see joinedup.core.jobs), and what it adds to
        # the shell (wave kinds, partnership-page sections, API routers) in its hooks.py (joinedup.core.registry).
        autodiscover_modules("jobs")
        autodiscover_modules("hooks")

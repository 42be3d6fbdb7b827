"""The project's settings plus one throwaway capability app (tests/core/throwaway), and nothing else changed."""

from joinedup.settings import *  # noqa: F403
from joinedup.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.core.throwaway"]

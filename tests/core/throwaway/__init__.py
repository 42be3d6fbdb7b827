"""A tiny capability, installed only by tests/core/throwaway_settings.py, to show that adding an app touches no
other app's code: its hooks.py registers a partnership-page section and an API router, and they appear."""

from django.apps import AppConfig


class ThrowawayConfig(AppConfig):
    name = "tests.core.throwaway"
    label = "throwaway"

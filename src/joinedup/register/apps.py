from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "joinedup.register"
    label = "register"

from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "joinedup.register"
    label = "register"

    def ready(self) -> None:
        from joinedup.core.permissions import grant_loader_register
        from joinedup.register.roles import grants_for

        grant_loader_register(grants_for)

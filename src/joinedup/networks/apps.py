from django.apps import AppConfig


class NetworksConfig(AppConfig):
    name = "joinedup.networks"
    label = "networks"
    verbose_name = "Relationships and networks"

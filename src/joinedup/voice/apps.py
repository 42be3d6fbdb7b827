from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "joinedup.voice"
    label = "voice"
    verbose_name = "Service-user and carer feedback"

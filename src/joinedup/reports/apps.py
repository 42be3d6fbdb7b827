from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "joinedup.reports"
    label = "reports"
    verbose_name = "Reports: review packs, governance packs and printable minutes"

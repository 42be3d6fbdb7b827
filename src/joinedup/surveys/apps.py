from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "joinedup.surveys"
    label = "surveys"
    verbose_name = "Survey waves"

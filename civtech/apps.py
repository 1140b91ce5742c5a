from django.apps import AppConfig


class CivtechConfig(AppConfig):
    name = "civtech"
    verbose_name = "CivTech project"

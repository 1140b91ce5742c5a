from django.apps import AppConfig


class FormbuilderConfig(AppConfig):
    name = "formbuilder"
    verbose_name = "Application forms"

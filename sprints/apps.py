from django.apps import AppConfig


class SprintsConfig(AppConfig):
    name = "sprints"
    verbose_name = "Exploration and accelerator sprints"

    def ready(self) -> None:
        from applications.signals import team_selected

        from . import permissions  # noqa: F401 - registers the app's rules with civtech.permissions
        from .services.engagements import engagement_for_selected_team

        team_selected.connect(engagement_for_selected_team, dispatch_uid="sprints.engagement_for_selected_team")

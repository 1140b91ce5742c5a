from django.apps import AppConfig


class ChallengesConfig(AppConfig):
    name = "challenges"
    verbose_name = "Challenges"

    def ready(self) -> None:
        from . import permissions  # noqa: F401 - registers the app's rules with civtech.permissions

from django.apps import AppConfig


class ChallengesConfig(AppConfig):
    name = "challenges"
    verbose_name = "Challenges"

    def ready(self) -> None:
        from organisations.signals import organisation_saved

        from . import permissions  # noqa: F401 - registers the app's rules with civtech.permissions
        from .services import sponsor_space_for

        organisation_saved.connect(sponsor_space_for, dispatch_uid="challenges.sponsor_space_for")

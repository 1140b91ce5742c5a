from django.apps import AppConfig


class ChallengesConfig(AppConfig):
    name = "challenges"
    verbose_name = "Challenges"

    def ready(self) -> None:
        from organisations.signals import organisation_saved

        # the rules register with civtech.permissions, the page views with civtech.pages
        from . import permissions, views  # noqa: F401
        from .services import sponsor_space_for

        organisation_saved.connect(sponsor_space_for, dispatch_uid="challenges.sponsor_space_for")

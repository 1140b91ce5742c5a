"""Personal data is composed from each app's part, found through the app registry (issue #19, item 6): a new app
holding personal data declares it in its own `personal_data.py`, and the export and the erasure take it in."""

import pytest
from django.contrib.auth import get_user_model

from challenges.models import ChallengeFollow
from civtech.app_parts import our_app_configs
from civtech.errors import DomainError
from civtech.personal_data import person_erase, person_erase_preview, person_export, personal_data_parts
from civtech.personal_parts import PersonalData
from notifications import personal_data as notifications_part
from tests.factories import UserFactory, make_challenge

User = get_user_model()


def test_every_reference_of_ours_to_a_person_is_named_by_its_apps_part():
    """Each foreign key from a model of ours to the account is shown, listed or kept by its app's part, so a new
    model pointing at people cannot be left out of the export's reckoning or erased by accident. (Fields a page
    model inherits from Wagtail's Page, its owner and lock, are Wagtail's, counted under wagtailcore.)"""
    parts = personal_data_parts()
    named = {pair for part in parts for pair in part.listed | part.kept}
    shown = {model for part in parts for model in part.shown}
    unnamed = [
        f"{model._meta.label}.{field.name}"
        for config in our_app_configs()
        for model in config.get_models()
        for field in model._meta.concrete_fields
        if field.model is model and field.is_relation and field.related_model is User
        and model not in shown and (model, field.name) not in named
    ]  # fmt: skip
    assert unnamed == []


def test_the_parts_come_from_the_apps_that_hold_personal_data_in_the_order_of_the_layers():
    parts = personal_data_parts()
    owners = [part.export.__module__.split(".")[0] for part in parts if part.export is not PersonalData.export]
    assert owners == ["accounts", "organisations", "notifications", "challenges", "sprints", "cms"]
    assert [part.order for part in parts] == sorted(part.order for part in parts)
    assert {part.records.__module__.split(".")[0] for part in parts if part.records is not PersonalData.records} == {
        "applications", "sprints", "impact",
    }  # fmt: skip


@pytest.mark.django_db
def test_no_two_parts_claim_the_same_section_or_deletion():
    user = UserFactory()
    addresses = [user.email]
    sections: list[str] = []
    deletions: list[str] = []
    for part in personal_data_parts():
        sections += [*part.export(user, addresses), *part.records(user)]
        deletions += [*part.deletions(user, addresses), *part.anonymisations(user, addresses, "x@invalid")]
    assert len(sections) == len(set(sections)) and "audit_log" not in sections
    assert len(deletions) == len(set(deletions)) and "user" not in deletions


@pytest.mark.django_db
def test_a_part_added_by_one_app_is_exported_counted_and_erased_without_touching_the_composition(monkeypatch):
    user = UserFactory()
    challenge = make_challenge()
    ChallengeFollow.objects.create(user=user, challenge=challenge)
    # A new part, as a new app would declare it: here it exports and erases the follows a second time, by name.
    extra = PersonalData(
        order=99,
        export=lambda person, addresses: {"followed_again": ChallengeFollow.objects.filter(user=person).count()},
        deletions=lambda person, addresses: {"follows_again": ChallengeFollow.objects.filter(user=person)},
    )
    monkeypatch.setattr(notifications_part, "PERSONAL_DATA", [*notifications_part.PERSONAL_DATA, extra])

    assert person_export(user=user)["followed_again"] == 1
    assert person_erase_preview(user=user)["deleted"]["follows_again"] == 1
    result = person_erase(user=user, requested_by="Data protection officer", reason="Article 17 request")
    # The app's own part deletes the follow first, so the added part finds none left: both ran, in order.
    assert (result["deleted"]["challenge_follows"], result["deleted"]["follows_again"]) == (1, 0)
    assert not ChallengeFollow.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_a_part_refusing_stops_the_erasure_with_its_own_words(monkeypatch):
    user = UserFactory(first_name="Blocked")
    refusing = PersonalData(order=99, refusal=lambda person: "Not while the new app says no.")
    monkeypatch.setattr(notifications_part, "PERSONAL_DATA", [*notifications_part.PERSONAL_DATA, refusing])
    with pytest.raises(DomainError, match="Not while the new app says no"):
        person_erase_preview(user=user)
    with pytest.raises(DomainError, match="Not while the new app says no"):
        person_erase(user=user, requested_by="DPO", reason="Article 17 request")
    assert User.objects.get(pk=user.pk).first_name == "Blocked"

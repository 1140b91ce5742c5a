"""Adopting new additionality assumptions: the CivTech team only, with a note saying where the values come from,
each value within its bounds; earlier assumptions are kept and the change is on the audit log, before and after."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from wagtail.models import ModelLogEntry

from civtech.errors import DomainError
from impact.models import Assumptions
from impact.services.assumptions import assumptions_update
from tests.factories import make_applicant, staff_user

pytestmark = pytest.mark.django_db

VALUES = {
    "leakage": Decimal("0.200"),
    "displacement": Decimal("0.150"),
    "substitution": Decimal("0.050"),
    "multiplier": Decimal("1.40"),
    "deadweight": Decimal("0.350"),
}


def test_staff_adopt_new_assumptions_and_the_old_ones_are_kept_on_the_record():
    staff = staff_user()
    first = assumptions_update(by=staff, note="Green Book 2022 defaults", **{**VALUES, "leakage": Decimal("0.1")})
    adopted = assumptions_update(by=staff, note="  The 2026 evaluation, table 4  ", **VALUES)

    adopted.refresh_from_db()
    assert {f: getattr(adopted, f) for f in VALUES} == VALUES
    assert adopted.note == "The 2026 evaluation, table 4"
    assert adopted.changed_by == staff
    assert Assumptions.current() == adopted
    assert list(Assumptions.objects.all()) == [adopted, first]

    entry = ModelLogEntry.objects.for_instance(adopted).get()
    assert entry.action == "civtech.assumptions.update"
    assert entry.user == staff
    assert entry.data["leakage"] == {"before": "0.100", "after": "0.200"}
    assert entry.data["multiplier"] == {"before": "1.40", "after": "1.40"}
    assert set(entry.data) == set(VALUES)


def test_the_first_change_records_the_defaults_as_before():
    adopted = assumptions_update(by=staff_user(), note="Evaluation", **VALUES)
    entry = ModelLogEntry.objects.for_instance(adopted).get()
    assert entry.data["deadweight"] == {"before": "0.30", "after": "0.350"}


def test_only_the_civtech_team_changes_the_assumptions():
    with pytest.raises(PermissionDenied, match=r"^Only the CivTech team approves contract variations\.$"):
        assumptions_update(by=make_applicant(), note="Mine", **VALUES)
    assert not Assumptions.objects.exists()


@pytest.mark.parametrize("note", ["", "   \n"])
def test_a_change_needs_a_note_saying_where_the_values_come_from(note):
    with pytest.raises(DomainError) as refused:
        assumptions_update(by=staff_user(), note=note, **VALUES)
    assert refused.value.field == "note"
    assert refused.value.message == "Say where these values come from (an evaluation or guidance)."
    assert not Assumptions.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("leakage", Decimal("1.001"), "Ensure this value is less than or equal to 1."),
        ("deadweight", Decimal("-0.001"), "Ensure this value is greater than or equal to 0."),
        ("multiplier", Decimal("0.99"), "Ensure this value is greater than or equal to 1."),
    ],
)
def test_a_value_out_of_bounds_is_refused_on_its_field(field, value, message):
    with pytest.raises(DomainError) as refused:
        assumptions_update(by=staff_user(), note="Evaluation", **{**VALUES, field: value})
    assert (refused.value.field, refused.value.message) == (field, message)
    assert not Assumptions.objects.exists()


def test_values_at_their_bounds_are_accepted():
    bounds = {"leakage": Decimal(0), "displacement": Decimal(1), "substitution": Decimal(0),
              "multiplier": Decimal(3), "deadweight": Decimal(1)}  # fmt: skip
    adopted = assumptions_update(by=staff_user(), note="Bounds", **bounds)
    assert adopted.net_factor() == 0

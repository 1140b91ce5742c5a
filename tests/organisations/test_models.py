from decimal import Decimal

import pytest

from organisations.models import Organisation, OrganisationKind


@pytest.mark.parametrize(
    ("employees", "turnover", "expected"),
    [
        (1, Decimal("0"), True),
        (249, Decimal("39999999.99"), True),
        (250, Decimal("1000"), False),  # 250 staff is no longer "fewer than 250"
        (10, Decimal("40000000"), False),  # £40m exactly is not "under £40m"
        (None, Decimal("1000"), None),  # no evidence: unknown, not assumed
        (10, None, None),
    ],
)
def test_sme_flag_follows_the_definition(employees, turnover, expected):
    organisation = Organisation(kind=OrganisationKind.COMPANY, employees=employees, turnover=turnover)
    assert organisation.is_sme is expected


def test_a_public_body_is_never_an_sme():
    assert Organisation(kind=OrganisationKind.PUBLIC_BODY, employees=5, turnover=Decimal(1)).is_sme is False


@pytest.mark.django_db
def test_sme_queryset_agrees_with_the_flag():
    from tests.factories import OrganisationFactory

    small = OrganisationFactory(employees=249, turnover=Decimal("39999999"))
    OrganisationFactory(employees=250, turnover=Decimal("100"))
    OrganisationFactory(employees=None, turnover=None)
    assert list(Organisation.objects.smes()) == [small]

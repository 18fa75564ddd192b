"""Charter status rules: draft → signed → in force → superseded/expired, dates within the term, 2–4 parties."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from charters import services
from charters.models import Charter, CharterStatus
from coordination.models import AgencyKind, AuditEvent, Term
from tests.charters.factories import make_charter, term_2021
from tests.factories import AgencyFactory


@pytest.mark.smoke
def test_charter_goes_from_draft_to_signed_to_in_force(draft_charter, clerk):
    assert draft_charter.status == CharterStatus.DRAFT
    services.charter_sign(actor=clerk, charter=draft_charter, signed_on=date(2023, 2, 7))
    assert Charter.objects.get(pk=draft_charter.pk).status == CharterStatus.SIGNED
    services.charter_bring_into_force(actor=clerk, charter=draft_charter)
    charter = Charter.objects.get(pk=draft_charter.pk)
    assert charter.status == CharterStatus.IN_FORCE
    assert charter.effective_from == date(2023, 2, 7)
    actions = list(AuditEvent.objects.filter(object_id=str(charter.pk)).values_list("action", flat=True))
    assert {"create", "sign", "bring_into_force"} <= set(actions)


def test_a_draft_cannot_be_brought_into_force_directly(draft_charter, clerk):
    with pytest.raises(ValidationError, match="Only a signed charter"):
        services.charter_bring_into_force(actor=clerk, charter=draft_charter)
    assert Charter.objects.get(pk=draft_charter.pk).status == CharterStatus.DRAFT


def test_a_signed_charter_cannot_be_signed_again(agencies, clerk):
    charter = make_charter(agencies, status=CharterStatus.SIGNED)
    with pytest.raises(ValidationError, match="Only a draft charter can be signed"):
        services.charter_sign(actor=clerk, charter=charter)


def test_only_a_charter_in_force_can_expire(draft_charter, in_force_charter, clerk):
    with pytest.raises(ValidationError, match="Only a charter in force"):
        services.charter_expire(actor=clerk, charter=draft_charter)
    services.charter_expire(actor=clerk, charter=in_force_charter, expired_on=date(2026, 6, 30))
    assert Charter.objects.get(pk=in_force_charter.pk).status == CharterStatus.EXPIRED


def test_signing_needs_a_date(agencies, clerk):
    charter = make_charter(agencies, signed_on=None)
    with pytest.raises(ValidationError, match="signing date"):
        services.charter_sign(actor=clerk, charter=charter)


def test_a_new_charter_in_force_supersedes_the_previous_one_of_the_same_parties(agencies, clerk):
    old_term = Term.objects.get(name="2016–2021")
    old = make_charter(
        agencies, number="35/QCPH", term=old_term, signed_on=date(2017, 7, 1), status=CharterStatus.IN_FORCE
    )
    other_parties = make_charter(
        agencies, number="01/QCPH-HĐND-ĐĐBQH", kinds=("hdnd", "dbqh"), status=CharterStatus.IN_FORCE
    )
    new = make_charter(agencies, number="02/QCPH-HĐND-UBND-UBMTTQ", signed_on=date(2021, 10, 19))
    services.charter_sign(actor=clerk, charter=new)
    services.charter_bring_into_force(actor=clerk, charter=new)
    assert Charter.objects.get(pk=old.pk).status == CharterStatus.SUPERSEDED
    assert Charter.objects.get(pk=new.pk).supersedes_id == old.pk
    # A charter between other agencies stays in force.
    assert Charter.objects.get(pk=other_parties.pk).status == CharterStatus.IN_FORCE


def test_dates_must_fall_within_the_term(agencies):
    with pytest.raises(ValidationError) as error:
        make_charter(agencies, signed_on=date(2020, 1, 1), term=term_2021())
    assert "signed_on" in error.value.message_dict


def test_effective_date_cannot_precede_signing(agencies, clerk):
    with pytest.raises(ValidationError) as error:
        services.charter_create(
            actor=clerk,
            unit=agencies.hdnd.unit,
            number="01/QCPH-HĐND-UBND",
            title="Quy chế",
            term=term_2021(),
            signed_on=date(2023, 2, 7),
            effective_from=date(2023, 2, 1),
            parties=[{"agency": agencies.hdnd}, {"agency": agencies.ubnd}],
        )
    assert "effective_from" in error.value.message_dict


@pytest.mark.parametrize("kinds", [("hdnd",), ("hdnd", "ubnd", "mttq", "dbqh", "department")])
def test_a_charter_has_two_to_four_parties(agencies, kinds):
    with pytest.raises(ValidationError, match="2 to 4 agencies"):
        make_charter(agencies, kinds=kinds)


def test_parties_must_belong_to_the_same_unit(agencies, other_agency, clerk):
    with pytest.raises(ValidationError, match="same unit"):
        services.charter_create(
            actor=clerk,
            unit=agencies.hdnd.unit,
            number="01/QCPH-HĐND-UBND",
            title="Quy chế",
            term=term_2021(),
            parties=[{"agency": agencies.hdnd}, {"agency": other_agency}],
        )


def test_a_department_cannot_sign_a_charter(agencies):
    with pytest.raises(ValidationError, match="cannot sign"):
        make_charter(agencies, kinds=("hdnd", "department"))


def test_the_same_token_creates_one_charter(agencies):
    first = make_charter(agencies, token="abc123")
    second = make_charter(agencies, token="abc123")
    assert first.pk == second.pk
    assert Charter.objects.count() == 1


def test_editing_with_a_stale_version_is_a_conflict(draft_charter, clerk, agencies):
    arguments = {
        "actor": clerk,
        "charter": draft_charter,
        "number": draft_charter.number,
        "title": "Tiêu đề mới",
        "term": draft_charter.term,
        "signed_on": draft_charter.signed_on,
        "parties": [{"agency": agencies.hdnd}, {"agency": agencies.ubnd}],
    }
    services.charter_update(version=draft_charter.version, **arguments)
    with pytest.raises(services.ConflictError):
        services.charter_update(version=draft_charter.version - 1, **arguments)


def test_a_signed_charter_is_not_edited(agencies, clerk):
    charter = make_charter(agencies, status=CharterStatus.SIGNED)
    with pytest.raises(ValidationError, match="Only a draft"):
        services.charter_update(
            actor=clerk,
            charter=charter,
            version=charter.version,
            number=charter.number,
            title=charter.title,
            term=charter.term,
            parties=[{"agency": agencies.hdnd}, {"agency": agencies.ubnd}],
        )


def test_search_text_is_folded(draft_charter):
    assert "hdnd" in draft_charter.search_text
    assert "da nang" in draft_charter.search_text


def test_commune_agencies_can_sign_without_a_delegation(site_admin):
    from tests.factories import CommuneFactory

    commune = CommuneFactory()
    hdnd = AgencyFactory(unit=commune, kind=AgencyKind.HDND)
    ubnd = AgencyFactory(unit=commune, kind=AgencyKind.UBND)
    charter = services.charter_create(
        actor=site_admin,
        unit=commune,
        number="01/QCPH-HĐND-UBND",
        title="Quy chế",
        term=term_2021(),
        parties=[{"agency": hdnd}, {"agency": ubnd}],
    )
    assert charter.party_links.count() == 2

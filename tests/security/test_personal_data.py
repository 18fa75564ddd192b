"""Voters' personal data (name, address, phone) reach only the agencies handling the petition.

The voters app tests the list, the detail page and the CSV export (tests/voters/test_permissions.py,
test_import_export.py); this adds the Excel export, the action pages, search, and the site administrator.
"""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

PERSONAL = ("Nguyễn Văn An", "12 Lê Duẩn", "0905123456")


def xlsx_text(response):
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return "\n".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None)


def body(response):
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode("utf-8-sig")


def test_excel_export_hides_personal_data_from_agencies_not_handling_the_petition(world, actors, client):
    client.force_login(actors["agency_clerk"])
    text = xlsx_text(client.get(reverse("voters:export", args=["xlsx"])))

    assert world.received.content in text
    for value in PERSONAL:
        assert value not in text


@pytest.mark.parametrize("actor", ["owner_clerk", "leader", "admin"])
def test_excel_export_shows_personal_data_to_the_receiving_office_and_admins(actor, world, actors, client):
    client.force_login(actors[actor])
    text = xlsx_text(client.get(reverse("voters:export", args=["xlsx"])))

    for value in PERSONAL:
        assert value in text


def test_the_lead_agency_sees_personal_data_only_of_petitions_sent_to_it(world, client, agencies):
    from tests.voters.factories import PetitionFactory

    PetitionFactory(originating_agency=agencies.mttq, voter_name="Hoàng Thị Mai", voter_phone="0912000111")
    client.force_login(world.department_clerk)
    text = xlsx_text(client.get(reverse("voters:export", args=["xlsx"])))

    assert "Nguyễn Văn An" in text  # forwarded to the department
    assert "Hoàng Thị Mai" not in text and "0912000111" not in text


def test_an_evaluating_agency_that_did_not_handle_the_petition_does_not_see_the_voter(world, mttq_clerk, client):
    client.force_login(mttq_clerk)
    pk = world.answered.pk
    for url in (reverse("voters:evaluate", args=[pk]), reverse("voters:detail", args=[pk])):
        response = client.get(url)
        assert response.status_code == 200
        text = body(response)
        for value in PERSONAL:
            assert value not in text, (url, value)


def test_searching_by_a_voters_phone_or_name_finds_nothing(world, actors, client):
    client.force_login(actors["agency_clerk"])
    content_words = " ".join(world.received.content.split()[:4])
    assert world.received.reference in body(client.get(reverse("voters:list"), {"q": content_words}))
    for query in ("0905123456", "Nguyễn Văn An", "12 Lê Duẩn"):
        text = body(client.get(reverse("voters:list"), {"q": query}))
        assert world.received.reference not in text, query

"""Duplicates caught at batch intake: a row repeating another row, or a petition the unit already has, is
flagged (accents ignored) and nothing is saved until the clerk confirms."""

import uuid

import pytest

from coordination.text import fold, trigram_similarity
from voters.models import Petition

from .factories import PetitionFactory

pytestmark = pytest.mark.django_db


def _data(rows, **extra):
    data = {
        "batch-batch_key": str(uuid.uuid4()),
        "batch-source": "meeting",
        "batch-received_on": "20/11/2026",
        "batch-meeting": "",
        "rows-TOTAL_FORMS": str(len(rows)),
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "1",
        "rows-MAX_NUM_FORMS": "300",
        **extra,
    }
    for index, content in enumerate(rows):
        data.update(
            {f"rows-{index}-content": content, f"rows-{index}-field": "other", f"rows-{index}-kind": "petition"}
        )
    return data


ROWS = [
    "Cử tri đề nghị nâng cấp tuyến đường kiệt 45 Lê Duẩn bị ngập khi mưa lớn",
    "Cử tri đề nghị xây thêm phòng học cho trường tiểu học Hòa Minh",
    "cu tri de nghi nang cap tuyen duong kiet 45 Le Duan bi ngap khi mua lon",  # row 1 typed without accents
]


def test_python_similarity_matches_pg_trgm_on_a_known_pair():
    # SELECT similarity('word', 'two words') = 0.36363637 in PostgreSQL.
    assert round(trigram_similarity("word", "two words"), 4) == 0.3636
    assert trigram_similarity(ROWS[0], ROWS[2]) == 1.0


def test_a_row_repeating_another_row_is_flagged_and_nothing_saved(clerk, login):
    client = login(clerk)
    response = client.post("/petitions/batch/", _data(ROWS))
    assert response.status_code == 200
    assert response.context["duplicate_count"] == 1
    flagged = [form.duplicates for form in response.context["formset"].forms]
    assert flagged[0] is None and flagged[1] is None
    assert flagged[2]["repeats"] == [0]
    body = response.content.decode()
    assert "table-warning" in body and 'name="confirm_duplicates"' in body
    assert not Petition.objects.exists()


def test_a_row_like_an_existing_petition_of_the_unit_is_flagged(clerk, login, agencies):
    existing = PetitionFactory(originating_agency=agencies.hdnd, content=ROWS[1])
    client = login(clerk)
    response = client.post("/petitions/batch/", _data([fold(ROWS[1]).upper()]))
    assert response.status_code == 200
    [(petition, score)] = response.context["formset"].forms[0].duplicates["existing"]
    assert petition == existing and score >= 0.5
    assert existing.reference in response.content.decode()
    assert Petition.objects.count() == 1


def test_confirming_saves_every_row(clerk, login):
    client = login(clerk)
    response = client.post("/petitions/batch/", _data(ROWS, confirm_duplicates="1"))
    assert response.status_code == 302
    assert Petition.objects.count() == 3


def test_distinct_rows_are_saved_at_once(clerk, login):
    client = login(clerk)
    assert client.post("/petitions/batch/", _data(ROWS[:2])).status_code == 302
    assert Petition.objects.count() == 2


def test_a_batch_sent_twice_is_not_flagged_against_its_own_rows(clerk, login):
    client = login(clerk)
    data = _data(ROWS[:2])
    assert client.post("/petitions/batch/", data).status_code == 302
    assert client.post("/petitions/batch/", data).status_code == 302  # a double click: same rows, nothing new
    assert Petition.objects.count() == 2

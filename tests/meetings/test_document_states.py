"""A session document's states: the `SessionDocumentQuerySet` conditions and `with_state` agree with the
Python twin `SessionDocument.state_on` on the boundary dates."""

from datetime import date, timedelta

import pytest

from meetings.models import DocumentState, SessionDocument, SessionDocumentQuerySet

from .factories import SessionDocumentFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)
DAY = timedelta(days=1)


@pytest.mark.parametrize("today", [TODAY - DAY, TODAY, TODAY + DAY])
def test_document_states_and_their_twin_agree(today):
    meeting = SessionDocumentFactory(due_date=TODAY).meeting
    for offset in (-1, 0, 1):
        due = TODAY + offset * DAY
        for delivered in (None, due - DAY, due, due + DAY):
            SessionDocumentFactory(meeting=meeting, due_date=due, delivered_on=delivered)
    documents = list(SessionDocument.objects.all())
    db_state = dict(SessionDocument.objects.with_state(today).values_list("pk", "db_state"))
    assert db_state == {document.pk: str(document.state_on(today)) for document in documents}
    conditions = {
        DocumentState.ON_TIME: SessionDocumentQuerySet.q_on_time(),
        DocumentState.LATE: SessionDocumentQuerySet.q_late(),
        DocumentState.OVERDUE: SessionDocumentQuerySet.q_overdue(today),
    }
    for state, condition in conditions.items():
        in_db = set(SessionDocument.objects.filter(condition).values_list("pk", flat=True))
        assert in_db == {document.pk for document in documents if document.state_on(today) == state}
    behind = set(SessionDocument.objects.filter(SessionDocumentQuerySet.q_behind(today)).values_list("pk", flat=True))
    assert behind == {d.pk for d in documents if d.state_on(today) in (DocumentState.LATE, DocumentState.OVERDUE)}

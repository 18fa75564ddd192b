"""Fixtures of the charter tests: reference data loaded, a draft and an in-force charter of the test unit."""

import pytest

from charters.models import CharterStatus
from tests.charters.factories import make_charter


@pytest.fixture(autouse=True)
def _reference(reference_data):
    """Terms, areas and deadline rules exist in every charter test."""


@pytest.fixture
def draft_charter(agencies):
    return make_charter(agencies)


@pytest.fixture
def in_force_charter(agencies):
    return make_charter(agencies, status=CharterStatus.IN_FORCE)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _english_messages():
    """Service messages are asserted in English (msgids); pages still render in the user's language."""
    from django.utils import translation

    with translation.override("en"):
        yield

"""The site answers: login page in Vietnamese, health check."""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def test_login_page_is_vietnamese(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert 'lang="vi"' in response.content.decode()


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"

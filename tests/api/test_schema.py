"""The OpenAPI schema validates, and the docs page works under the site's content security policy."""

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

ENDPOINTS = ("units", "agencies", "charters", "meetings", "petitions", "dashboard")


def test_schema_validates_without_warnings(tmp_path):
    """drf-spectacular's own validation against the OpenAPI 3 JSON schema; any warning fails."""
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert schema["openapi"].startswith("3.")
    for name in ENDPOINTS:
        assert f"/api/v1/{name}/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["agencyToken"] == {"type": "http", "scheme": "bearer"}
    petition = schema["components"]["schemas"]["Petition"]
    assert "voter_name" not in petition.get("required", [])
    parameters = {p["name"] for p in schema["paths"]["/api/v1/petitions/"]["get"]["parameters"]}
    assert {"cursor", "page_size", "updated_since"} <= parameters


def test_schema_is_served_to_anyone(client):
    response = client.get(reverse("api:schema"))
    assert response.status_code == 200
    assert "/api/v1/petitions/" in response.content.decode()
    as_json = client.get(reverse("api:schema"), {"format": "json"})
    assert as_json.status_code == 200
    assert "/api/v1/petitions/" in as_json.json()["paths"]


def test_docs_page_loads_redoc_from_this_site_with_a_narrow_csp_exception(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/vendor/redoc/redoc.standalone.js" in html
    assert "googleapis" not in html
    assert "<style" not in html
    policy = response["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "script-src 'self'" in policy and "unsafe-eval" not in policy
    # Every other page keeps the strict policy.
    assert "unsafe-inline" not in client.get(reverse("login"))["Content-Security-Policy"]


def test_the_vendored_redoc_is_the_sidecars_without_its_remote_logo():
    """static/vendor/redoc/ is the pinned drf-spectacular-sidecar's bundle with the logo from cdn.redoc.ly left out
    (scripts/vendor_redoc.py): after an upgrade of the sidecar this fails until the copy is made again."""
    from django.conf import settings

    from scripts.vendor_redoc import LOGO, patched_bundle

    vendored = (settings.BASE_DIR / "static" / "vendor" / "redoc" / "redoc.standalone.js").read_text(encoding="utf-8")
    assert vendored == patched_bundle()
    assert LOGO not in vendored and not vendored.endswith("redoc.standalone.js.map")

"""Translation catalogs: every Vietnamese entry translated, compiled catalogs current, pages in both languages."""

import datetime
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
CATALOGS = sorted(
    path
    for path in ROOT.glob("*/locale/vi/LC_MESSAGES/django.po")
    if not any(part.startswith(".") for part in path.relative_to(ROOT).parts)
)
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]*\}")


def catalog_id(path):
    return str(path.relative_to(ROOT))


def translated_text(entry):
    return entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr


def test_there_are_catalogs():
    assert ROOT / "coordination/locale/vi/LC_MESSAGES/django.po" in CATALOGS


@pytest.mark.parametrize("po_path", CATALOGS, ids=catalog_id)
def test_every_vietnamese_entry_is_translated(po_path):
    po = polib.pofile(str(po_path))
    problems = [
        f"{'fuzzy' if entry.fuzzy else 'empty'}: {entry.msgid!r}"
        for entry in po
        if not entry.obsolete and (entry.fuzzy or not translated_text(entry).strip())
    ]
    assert not problems, f"{catalog_id(po_path)} has untranslated or fuzzy entries:\n" + "\n".join(problems)


@pytest.mark.parametrize("po_path", CATALOGS, ids=catalog_id)
def test_placeholders_survive_translation(po_path):
    po = polib.pofile(str(po_path))
    problems = [
        f"{entry.msgid!r} -> {translated_text(entry)!r}"
        for entry in po.translated_entries()
        if sorted(PLACEHOLDER.findall(entry.msgid)) != sorted(PLACEHOLDER.findall(translated_text(entry)))
    ]
    assert not problems, f"{catalog_id(po_path)}: placeholders differ:\n" + "\n".join(problems)


@pytest.mark.parametrize("po_path", CATALOGS, ids=catalog_id)
def test_compiled_catalog_matches_its_source(po_path):
    # Compare contents rather than file times: a git checkout does not keep modification times.
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{catalog_id(po_path)} is not compiled: run scripts/messages.py <app> --compile"
    compiled = {(entry.msgctxt, entry.msgid): entry for entry in polib.mofile(str(mo_path))}
    stale = []
    for entry in polib.pofile(str(po_path)).translated_entries():
        found = compiled.get((entry.msgctxt, entry.msgid))
        if found is None or translated_text(found) != translated_text(entry):
            stale.append(entry.msgid)
    assert not stale, f"{catalog_id(mo_path)} is older than its .po; recompile. Differs: {stale[:10]}"


@pytest.mark.smoke
@pytest.mark.django_db
def test_login_page_is_vietnamese_by_default_and_english_on_request(client):
    page = client.get(reverse("login")).content.decode()
    assert 'lang="vi"' in page
    assert "Đăng nhập" in page
    assert "Quy chế phối hợp" in page
    assert "Tên đăng nhập" in page

    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302

    page = client.get(reverse("login")).content.decode()
    assert 'lang="en"' in page
    assert "Sign in" in page
    assert "Coordination charters" in page
    assert "Đăng nhập" not in page


def test_dates_render_day_month_year():
    day = datetime.date(2026, 2, 5)
    moment = datetime.datetime(2026, 2, 5, 14, 30, tzinfo=datetime.UTC)
    template = Template(
        '{% load ui %}{{ day }}|{{ day|date:"SHORT_DATE_FORMAT" }}|{{ day|vn_date }}|{{ moment|vn_datetime }}'
    )
    for language in ("vi", "en"):
        with translation.override(language):
            rendered = template.render(Context({"day": day, "moment": moment}))
        assert rendered.split("|")[:3] == ["05/02/2026"] * 3 if language == "vi" else True
        assert rendered.split("|")[1:] == ["05/02/2026", "05/02/2026", "05/02/2026 21:30"]


@pytest.mark.django_db
def test_an_english_browser_still_gets_vietnamese_until_english_is_chosen(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="vi"' in page

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="vi-VN,vi;q=0.9").content.decode()
    assert 'lang="en"' in page

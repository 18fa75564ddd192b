"""Every main page of every app is valid HTML: the W3C Nu checker (vnu.jar, npm package vnu-jar, run by
Java; `make test` installs both) reads the pages the demo accounts see and the test fails on any error."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from charters.models import Charter
from charters.reviews.models import AnnualReview
from coordination.models import User
from coordination.permissions import agency_of
from meetings.models import Meeting
from voters.models import Petition

pytestmark = pytest.mark.django_db

DEFAULT_JAR = Path(__file__).resolve().parents[2] / "var/tools/node_modules/vnu-jar/build/dist/vnu.jar"


def _vnu_jar():
    jar = Path(os.environ.get("VNU_JAR") or DEFAULT_JAR)
    if not jar.is_file() or shutil.which("java") is None:
        # `make test` installs both; a run without them must say so, not pass silently.
        pytest.fail(f"The Nu HTML checker needs java and {jar} (make test installs them: npm vnu-jar, default-jre)")
    return jar


def _pages():
    """(user, url) of the main pages of every app, with objects the demo data has."""
    unit = agency_of(User.objects.get(username="danang.hdnd.clerk")).unit
    petition = Petition.objects.filter(unit=unit, answers__isnull=False).first()
    charter = Charter.objects.filter(unit=unit).order_by("id").first()
    meeting = Meeting.objects.filter(unit=unit, petitions__isnull=False).order_by("-starts_at").first()
    review = AnnualReview.objects.filter(charter__unit=unit).order_by("id").first()
    clerk, leader = "danang.hdnd.clerk", "danang.hdnd.leader"
    pages = [
        (clerk, reverse("home")),
        (leader, reverse("dashboard")),
        (clerk, reverse("notifications")),
        (clerk, reverse("profile")),
        (clerk, reverse("charters:list")),
        (clerk, reverse("charters:tasks")),
        (clerk, reverse("charters:review_list")),
        (clerk, reverse("meetings:list")),
        (clerk, reverse("meetings:calendar")),
        (clerk, reverse("meetings:create")),
        (clerk, reverse("voters:list")),
        (clerk, reverse("voters:create")),
        (clerk, reverse("voters:batch_intake")),
        (clerk, reverse("voters:import")),
    ]
    assert charter and meeting and review and petition, "the demo data has one of each for the HĐND clerk"
    if charter:
        pages.append((clerk, reverse("charters:detail", args=[charter.pk])))
    if meeting:
        pages.append((clerk, reverse("meetings:detail", args=[meeting.pk])))
    if review:
        pages.append((clerk, reverse("charters:review_detail", args=[review.pk])))
    if petition:
        pages.append((clerk, reverse("voters:detail", args=[petition.pk])))
    # A charter with witnesses, a signing conference and areas of its own, and the page recording them.
    witnessed = Charter.objects.filter(witnesses__isnull=False).distinct().first()
    if witnessed:
        pages.append(("thanhhoa.hdnd.clerk", reverse("charters:detail", args=[witnessed.pk])))
        pages.append(("thanhhoa.hdnd.clerk", reverse("charters:record", args=[witnessed.pk])))
    return pages


def test_main_pages_are_valid_html(client, tmp_path, settings):
    jar = _vnu_jar()
    call_command("seed_demo", verbosity=0)
    files = {}
    signed_in = None
    for username, url in _pages():
        if username != signed_in:
            client.logout()
            client.force_login(User.objects.get(username=username))
            signed_in = username
        response = client.get(url)
        assert response.status_code == 200, url
        path = tmp_path / f"page{len(files):02d}.html"
        path.write_bytes(response.content)
        files[str(path)] = url
    # A form with its errors shown (the error summary, invalid fields) is a page too.
    response = client.post(reverse("voters:create"), {"content": "", "received_on": "31/02/2026"})
    assert response.status_code == 200
    path = tmp_path / "petition_form_errors.html"
    path.write_bytes(response.content)
    files[str(path)] = "POST " + reverse("voters:create")

    result = subprocess.run(
        ["java", "-jar", str(jar), "--format", "json", "--errors-only", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    errors = [
        f"{files.get(item.get('url', '').removeprefix('file:'), item.get('url'))}:{item.get('lastLine')}: "
        f"{item.get('message')} [{(item.get('extract') or '').strip()[:120]}]"
        for item in messages
        if item.get("type") == "error"
    ]
    assert not errors, "HTML errors:\n" + "\n".join(errors)

"""HTML is written by templates or by format_html/format_html_join (which escape every value), never by
f-strings or concatenation marked safe: no module of the project calls mark_safe or builds a SafeString."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("coordination", "charters", "meetings", "voters", "bench")
FORBIDDEN = re.compile(r"\bmark_safe\b|\bSafeString\(|\bSafeText\(")


def test_no_module_marks_hand_built_html_safe():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if FORBIDDEN.search(line)
    ]
    assert offenders == []

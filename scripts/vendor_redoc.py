"""Copy Redoc's bundle from drf-spectacular-sidecar into static/vendor/redoc/ without its remote logo:
`python scripts/vendor_redoc.py`. Run it after upgrading drf-spectacular-sidecar (tests/api/test_docs_page.py
fails until then).

The bundle draws Redocly's logo from https://cdn.redoc.ly in the docs' sidebar; the site's Content-Security-Policy
(images from this origin only) blocks it and the browser logs a violation on every visit. Rather than allow that
origin on the docs page, the element is left out (the "API docs by Redocly" link stays); the source map, which
would no longer match, is not referenced."""

import sys
from pathlib import Path

import drf_spectacular_sidecar

ROOT = Path(__file__).resolve().parent.parent
SIDECAR = Path(drf_spectacular_sidecar.__file__).parent / "static" / "drf_spectacular_sidecar" / "redoc" / "bundles"
TARGET = ROOT / "static" / "vendor" / "redoc"
LOGO = "n.createElement(pw,null),"  # the <img src="https://cdn.redoc.ly/redoc/logo-mini.svg"> in the sidebar
SOURCE_MAP = "\n//# sourceMappingURL=redoc.standalone.js.map"


def patched_bundle():
    """The sidecar's redoc.standalone.js without the remote logo and the source map reference."""
    bundle = (SIDECAR / "redoc.standalone.js").read_text(encoding="utf-8")
    if bundle.count(LOGO) != 1:
        raise SystemExit(f"the logo element {LOGO!r} is not in this Redoc bundle once: look at it again")
    return bundle.replace(LOGO, "").removesuffix(SOURCE_MAP)


def main():
    TARGET.mkdir(parents=True, exist_ok=True)
    (TARGET / "redoc.standalone.js").write_text(patched_bundle(), encoding="utf-8")
    (TARGET / "LICENSE.txt").write_text(
        (SIDECAR / "redoc.standalone.js.LICENSE.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    sys.exit(main())

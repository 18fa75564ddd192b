"""HTML → PDF with WeasyPrint, fetching only the project's own static files (fonts, stylesheets).

The document's base URL is a private origin; `ASSET_BASE` URLs resolve under it and the fetcher maps
them to files found by the staticfiles finders (or STATIC_ROOT). Anything else — http(s), file://,
data:, paths outside the static tree — is refused, so a template or user text can never make the
renderer read the disk or the network.
"""

import io
import mimetypes
import posixpath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

BASE_URL = "https://report.invalid/"
STATIC_PREFIX = "/static/"
# Templates write asset URLs as `{{ asset_base }}fonts/…` so they do not depend on STATIC_URL (a CDN in production).
ASSET_BASE = BASE_URL + "static/"


class StaticOnlyURLFetcher:
    """A WeasyPrint URL fetcher that serves local static files only."""

    def __new__(cls):
        from weasyprint.urls import URLFetcher, URLFetcherResponse

        class _Fetcher(URLFetcher):
            def fetch(self, url, headers=None):
                path = static_path_for(url)
                with open(path, "rb") as handle:
                    body = handle.read()
                content_type = mimetypes.guess_type(str(path))[0] or "application/octet-stream"
                return URLFetcherResponse(url, body, {"Content-Type": content_type})

        return _Fetcher(fail_on_errors=False)


class RefusedURL(ValueError):
    """The renderer asked for something that is not a local static file."""


def static_path_for(url):
    """The local file behind a static URL under the document's base, or RefusedURL."""
    parts = urlsplit(url)
    origin = urlsplit(BASE_URL)
    if parts.scheme != origin.scheme or parts.netloc != origin.netloc or parts.query:
        raise RefusedURL(f"Only local static files may be fetched, not {url!r}")
    path = unquote(parts.path)
    if not path.startswith(STATIC_PREFIX):
        raise RefusedURL(f"Only local static files may be fetched, not {url!r}")
    relative = path[len(STATIC_PREFIX) :]
    normalized = posixpath.normpath(relative)
    if normalized != relative or normalized.startswith(("..", "/")) or "\\" in relative or "\x00" in relative:
        raise RefusedURL(f"Refused static path {relative!r}")
    found = finders.find(normalized)
    if not found and settings.STATIC_ROOT:
        from pathlib import Path

        candidate = Path(settings.STATIC_ROOT) / normalized
        found = str(candidate) if candidate.is_file() else None
    if not found:
        raise RefusedURL(f"No such static file: {relative!r}")
    return found


def render_document(html):
    """The laid-out WeasyPrint document (pages, anchors) for an HTML string whose assets are `ASSET_BASE` URLs."""
    from weasyprint import HTML

    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyURLFetcher()).render()


def render_pdf(html):
    """(PDF bytes, page count) for an HTML document whose assets are `ASSET_BASE` URLs."""
    document = render_document(html)
    return document.write_pdf(), len(document.pages)


def pdf_concatenate(parts, *, title=""):
    """One PDF from several rendered parts (bytes), in order.

    Long documents are rendered in parts so that memory stays bounded by the size of one part:
    WeasyPrint keeps the whole layout of a document in memory until it is written."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    if title:
        writer.add_metadata({"/Title": title})
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def html_to_pdf(html):
    """PDF bytes for an HTML document (see `render_pdf`)."""
    return render_pdf(html)[0]

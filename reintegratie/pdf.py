"""The one place that renders PDFs: a template to HTML, the HTML to PDF with WeasyPrint.

WeasyPrint may read only the project's static files (CSS, logos): no network and no other
paths, so nothing a user typed into a text can make the renderer fetch anything.
"""

import functools
import io
import mimetypes
from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string

STATIC_PREFIX = "/" + settings.STATIC_URL.lstrip("/")
BASIS_URL = "https://pdf.invalid/"


@functools.cache
def _fetcher():
    """One fetcher for the process (WeasyPrint is imported on first use only)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class AlleenStatischeBestanden(URLFetcher):
        def fetch(self, url, headers=None):
            pad = urlparse(url).path
            try:
                bestand = (
                    finders.find(pad.removeprefix(STATIC_PREFIX))
                    if url.startswith(BASIS_URL) and pad.startswith(STATIC_PREFIX)
                    else None
                )
            except SuspiciousFileOperation:  # ../ out of the static folders
                bestand = None
            if not bestand:
                raise ValueError(f"Niet toegestaan in een PDF: {url}")
            soort = mimetypes.guess_type(bestand)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, Path(bestand).read_bytes(), headers={"Content-Type": soort}
            )

    return AlleenStatischeBestanden()


def render_to_pdf(template: str, context: dict) -> tuple[str, bytes]:
    """Render ``template`` with ``context``; return the HTML and the PDF made from it."""
    from weasyprint import HTML  # heavy import, only where PDFs are made

    html = render_to_string(template, context)
    pdf = HTML(string=html, base_url=BASIS_URL, url_fetcher=_fetcher()).write_pdf()
    return html, pdf


def samenvoegen(pdfs) -> bytes:
    """One PDF from several, page after page; each is rendered and dropped before the next,
    so a batch of fifty needs no more memory than the PDFs themselves."""
    from pypdf import PdfWriter

    schrijver = PdfWriter()
    for pdf in pdfs:
        schrijver.append(io.BytesIO(pdf))
    uit = io.BytesIO()
    schrijver.write(uit)
    return uit.getvalue()

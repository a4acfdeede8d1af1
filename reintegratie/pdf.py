"""The one place that renders PDFs: a template to HTML, the HTML to PDF with WeasyPrint.

WeasyPrint may read only the project's static files (CSS, logos): no network and no other
paths, so nothing a user typed into a text can make the renderer fetch anything.

WeasyPrint keeps about 0.2 MB per document that it never gives back, even for the same HTML
again (bench/README.md). One document at a time does not matter; a batch of hundreds would
grow the process for good. A batch runs in a task worker
(``reintegratie.afdrukken.taken``), never in a web request, and that worker lives for many
batches: so it turns the batch into PDF by worker processes of its own that live as long as
the batch and are replaced every ``DOCUMENTEN_PER_WERKER`` documents. The task worker
renders the templates (with their queries); the PDF workers run WeasyPrint and merge the
documents into one. They are forked from a fork server that has Django and WeasyPrint loaded already
(``reintegratie.pdf_werker``), so a worker is ready in a tenth of a second instead of the
three seconds those imports take. As with any multiprocessing, a script that prints a batch
needs the ``if __name__ == "__main__":`` guard.
"""

import functools
import itertools
import mimetypes
import multiprocessing
import os
import tempfile
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from urllib.parse import unquote, urlparse

import django
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string

STATIC_PREFIX = "/" + settings.STATIC_URL.lstrip("/")
BASIS_URL = "https://pdf.invalid/"

# Nearly all of a batch's time is WeasyPrint, one core per worker: two halve it.
WERKERS = 2
# A worker grows by ~10 MB over fifty documents; its successor is forked in ~0.1 s.
DOCUMENTEN_PER_WERKER = 50
# Templates rendered ahead of the workers, enough to keep them busy, not the whole batch.
VOORUIT = 2 * WERKERS
# A document takes well under a second, ten on a machine under load: far past that, a
# worker hangs, and the batch fails instead of waiting for ever.
SECONDEN_PER_DOCUMENT = 300


class PdfFout(Exception):
    """A batch could not be turned into PDF; the message says which document."""


def _statisch_bestand(naam: str) -> str | None:
    """The file of the static file ``naam`` (as ``{% static %}`` names it), or None.

    In production the templates name the collected files, hashed by the manifest storage
    (``pdf/document.1a2b3c.css``), which only STATIC_ROOT holds; in development they name
    the source files, which the finders find. STATIC_ROOT is read only with a manifest
    storage: without one, a folder left by an old collectstatic would go stale.
    """
    if isinstance(staticfiles_storage, ManifestFilesMixin):
        bestand = staticfiles_storage.path(naam)  # SuspiciousFileOperation outside it
        if os.path.isfile(bestand):
            return bestand
    bestand = finders.find(naam)
    return bestand if bestand and os.path.isfile(bestand) else None


@functools.cache
def _fetcher():
    """One fetcher for the process (WeasyPrint is imported on first use only)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class AlleenStatischeBestanden(URLFetcher):
        def fetch(self, url, headers=None):
            pad = unquote(urlparse(url).path)
            try:
                bestand = (
                    _statisch_bestand(pad.removeprefix(STATIC_PREFIX))
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


def _html_naar_pdf(html: str) -> bytes:
    from weasyprint import HTML  # heavy import, only where PDFs are made

    return HTML(string=html, base_url=BASIS_URL, url_fetcher=_fetcher()).write_pdf()


def render_to_pdf(template: str, context: dict) -> tuple[str, bytes]:
    """Render ``template`` with ``context``; return the HTML and the PDF made from it."""
    html = render_to_string(template, context)
    return html, _html_naar_pdf(html)


def _werkers(aantal: int = WERKERS) -> ProcessPoolExecutor:
    """Worker processes for part of a batch (``WERKERS`` x ``DOCUMENTEN_PER_WERKER``
    documents, about that many each); they end with it, so nothing waits idle in memory.

    Not ``max_tasks_per_child``: in the Python versions we run on (3.13.0 here) the pool can
    stop replacing a worker that reached it, and the batch then waits for ever (CPython
    gh-115634, fixed in later releases). A pool per part does the same without it.
    """
    # Not a fork of this process: that would share its database connections and the locks its
    # other threads hold. The fork server is a fresh interpreter, started on the first batch
    # and kept; the workers need Django for the settings and the static files finder only.
    context = multiprocessing.get_context("forkserver")
    # "__main__" as multiprocessing does by default: the entry script (manage.py, gunicorn,
    # pytest) is imported once in the fork server instead of again in every worker.
    context.set_forkserver_preload(["__main__", "reintegratie.pdf_werker"])
    return ProcessPoolExecutor(
        max_workers=aantal,
        mp_context=context,
        # Done by the preload already; here in case the fork server was started without it
        # (a preload that fails to import is skipped).
        initializer=django.setup,
    )


def _html_naar_bestand(html: str, bestand: str) -> str:
    Path(bestand).write_bytes(_html_naar_pdf(html))
    return bestand


def render_batch(
    documenten: Iterable[tuple[str, dict]], voortgang: Callable[[int], None] | None = None
) -> bytes:
    """One PDF of ``documenten``, (template, context) pairs, page after page in their order.

    The templates are rendered here while the workers turn the ones before into PDF files in
    a private temporary folder, removed at the end; a worker of its own then merges them.
    Merging holds every page in memory (pypdf: ~140 MB for 500 plans), so this process only
    ever holds a few HTML documents and the merged PDF. ``voortgang(n)`` is called when the
    first ``n`` documents are made. Raises PdfFout when a document fails, a worker dies or a
    document takes longer than ``SECONDEN_PER_DOCUMENT``.
    """
    documenten = iter(documenten)
    with tempfile.TemporaryDirectory(prefix="batch-") as map_:
        klaar = []
        while True:
            with _werkers() as werkers:
                deel = itertools.islice(documenten, WERKERS * DOCUMENTEN_PER_WERKER)
                eerder = len(klaar)
                for bestand in _bestanden(werkers, deel, len(klaar) + 1, map_):
                    klaar.append(bestand)
                    if voortgang is not None:
                        voortgang(len(klaar))
            if len(klaar) == eerder:
                break
        uit = os.path.join(map_, "batch.pdf")
        with _werkers(1) as samenvoeger:
            try:
                samenvoeger.submit(_samenvoegen, klaar, uit).result(
                    timeout=SECONDEN_PER_DOCUMENT * max(len(klaar), 1)
                )
            except Exception as fout:
                raise PdfFout("Het samenvoegen tot één PDF-bestand is mislukt.") from fout
        return Path(uit).read_bytes()


def _bestanden(werkers, documenten, eerste: int, map_: str):
    """The PDF file of each document, in order, numbered from ``eerste``."""
    wachtrij = deque()
    try:
        for nummer, (template, context) in enumerate(documenten, start=eerste):
            html = render_to_string(template, context)
            bestand = os.path.join(map_, f"{nummer:06d}.pdf")
            try:
                toekomst = werkers.submit(_html_naar_bestand, html, bestand)
            # A worker died, or the fork server could not start (EOF on its socket).
            except (BrokenProcessPool, EOFError, OSError) as fout:
                raise PdfFout(_GESTOPT.format(nummer=nummer)) from fout
            wachtrij.append((nummer, toekomst))
            if len(wachtrij) > VOORUIT:
                yield _uitkomst(*wachtrij.popleft())
        while wachtrij:
            yield _uitkomst(*wachtrij.popleft())
    finally:
        for _, toekomst in wachtrij:  # after an error: the rest is not needed
            toekomst.cancel()


_GESTOPT = "Het PDF-proces is gestopt bij document {nummer}; probeer het opnieuw."


def _uitkomst(nummer, toekomst):
    try:
        return toekomst.result(timeout=SECONDEN_PER_DOCUMENT)
    except TimeoutError as fout:
        raise PdfFout(f"Document {nummer} duurde te lang; probeer het opnieuw.") from fout
    except BrokenProcessPool as fout:
        raise PdfFout(_GESTOPT.format(nummer=nummer)) from fout
    except Exception as fout:
        raise PdfFout(f"Document {nummer} kon niet als PDF worden gemaakt.") from fout


def _samenvoegen(bestanden: list[str], uit: str) -> None:
    """One PDF file from several, page after page (in a worker)."""
    from pypdf import PdfWriter

    schrijver = PdfWriter()
    for bestand in bestanden:
        schrijver.append(bestand)
    with open(uit, "wb") as doel:
        schrijver.write(doel)

"""Manager reports as data: sections of a table and a chart, exported to CSV, XLSX and PDF.

A report page, its CSV, its Excel file and its PDF are made from the same ``Onderdeel``
objects, so every export carries exactly the numbers on the screen.
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.http import HttpResponse
from django.utils import timezone

from .grafiek import Grafiek
from .pdf import render_to_pdf

FORMATEN = ("csv", "xlsx", "pdf")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Tabel:
    kolommen: list[str]
    rijen: list[list]
    voet: list | None = None  # a totals row
    # Per column the kind of number, for the ``tabelcel`` filter ("aantal", "uren", "getal",
    # "procent", "bedrag"; "" for text); None: derived by ``soorten``.
    kolomsoorten: list[str] | None = None

    @cached_property
    def getalkolommen(self):
        """Per column whether it holds numbers (right-aligned, heading included)."""
        return [
            any(isinstance(rij[i], int | float | Decimal) for rij in self.rijen)
            for i in range(len(self.kolommen))
        ]

    @cached_property
    def soorten(self):
        """Per column one kind of number, so that every cell of a column reads alike on the
        page and in the PDF ("1.146,25" beside "1.050", not "1.146,0"): the unit in the
        heading ("(euro)", "(%)", "(uren)"), else "aantal" for whole numbers only, else
        "getal". "" for a text column. CSV and XLSX keep the raw numbers."""
        if self.kolomsoorten is not None:
            return self.kolomsoorten
        return [
            _soort(kolom, i, self) if getal else ""
            for i, (kolom, getal) in enumerate(zip(self.kolommen, self.getalkolommen, strict=True))
        ]

    @property
    def koppen(self):
        """The headings as (heading, kind of the column) pairs; the kind is "" for text."""
        return list(zip(self.kolommen, self.soorten, strict=True))

    @property
    def cellen(self):
        """The rows as (value, kind of the column) pairs, for the templates."""
        return [list(zip(rij, self.soorten, strict=True)) for rij in self.rijen]

    @property
    def voetcellen(self):
        return list(zip(self.voet, self.soorten, strict=True)) if self.voet else []


def _soort(kolom: str, i: int, tabel: Tabel) -> str:
    kop = kolom.lower()
    if "(euro)" in kop or "€" in kop:
        return "bedrag"
    if "(%)" in kop:
        return "procent"
    if "(uren)" in kop or "(uur)" in kop:
        return "uren"
    waarden = [rij[i] for rij in [*tabel.rijen, tabel.voet or []] if len(rij) > i]
    getallen = [w for w in waarden if isinstance(w, int | float | Decimal)]
    if all(
        isinstance(w, int) or (isinstance(w, Decimal) and w == w.to_integral_value())
        for w in getallen
    ):
        return "aantal"
    return "getal"


@dataclass
class Onderdeel:
    sleutel: str
    titel: str
    tabel: Tabel
    toelichting: str = ""
    grafiek: Grafiek | None = None
    kerncijfers: list[tuple[str, str]] = field(default_factory=list)


def _regels(onderdeel: Onderdeel):
    """The lines of a section for a spreadsheet: key figures, then the table."""
    for naam, waarde in onderdeel.kerncijfers:
        yield [naam, waarde]
    if onderdeel.kerncijfers:
        yield []
    yield onderdeel.tabel.kolommen
    yield from onderdeel.tabel.rijen
    if onderdeel.tabel.voet:
        yield onderdeel.tabel.voet


FORMULETEKENS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheetcel(waarde):
    """Text that a spreadsheet would run as a formula (a name typed as "=HYPERLINK(...)")
    gets a leading apostrophe, so it stays text (CSV/formula injection)."""
    if isinstance(waarde, str) and waarde.startswith(FORMULETEKENS):
        return "'" + waarde
    return waarde


def _csv_cel(waarde):
    """Decimals with a comma, as Dutch Excel reads them; empty for "no value"."""
    if waarde is None:
        return ""
    if isinstance(waarde, float | Decimal):
        return str(waarde).replace(".", ",")
    return spreadsheetcel(waarde)


def _csv(titel, kop, onderdelen) -> bytes:
    uit = io.StringIO()
    schrijver = csv.writer(uit, delimiter=";")
    schrijver.writerow([spreadsheetcel(titel)])
    schrijver.writerows([spreadsheetcel(regel)] for regel in kop)
    for onderdeel in onderdelen:
        schrijver.writerow([])
        schrijver.writerow([spreadsheetcel(onderdeel.titel)])
        schrijver.writerows([_csv_cel(w) for w in regel] for regel in _regels(onderdeel))
    # Excel opens a semicolon CSV with a BOM as UTF-8, the way Dutch users double-click it.
    return ("\ufeff" + uit.getvalue()).encode()


def _xlsx(titel, kop, onderdelen) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    boek = Workbook()
    boek.remove(boek.active)
    for nummer, onderdeel in enumerate(onderdelen, start=1):
        # Sheet names: at most 31 characters, unique, none of []:*?/\
        naam = "".join(c for c in onderdeel.titel if c not in "[]:*?/\\")[:27]
        blad = boek.create_sheet(f"{nummer} {naam}")
        voorwerk = [[titel], *([r] for r in kop), [onderdeel.titel], [""]]
        kern = len(onderdeel.kerncijfers) + 1 if onderdeel.kerncijfers else 0
        for regel in [*voorwerk, *_regels(onderdeel)]:
            blad.append(list(regel) or [None])  # an empty line is still a row
        for cel in (c for rij in blad.iter_rows() for c in rij):
            if isinstance(cel.value, str) and cel.value.startswith(FORMULETEKENS):
                # Excel's own way to keep it text: a string cell with a quote prefix.
                cel.data_type, cel.quotePrefix = "s", True
        for cel in blad[len(voorwerk) + kern + 1]:
            cel.font = Font(bold=True)
        blad.column_dimensions["A"].width = 40
    uit = io.BytesIO()
    boek.save(uit)
    return uit.getvalue()


def querystring_zonder(request, *sleutels) -> str:
    """The report's filters from the URL, without the parameters of one link (``formaat``,
    ``cel``, ``pagina``): the links on the page add their own."""
    params = request.GET.copy()
    for sleutel in sleutels:
        params.pop(sleutel, None)
    return params.urlencode()


def export(*, formaat: str, naam: str, titel: str, kop: list[str], onderdelen, organisatie):
    """The report as a download in ``formaat`` (one of FORMATEN); ``organisatie`` heads the PDF."""
    if formaat == "csv":
        response = HttpResponse(
            _csv(titel, kop, onderdelen), content_type="text/csv; charset=utf-8"
        )
    elif formaat == "xlsx":
        response = HttpResponse(_xlsx(titel, kop, onderdelen), content_type=XLSX)
    else:
        _, pdf = render_to_pdf(
            "pdf/rapport.html",
            {
                "titel": titel,
                "kop": kop,
                "onderdelen": onderdelen,
                "afgedrukt_op": timezone.localtime(),
                "organisatie": organisatie,
            },
        )
        response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{naam}.{formaat}"'
    return response

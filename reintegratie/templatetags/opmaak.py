"""Template filters for the way Dutch users read numbers and dates in this domain.

One format per kind of value, and one filter for each, so that a column never shows
"1.146,0" beside "1.050" and a page never shows "08-12-2026" beside "8 december 2026":

========================  ===============================  =========================
kind                      filter                           example
========================  ===============================  =========================
hours                     ``uren``                         1.146,25 · 1.050 · 7,5
count                     ``aantal``                       1.050
percentage                ``procent``                      45% · 45,5%
money                     ``bedrag``                       € 1.250,50
other number              ``getal`` (``getal:1``)          83,33 · 3,5
a report table's cell     ``tabelcel:soort``               by the column's kind
date in running text      ``datum_lang``                   8 december 2026
date in tables and lists  ``datum``                        8-12-2026
date with time            ``datum_tijd``                   8-12-2026 14:05
time of day               ``tijd``                         14:05
day label on an axis      ``datum_kort``                   8-12
========================  ===============================  =========================

Numbers: decimal comma, a dot between thousands, no trailing zeros (except money, always
two decimals). Missing numbers (None) read "–"; missing dates read "" so that
``|default:"nu"`` still works. Machine formats (``|date:'Y-m-d'`` in ``datetime=``,
``value=`` and URLs, ``|date:'W'`` week numbers, weekday labels) stay ``|date``;
tests/test_opmaak.py fails on any other ``|date:`` or on ``floatformat`` in a template.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.template.defaultfilters import date as _date
from django.utils import timezone

register = template.Library()

LEEG = "–"  # an en dash: no value

DATUM = "j-n-Y"
DATUM_LANG = "j F Y"
DATUM_TIJD = "j-n-Y H:i"
TIJD = "H:i"
DATUM_KORT = "j-n"

_NL = str.maketrans(",.", ".,")  # 1,146.25 -> 1.146,25


def _decimal(waarde) -> Decimal | None:
    if waarde is None or waarde == "" or isinstance(waarde, bool):
        return None
    if isinstance(waarde, Decimal):
        return waarde
    try:
        # str() first: Decimal(0.1) would carry the float's binary tail.
        return Decimal(str(waarde))
    except (InvalidOperation, ValueError):
        return None


def getaltekst(waarde, decimalen: int = 2, *, vast: bool = False) -> str:
    """A number as a Dutch reader writes it: at most ``decimalen`` decimals (rounded half
    up), decimal comma, a dot between thousands; trailing zeros dropped unless ``vast``.
    None -> "–"; text that is not a number comes back as it is."""
    getal = _decimal(waarde)
    if getal is None:
        return LEEG if waarde is None or waarde == "" else str(waarde)
    if not getal.is_finite():
        return str(waarde)
    getal = getal.quantize(Decimal(1).scaleb(-decimalen), rounding=ROUND_HALF_UP)
    if getal == 0:
        getal = abs(getal)  # no "-0"
    tekst = f"{getal:,.{decimalen}f}"
    if decimalen and not vast:
        tekst = tekst.rstrip("0").rstrip(".")
    return tekst.translate(_NL)


@register.filter
def uren(waarde):
    """Hours (quarter hours): 7.50 -> "7,5", 1146.25 -> "1.146,25", 1050 -> "1.050";
    None -> "–". Like trajecten.models.uren_tekst, with a dot between thousands (uren_tekst
    also fills form fields, which must stay parseable, so it has none)."""
    return getaltekst(waarde, 2)


@register.filter
def aantal(waarde):
    """A count: 1050 -> "1.050"; None -> "–"."""
    return getaltekst(waarde, 0)


@register.filter
def procent(waarde, teken=True):
    """A percentage, whole or one decimal as the data needs: 45 -> "45%", 45.5 -> "45,5%",
    50.0 -> "50%"; None -> "–". ``procent:False`` leaves the sign off (a column whose
    heading says "(%)")."""
    tekst = getaltekst(waarde, 1)
    return tekst if tekst == LEEG or not teken or _decimal(waarde) is None else f"{tekst}%"


@register.filter
def bedrag(waarde, teken=True):
    """Money, always two decimals: 1250.5 -> "€ 1.250,50"; None -> "–". ``bedrag:False``
    leaves the euro sign off (a column whose heading says "(euro)")."""
    tekst = getaltekst(waarde, 2, vast=True)
    return tekst if tekst == LEEG or not teken or _decimal(waarde) is None else f"€ {tekst}"


@register.filter
def getal(waarde, decimalen=2):
    """Any other number: at most ``decimalen`` decimals (default 2), no trailing zeros:
    83.333 -> "83,33", ``getal:1`` 3.0 -> "3"; None -> "–"."""
    return getaltekst(waarde, int(decimalen))


TABELSOORTEN = {
    "aantal": aantal,
    "uren": uren,
    "getal": getal,
    "procent": lambda w: procent(w, teken=False),
    "bedrag": lambda w: bedrag(w, teken=False),
}


@register.filter(expects_localtime=True)
def tabelcel(waarde, soort=""):
    """A cell of a report table (reintegratie.rapport.Tabel) by its column's kind: the
    unit stands in the heading, so "procent" and "bedrag" leave their sign off. A text
    column keeps its text; a date in it reads as ``datum``; None -> "–"."""
    if waarde is None:
        return LEEG
    if soort in TABELSOORTEN and _decimal(waarde) is not None:
        return TABELSOORTEN[soort](waarde)
    if isinstance(waarde, datetime.date):
        return datum_tijd(waarde) if isinstance(waarde, datetime.datetime) else datum(waarde)
    return waarde


def _cijfers(waarde, opmaak: str, tekst) -> str:
    """``waarde`` as Django's ``date`` filter writes it in ``opmaak``, for the formats made
    of digits only: ``tekst`` writes the same with plain string formatting. The filter parses
    the format and builds a formatter on every call, ten times the cost, and a list page
    formats hundreds of dates. Anything ``tekst`` cannot take goes to the filter itself."""
    try:
        return tekst(waarde)
    except AttributeError:
        return _date(waarde, opmaak)


def _dag(d) -> str:
    return f"{d.day}-{d.month}-{d.year:04d}"


def _tijd(d) -> str:
    if not isinstance(d, datetime.datetime | datetime.time):
        raise AttributeError  # a date has no time of day: the filter's answer (empty)
    return f"{d.hour:02d}:{d.minute:02d}"


@register.filter(expects_localtime=True)
def datum(waarde):
    """A date in a table or list: "8-12-2026"; None -> ""."""
    return _cijfers(waarde, DATUM, _dag)


@register.filter(expects_localtime=True)
def datum_lang(waarde):
    """A date in running text: "8 december 2026"; None -> ""."""
    return _date(waarde, DATUM_LANG)


@register.filter(expects_localtime=True)
def datum_tijd(waarde):
    """A moment: "8-12-2026 14:05" (local time); None -> ""."""
    return _cijfers(waarde, DATUM_TIJD, lambda d: f"{_dag(d)} {_tijd(d)}")


@register.filter(expects_localtime=True)
def tijd(waarde):
    """A time of day: "14:05" (local time); None -> ""."""
    return _cijfers(waarde, TIJD, _tijd)


@register.filter(expects_localtime=True)
def datum_kort(waarde):
    """Day and month, for the week columns and chart axes where the year is given around
    them: "8-12"; None -> ""."""
    return _cijfers(waarde, DATUM_KORT, lambda d: f"{d.day}-{d.month}")


@register.filter
def get_item(mapping, sleutel):
    """``{{ dict|get_item:key }}``: a value by a key held in a variable."""
    return mapping.get(sleutel)


@register.filter
def verlopen(datum) -> bool:
    """Whether a date to act on has passed: an overdue next action must not look planned."""
    return datum is not None and datum < timezone.localdate()

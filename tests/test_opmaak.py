"""One format per kind of number and date, through one filter each (reintegratie.templatetags
.opmaak), and a scan that keeps templates from bringing a second format back."""

import datetime as dt
import pathlib
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.template import Context, Template
from django.template.defaultfilters import date
from django.urls import reverse

from reintegratie import grafiek
from reintegratie.accounts.models import Rol
from reintegratie.rapport import Tabel
from reintegratie.templatetags import opmaak
from trajecten.models import uren_tekst


@pytest.mark.parametrize(
    ("waarde", "tekst"),
    [
        (None, "–"),
        (0, "0"),
        (Decimal("0.00"), "0"),
        (7.5, "7,5"),
        (Decimal("7.50"), "7,5"),
        (Decimal("3.25"), "3,25"),
        (100, "100"),
        (1000, "1.000"),
        (1050, "1.050"),
        (Decimal("1050.00"), "1.050"),
        (1146.25, "1.146,25"),
        (Decimal("1146.25"), "1.146,25"),
        (Decimal("1146.0"), "1.146"),
        (Decimal("14.4"), "14,4"),  # planned hours need not be quarters
        (Decimal("1234567.5"), "1.234.567,5"),
    ],
)
def test_uren(waarde, tekst):
    assert opmaak.uren(waarde) == tekst


@pytest.mark.parametrize("waarde", [Decimal("7.50"), Decimal("3.25"), Decimal(100), Decimal(24)])
def test_uren_zoals_uren_tekst_onder_duizend(waarde):
    """Messages use uren_tekst; below a thousand they read the same as the filter."""
    assert opmaak.uren(waarde) == uren_tekst(waarde)


@pytest.mark.parametrize(
    ("waarde", "tekst"),
    [
        (None, "–"),
        (0, "0"),
        (7, "7"),
        (1000, "1.000"),
        (1050, "1.050"),
        (Decimal(1050), "1.050"),
        (Decimal("1146.25"), "1.146"),
        (1146.25, "1.146"),
        (1234567, "1.234.567"),
    ],
)
def test_aantal(waarde, tekst):
    assert opmaak.aantal(waarde) == tekst


@pytest.mark.parametrize(
    ("waarde", "tekst"),
    [
        (None, "–"),
        (0, "0%"),
        (45, "45%"),
        (45.5, "45,5%"),
        (Decimal("45.5"), "45,5%"),
        (Decimal("50.0"), "50%"),
        (Decimal("66.67"), "66,7%"),
        (1000, "1.000%"),
        (1146.25, "1.146,3%"),
    ],
)
def test_procent(waarde, tekst):
    assert opmaak.procent(waarde) == tekst


def test_procent_zonder_teken():
    assert opmaak.procent(Decimal("45.5"), False) == "45,5"
    assert opmaak.procent(None, False) == "–"


@pytest.mark.parametrize(
    ("waarde", "tekst"),
    [
        (None, "–"),
        (0, "€ 0,00"),
        (1000, "€ 1.000,00"),
        (1146.25, "€ 1.146,25"),
        (Decimal("1250.5"), "€ 1.250,50"),
        (Decimal("12345.67"), "€ 12.345,67"),
        (Decimal("0.005"), "€ 0,01"),  # half up, not to even
        (-12, "€ -12,00"),
    ],
)
def test_bedrag(waarde, tekst):
    assert opmaak.bedrag(waarde) == tekst


def test_bedrag_zonder_teken():
    assert opmaak.bedrag(Decimal("1250.5"), False) == "1.250,50"


@pytest.mark.parametrize(
    ("waarde", "decimalen", "tekst"),
    [
        (None, 2, "–"),
        (0, 2, "0"),
        (1000, 2, "1.000"),
        (1146.25, 2, "1.146,25"),
        (Decimal("83.333"), 2, "83,33"),
        (Decimal("3.0"), 1, "3"),
        (Decimal("3.46"), 1, "3,5"),
        (Decimal("-0.001"), 2, "0"),  # no "-0"
        ("geen getal", 2, "geen getal"),
    ],
)
def test_getal(waarde, decimalen, tekst):
    assert opmaak.getal(waarde, decimalen) == tekst


def test_grafiek_schrijft_getallen_als_de_tabel():
    assert grafiek.getal(1050) == "1.050"
    assert grafiek.getal(Decimal("1146.25")) == "1.146,25"
    assert grafiek.getal(Decimal("66.7")) == "66,7"
    assert grafiek.getal(None) == "–"


DAG = dt.date(2026, 12, 8)
MOMENT = dt.datetime(2026, 12, 8, 13, 5, tzinfo=dt.UTC)  # 14:05 in Amsterdam


@pytest.mark.parametrize(
    ("filter", "tekst"),
    [
        ("datum", "8-12-2026"),
        ("datum_lang", "8 december 2026"),
        ("datum_kort", "8-12"),
    ],
)
def test_datums(filter, tekst):
    assert getattr(opmaak, filter)(DAG) == tekst
    assert getattr(opmaak, filter)(None) == ""


def test_datum_eencijferig_zonder_voorloopnul():
    assert opmaak.datum(dt.date(2025, 3, 4)) == "4-3-2025"
    assert opmaak.datum_lang(dt.date(2025, 3, 4)) == "4 maart 2025"


@pytest.mark.parametrize(
    ("filter", "opmaak_"),
    [
        ("datum", opmaak.DATUM),
        ("datum_tijd", opmaak.DATUM_TIJD),
        ("tijd", opmaak.TIJD),
        ("datum_kort", opmaak.DATUM_KORT),
    ],
)
@pytest.mark.parametrize(
    "waarde",
    [
        DAG,
        dt.datetime(2025, 3, 4, 7, 3),
        dt.datetime(33, 2, 1, 0, 0),
        dt.time(9, 5),
        dt.date(7, 1, 31),
        None,
        "",
        "2026-12-08",
        5,
    ],
)
def test_datumfilters_schrijven_wat_het_date_filter_schrijft(filter, opmaak_, waarde):
    """The numeric date formats skip Django's ``date`` filter, for speed; they must write
    the same, and fail the same way."""

    def uitkomst(functie, *args):
        try:
            return functie(*args)
        except (TypeError, ValueError) as fout:
            return type(fout)

    assert uitkomst(getattr(opmaak, filter), waarde) == uitkomst(date, waarde, opmaak_)


def test_datum_tijd_in_een_template_in_de_plaatselijke_tijd():
    inhoud = Template(
        "{{ m|datum_tijd }}|{{ m|tijd }}|{{ m|datum }}|{{ leeg|datum|default:'nu' }}"
    ).render(Context({"m": MOMENT, "leeg": None}))
    assert inhoud == "8-12-2026 14:05|14:05|8-12-2026|nu"


def test_filters_in_een_template():
    inhoud = Template(
        "{{ u|uren }}|{{ a|aantal }}|{{ p|procent }}|{{ b|bedrag }}|{{ g|getal:1 }}|{{ n|uren }}"
    ).render(
        Context(
            {
                "u": Decimal("1146.25"),
                "a": 1050,
                "p": Decimal("45.5"),
                "b": Decimal("1250.5"),
                "g": 3.0,
                "n": None,
            }
        )
    )
    assert inhoud == "1.146,25|1.050|45,5%|€ 1.250,50|3|–"


def test_tabel_een_opmaak_per_kolom():
    """The case of the report: "1.146,0" beside "1.050" in one column."""
    tabel = Tabel(
        ["Week", "Uren", "Deelnemers", "Aandeel (%)", "Kosten (euro)"],
        [
            ["8-12-2026", Decimal("1146.0"), 1050, Decimal("50.0"), Decimal("1250.5")],
            ["1-12-2026", Decimal("7.50"), 3, Decimal("45.5"), 800],
            ["24-11-2026", 1050, 0, None, None],
        ],
        voet=["Totaal", Decimal("2203.5"), 1053, None, Decimal("2050.5")],
    )
    assert tabel.soorten == ["", "getal", "aantal", "procent", "bedrag"]
    inhoud = Template(
        "{% for rij in tabel.cellen %}{% for cel, soort in rij %}{{ cel|tabelcel:soort }};"
        "{% endfor %}\n{% endfor %}{% for cel, soort in tabel.voetcellen %}"
        "{{ cel|tabelcel:soort }};{% endfor %}"
    ).render(Context({"tabel": tabel}))
    assert inhoud.splitlines() == [
        "8-12-2026;1.146;1.050;50;1.250,50;",
        "1-12-2026;7,5;3;45,5;800,00;",
        "24-11-2026;1.050;0;–;–;",
        "Totaal;2.203,5;1.053;–;2.050,50;",
    ]


def test_tabelcel_datum_en_tekst():
    assert opmaak.tabelcel(DAG) == "8-12-2026"
    assert opmaak.tabelcel("Route Werk") == "Route Werk"
    assert opmaak.tabelcel(None, "aantal") == "–"


ZERO_PADDED = re.compile(r"(?<![\d-])(?:0\d-\d{1,2}|\d{1,2}-0\d)-\d{4}(?!\d)")


def test_dossier_een_datumvorm(client, wereld):
    """No "04-03-2025" on the dossier, and the trajectory's dates in the table format."""
    begin = dt.date(2025, 3, 4)  # one-digit day and month: a leading zero would show
    wereld.traject.fasen.update(startdatum=begin)
    type(wereld.traject).objects.filter(pk=wereld.traject.pk).update(
        startdatum=begin, aanmelddatum=begin - dt.timedelta(days=7)
    )
    type(wereld.plaatsing).objects.filter(pk=wereld.plaatsing.pk).update(startdatum=begin)
    client.force_login(wereld.gebruikers[Rol.KLANTMANAGER])

    inhoud = client.get(reverse("deelnemers:dossier", args=[wereld.deelnemer.pk])).content
    inhoud = inhoud.decode()

    assert not ZERO_PADDED.findall(inhoud)
    assert "04-03-2025" not in inhoud
    assert "4-3-2025 – nu" in inhoud  # the phase and the placement, in their tables
    assert "vanaf 4 maart 2025" in inhoud  # the trajectory, in running text


# Formats that are not for reading: machine attributes (datetime=, value=, ?week=), week
# numbers, and weekday labels ("l", "D", "l j F", ...).
MACHINE = {"Y-m-d", "c", "W", "Ymd"}
WEEKDAG = re.compile(r"[lD](\s.*)?")
TOEGESTAAN: set[tuple[str, str]] = set()
DATUMFORMAAT = re.compile(r"""\|\s*(date|time)\s*:\s*(["'])(.*?)\2""")
VERBODEN = re.compile(r"\bfloatformat\b|\bintcomma\b|\|\s*(date|time)\s*(?=[|}\s])")


def _templates():
    (map_,) = (pathlib.Path(d) for d in settings.TEMPLATES[0]["DIRS"])
    return map_, sorted(p for p in map_.rglob("*") if p.is_file())


def test_templates_kennen_een_opmaak_per_soort():
    """A template formats a date or a number through the filters of opmaak, so that a new
    template cannot bring back a second format."""
    map_, paden = _templates()
    assert paden
    fouten = []
    for pad in paden:
        naam = pad.relative_to(map_).as_posix()
        tekst = pad.read_text(encoding="utf-8")
        for soort, _, formaat in DATUMFORMAAT.findall(tekst):
            machine = soort == "date" and (formaat in MACHINE or WEEKDAG.fullmatch(formaat))
            if not machine and (naam, formaat) not in TOEGESTAAN:
                fouten.append(f"{naam}: |{soort}:{formaat!r}")
        fouten += [f"{naam}: {m.group(0)}" for m in VERBODEN.finditer(tekst)]
    assert not fouten, (
        "Use datum / datum_lang / datum_tijd / tijd / datum_kort and uren / aantal / procent /"
        " bedrag / getal from reintegratie/templatetags/opmaak.py:\n" + "\n".join(fouten)
    )


def test_scan_vindt_een_tweede_formaat():
    """The scan itself: it would catch what it is meant to."""
    tekst = '{{ d|date:"d-m-Y" }} {{ x|floatformat:2 }} {{ d|date:"Y-m-d" }} {{ d|date:"l" }}'
    formaten = [f for _, _, f in DATUMFORMAAT.findall(tekst)]
    assert [f for f in formaten if f not in MACHINE and not WEEKDAG.fullmatch(f)] == ["d-m-Y"]
    assert VERBODEN.search(tekst)


# A primary key printed bare comes out grouped, "100.123", in Dutch: an element id, an htmx
# target, a checkbox value or a query parameter is then wrong. ``{% url %}`` does not group.
SLEUTEL_ZONDER_UNLOCALIZE = re.compile(r"\{\{\s*[\w.]*(?:\.pk|\.id|(?<!auto)_id)\s*\}\}")


def test_templates_drukken_sleutels_ongegroepeerd_af():
    map_, paden = _templates()
    fouten = [
        f"{pad.relative_to(map_).as_posix()}: {m.group(0)}"
        for pad in paden
        for m in SLEUTEL_ZONDER_UNLOCALIZE.finditer(pad.read_text(encoding="utf-8"))
    ]
    assert not fouten, "Print a key as {{ x.pk|unlocalize }}:\n" + "\n".join(fouten)


def test_sleutel_in_een_template_ongegroepeerd():
    """What the scan asks for works: the key stays one number, and a count is still grouped."""
    tekst = Template("{{ pk|unlocalize }} {{ pk }}").render(Context({"pk": 100123}))
    assert tekst == "100123 100.123"
    assert SLEUTEL_ZONDER_UNLOCALIZE.search('id="taak-{{ taak.pk }}"')
    assert not SLEUTEL_ZONDER_UNLOCALIZE.search('id="taak-{{ taak.pk|unlocalize }}"')


def test_keuzelijst_schrijft_dezelfde_select_als_django():
    """The fast select (a whole organisation's staff on the dossier) is Django's select as
    HTML: the same attributes, options, escaping and choice (whitespace and the order of
    attributes aside)."""
    from django import forms
    from django.test.html import parse_html
    from django.utils.safestring import mark_safe

    from reintegratie.forms import Keuzelijst

    keuzes = [
        ("", "Mijzelf"),
        ("1", "Jan <b>"),
        ("2", 'O\'Brien "de" Vries'),
        ("3", mark_safe("<i>al veilig</i>")),
        ("100123", "Piet & Co"),
    ]

    def select(widget):
        class F(forms.Form):
            a = forms.ChoiceField(choices=keuzes, widget=widget, required=True)

        return str(F(initial={"a": "100123"})["a"])

    attrs = {"class": "utrecht-select", "aria-describedby": "x"}
    assert parse_html(select(Keuzelijst(attrs=attrs))) == parse_html(select(forms.Select(attrs)))
    assert '<option value="100123" selected>Piet &amp; Co</option>' in select(Keuzelijst())
    assert "O&#x27;Brien &quot;de&quot; Vries" in select(Keuzelijst())

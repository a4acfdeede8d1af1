"""Charts as SVG drawn on the server, for pages and PDFs alike.

No JavaScript and nothing from a CDN: the geometry is computed here, the markup is a
template. Every chart stands next to a table with the same numbers (for screen readers, and
for whoever wants the exact values); the chart itself carries a title that says what it shows.
Colours are Okabe-Ito (distinguishable for colour-blind readers and in grey print), and
every bar carries its value as text.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.text import slugify

from .templatetags.opmaak import getaltekst

# Okabe-Ito, then Paul Tol's muted set for charts with more parts (eleven doelgroepen).
KLEUREN = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
    "#882255", "#999933", "#44AA99", "#DDCC77", "#AA4499", "#117733",
]  # fmt: skip
TEKST = "#1a1a1a"
RASTER = "#c8c8c8"
STREEF = "#D55E00"


def _luminantie(kleur: str) -> float:
    def kanaal(c):
        c = int(kleur[c : c + 2], 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * kanaal(1) + 0.7152 * kanaal(3) + 0.0722 * kanaal(5)


def tekstkleur(achtergrond: str) -> str:
    """White or near-black text on ``achtergrond``, whichever contrasts more (WCAG)."""
    licht = _luminantie(achtergrond)
    wit = 1.05 / (licht + 0.05)
    donker = (licht + 0.05) / (_luminantie(TEKST) + 0.05)
    return "#ffffff" if wit >= donker else TEKST


def getal(waarde) -> str:
    """A number on a chart as in the table beside it (the ``getal`` filter): 12, 7,5,
    83,3, 1.146,25."""
    return getaltekst(waarde, 2)


@dataclass
class Staaf:
    label: str
    waarde: float | int | Decimal | None
    tekst: str = ""
    voorlopig: bool = False  # drawn hatched: a month whose cohort is still running


@dataclass
class Grafiek:
    """What every chart has: an id for aria-labelledby, a title, and its markup."""

    sleutel: str
    titel: str
    svg: str = field(default="", repr=False)

    def __str__(self):
        return self.svg

    def __html__(self):
        return self.svg


def _schaal(maximum) -> tuple[float, list[float]]:
    """A round top for the axis and the grid lines under it."""
    maximum = float(maximum or 0)
    if maximum <= 0:
        return 1.0, [0.0, 1.0]
    stap = 10 ** (len(str(int(maximum))) - 1)
    for factor in (1, 2, 5, 10):
        if maximum / (stap * factor) <= 5:
            stap *= factor
            break
    top = stap * -(-maximum // stap)
    return top, [i * stap for i in range(int(top / stap) + 1)]


def staven(
    sleutel: str,
    titel: str,
    staven: list[Staaf],
    *,
    maximum=None,
    eenheid: str = "",
    breedte: int = 640,
) -> Grafiek:
    """Horizontal bars, one per category (phases, werksoorten, trajecttypes)."""
    labelbreedte, rechts, rij, boven = 230, 56, 22, 6
    hoogte = boven + rij * len(staven) + 22
    top, rasters = _schaal(
        maximum if maximum is not None else max((s.waarde or 0 for s in staven), default=0)
    )
    ruimte = breedte - labelbreedte - rechts

    def x(waarde):
        return round(labelbreedte + float(waarde or 0) / top * ruimte, 1)

    balken = [
        {
            "y": boven + i * rij + 3,
            "tekst_y": boven + i * rij + 15,
            "breedte": round(x(s.waarde) - labelbreedte, 1),
            "eind": x(s.waarde),
            "label": s.label,
            "tekst": s.tekst or f"{getal(s.waarde)}{eenheid}",
            "kleur": KLEUREN[0],
        }
        for i, s in enumerate(staven)
    ]
    lijnen = [
        {"x": x(r), "tekst": f"{getal(int(r) if r == int(r) else r)}{eenheid}"} for r in rasters
    ]
    svg = render_to_string(
        "grafiek/staven.svg",
        {
            "id": f"grafiek-{slugify(sleutel)}",
            "titel": titel,
            "breedte": breedte,
            "hoogte": hoogte,
            "links": labelbreedte,
            "onder": boven + rij * len(staven),
            "balken": balken,
            "rasters": lijnen,
            "kleuren": {"tekst": TEKST, "raster": RASTER},
        },
    )
    return Grafiek(sleutel, titel, svg)


def kolommen(
    sleutel: str,
    titel: str,
    staven: list[Staaf],
    *,
    streefwaarde=None,
    streef_label: str = "",
    maximum=None,
    eenheid: str = "",
    breedte: int = 640,
    hoogte: int = 200,
) -> Grafiek:
    """Vertical columns over time (weeks, months), with an optional target line."""
    links, rechts, boven, onder = 44, 8, 12, 30
    hoogste = max([float(s.waarde or 0) for s in staven] + [float(streefwaarde or 0)], default=0)
    top, rasters = _schaal(maximum if maximum is not None else hoogste)
    n = max(len(staven), 1)
    vak = (breedte - links - rechts) / n
    kolom = max(min(vak * 0.7, 40), 2)
    basis = hoogte - onder

    def y(waarde):
        return round(basis - float(waarde or 0) / top * (basis - boven), 1)

    # Labels under every column when they fit, else under every k-th.
    elke = max(1, -(-n * 46 // int(breedte - links - rechts)))
    balken = []
    for i, s in enumerate(staven):
        midden = links + vak * i + vak / 2
        balken.append(
            {
                "x": round(midden - kolom / 2, 1),
                "midden": round(midden, 1),
                "y": y(s.waarde),
                "hoogte": round(basis - y(s.waarde), 1),
                "breedte": round(kolom, 1),
                "label": s.label if i % elke == 0 else "",
                "tekst": s.tekst or f"{getal(s.waarde)}{eenheid}",
                "toon_tekst": n <= 16 and s.waarde is not None,
                "voorlopig": s.voorlopig,
            }
        )
    svg = render_to_string(
        "grafiek/kolommen.svg",
        {
            "id": f"grafiek-{slugify(sleutel)}",
            "titel": titel,
            "breedte": breedte,
            "hoogte": hoogte
            + (16 if streefwaarde is not None or any(s.voorlopig for s in staven) else 0),
            "links": links,
            "rechts": breedte - rechts,
            "basis": basis,
            "balken": balken,
            "rasters": [
                {"y": y(r), "tekst": f"{getal(int(r) if r == int(r) else r)}{eenheid}"}
                for r in rasters
            ],
            "streef": {"y": y(streefwaarde), "label": streef_label}
            if streefwaarde is not None
            else None,
            "voorlopig": any(s.voorlopig for s in staven),
            "legenda_y": hoogte + 6,
            "kleuren": {"tekst": TEKST, "raster": RASTER, "balk": KLEUREN[0], "streef": STREEF},
        },
    )
    return Grafiek(sleutel, titel, svg)


def gestapeld(
    sleutel: str,
    titel: str,
    rijen: list[tuple[str, list[int]]],
    delen: list[str],
    *,
    breedte: int = 640,
) -> Grafiek:
    """Horizontal bars of 100%, split into parts (the doelgroep mix per location)."""
    labelbreedte, rechts, rij, boven = 170, 8, 24, 6
    ruimte = breedte - labelbreedte - rechts
    balken = []
    for i, (label, waarden) in enumerate(rijen):
        totaal = sum(waarden) or 1
        x = float(labelbreedte)
        stukken = []
        for j, waarde in enumerate(waarden):
            w = waarde / totaal * ruimte
            aandeel = round(100 * waarde / totaal)
            stukken.append(
                {
                    "x": round(x, 1),
                    "breedte": round(w, 1),
                    "kleur": KLEUREN[j % len(KLEUREN)],
                    "tekst": f"{aandeel}%" if w >= 30 else "",
                    "tekst_x": round(x + w / 2, 1),
                    "tekstkleur": tekstkleur(KLEUREN[j % len(KLEUREN)]),
                }
            )
            x += w
        balken.append(
            {
                "label": label,
                "y": boven + i * rij + 3,
                "tekst_y": boven + i * rij + 16,
                "stukken": stukken,
            }
        )
    legenda_y = boven + rij * len(rijen) + 10
    per_regel = 2
    legenda = [
        {
            "x": 8 + (j % per_regel) * (breedte // per_regel),
            "y": legenda_y + (j // per_regel) * 16,
            "kleur": KLEUREN[j % len(KLEUREN)],
            "label": deel,
        }
        for j, deel in enumerate(delen)
    ]
    svg = render_to_string(
        "grafiek/gestapeld.svg",
        {
            "id": f"grafiek-{slugify(sleutel)}",
            "titel": titel,
            "breedte": breedte,
            "hoogte": legenda_y + 16 * -(-len(delen) // per_regel) + 4,
            "balken": balken,
            "legenda": legenda,
            "links": labelbreedte,
            "kleuren": {"tekst": TEKST},
        },
    )
    return Grafiek(sleutel, titel, svg)

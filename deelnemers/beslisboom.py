"""The beslisboom of Ferm Werk's universal intake: from the answers to a route.

The rules are Ferm Werk's for Route Werk (its rule 6): young people always take
the route to work; medical complaints first get advice; a statushouder with an
inburgeringsplicht takes the route inburgering; who is (not yet) able to work goes to
participatie; everyone else takes route werk.
"""

from trajecten.models import AfstandTotArbeidsmarkt, Route, RouteTrajecttype, Trajecttype

JONGERE_TOT = 27

VRAGEN = [
    ("medische_klachten", "Zijn er medische klachten die werken nu in de weg staan?"),
    ("inburgeringsplicht", "Heeft de klant een inburgeringsplicht (statushouder)?"),
    ("recente_werkervaring", "Heeft de klant de afgelopen vijf jaar betaald gewerkt?"),
    ("zelfstandig_reizen", "Kan de klant zelfstandig naar een werkplek reizen?"),
    ("zorg_geregeld", "Zijn kinderopvang en mantelzorg geregeld, of niet nodig?"),
]

# The trajecttype a route starts with, by name, where the organisation configured none
# (RouteTrajecttype); these types ship as data (see the data migration).
TRAJECTTYPE_VOOR_ROUTE = {
    Route.WERK: "Route Werk",
    Route.JONGEREN: "Route Werk",
    Route.MEDISCH: "Route Werk",
    Route.INBURGERING: "Duaal traject",
    Route.PARTICIPATIE: "Arbeidsmatige dagbesteding",
}


def route_voor(*, leeftijd: int, antwoorden: dict, afstand: str) -> Route:
    if leeftijd < JONGERE_TOT:
        return Route.JONGEREN
    if antwoorden.get("medische_klachten"):
        return Route.MEDISCH
    if antwoorden.get("inburgeringsplicht"):
        return Route.INBURGERING
    if afstand == AfstandTotArbeidsmarkt.NIET_BELASTBAAR:
        return Route.PARTICIPATIE
    return Route.WERK


def trajecttype_voor_route(*, organisatie, route) -> Trajecttype | None:
    """The trajecttype the route proposes for ``organisatie``: its own configuration, else
    the default; None when neither exists (the klantmanager then chooses)."""
    keuze = RouteTrajecttype.objects.filter(organisatie=organisatie, route=route).first()
    if keuze is not None:
        return keuze.trajecttype
    return Trajecttype.objects.filter(naam=TRAJECTTYPE_VOOR_ROUTE[route], actief=True).first()

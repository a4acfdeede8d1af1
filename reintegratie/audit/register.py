"""The register of processing activities (AVG art. 30) as it ships.

``post_migrate`` adds an activity that is missing, and leaves one that exists alone: the
privacy officer may have revised its wording or retention in the admin. Each view that
touches participant data declares one of these codes (:func:`reintegratie.audit.verwerking.
verwerking`), and a test fails when a view forgets or names a code not listed here.
"""

from dataclasses import dataclass

PARTICIPATIEWET = "Participatiewet art. 7 lid 1 sub a en art. 10; AVG art. 6 lid 1 sub e"
GEZONDHEID = "Participatiewet art. 7 lid 1 sub a; UAVG art. 30 lid 1 sub a (gezondheid)"


@dataclass(frozen=True)
class Activiteit:
    code: str
    naam: str
    doel: str
    grondslag: str
    categorieen: tuple[str, ...]
    vertrouwelijkheid: str = "vertrouwelijk"
    bewaartermijn_jaren: int = 7


_ALLES = (
    "naam",
    "identiteit",
    "contact",
    "journaal",
    "medisch",
    "justitieel",
    "uren",
    "observaties",
    "plan",
    "leerdoelen",
    "rapportage",
    "instrumenten",
    "financieel",
    "traject",
    "fase",
)

REGISTER = (
    Activiteit(
        "caseload",
        "Caseload en overzichten bijhouden",
        "Zien welke deelnemers begeleiding nodig hebben en wat er moet gebeuren",
        PARTICIPATIEWET,
        ("naam", "traject", "fase"),
    ),
    Activiteit(
        "intake",
        "Intake en toeleiding",
        "Vaststellen welke ondersteuning naar werk een deelnemer nodig heeft",
        GEZONDHEID,
        ("naam", "identiteit", "contact", "medisch", "traject"),
        "zeer_vertrouwelijk",
    ),
    Activiteit(
        "dossier",
        "Dossier inzien en bijhouden",
        "Het re-integratietraject van een deelnemer begeleiden",
        GEZONDHEID,
        _ALLES,
        "zeer_vertrouwelijk",
    ),
    Activiteit(
        "bsn_raadplegen",
        "Burgerservicenummer raadplegen",
        "De deelnemer eenduidig identificeren bij een ketenpartner of instantie",
        "Wet algemene bepalingen burgerservicenummer art. 10; Participatiewet art. 64",
        ("identiteit",),
        "zeer_vertrouwelijk",
    ),
    Activiteit(
        "plan_van_aanpak",
        "Plan van aanpak opstellen",
        "Afspraken over doelen en ondersteuning vastleggen en ondertekenen",
        "Participatiewet art. 44a; AVG art. 6 lid 1 sub e",
        ("naam", "identiteit", "plan", "leerdoelen", "traject", "fase", "medisch"),
    ),
    Activiteit(
        "rapportage",
        "Voortgang rapporteren",
        "De voortgang vastleggen en de verwijzer informeren",
        PARTICIPATIEWET,
        ("naam", "identiteit", "rapportage", "uren", "traject", "fase", "medisch"),
    ),
    Activiteit(
        "urenregistratie",
        "Uren en observaties op de werkvloer",
        "Aanwezigheid, uren tegen het budget en werknemersvaardigheden bijhouden",
        PARTICIPATIEWET,
        ("naam", "uren", "observaties", "leerdoelen", "fase"),
        "normaal",
    ),
    Activiteit(
        "plaatsing",
        "Plaatsen op een werkplek",
        "Een passende werkplek vinden en de plaatsing vastleggen",
        PARTICIPATIEWET,
        ("naam", "traject", "fase"),
        "normaal",
    ),
    Activiteit(
        "besluiten",
        "Besluiten over het traject",
        "Een fase verlengen, beëindigen of het traject afsluiten met uitstroom",
        PARTICIPATIEWET,
        ("naam", "traject", "fase"),
    ),
    Activiteit(
        "contracten",
        "Contracten en nazorg bijhouden",
        "De keten van tijdelijke contracten bewaken (looptijd, carrousel), de uitstroom naar "
        "werk vastleggen en na 6 en 12 maanden nagaan of de deelnemer nog werkt",
        PARTICIPATIEWET,
        ("naam", "traject"),
    ),
    Activiteit(
        "financiering",
        "Financiering verantwoorden",
        "Vastleggen wie een traject en zijn instrumenten betaalt, en de productieve uren van "
        "een deelnemer per jaar verantwoorden aan het ESF",
        PARTICIPATIEWET,
        ("naam", "identiteit", "uren", "financieel", "traject"),
    ),
    Activiteit(
        "instrumenten",
        "Instrumenten inzetten",
        "Scholing, jobcoaching en andere voorzieningen toekennen en verantwoorden",
        PARTICIPATIEWET,
        ("naam", "instrumenten", "financieel", "traject"),
    ),
    Activiteit(
        "partneroverleg",
        "Deelnemers bespreken in een partneroverleg",
        "Met de ketenpartners die bij een deelnemer betrokken zijn de voortgang bespreken "
        "en afspraken maken",
        PARTICIPATIEWET,
        (
            "naam",
            "journaal",
            "uren",
            "observaties",
            "plan",
            "leerdoelen",
            "rapportage",
            "traject",
            "fase",
        ),
    ),
    Activiteit(
        "afdrukken",
        "Documenten afdrukken",
        "Plannen en rapportages op papier laten ondertekenen en versturen",
        PARTICIPATIEWET,
        ("naam", "identiteit", "plan", "leerdoelen", "rapportage", "traject", "fase"),
    ),
    Activiteit(
        "sturing",
        "Sturing en verantwoording",
        "Resultaten, doelstellingen en bezetting volgen en verantwoorden aan de gemeente",
        "Participatiewet art. 7; Gemeentewet art. 212 (verantwoording)",
        ("naam", "traject", "fase"),
        "normaal",
    ),
    Activiteit(
        "kosten",
        "Kosten verantwoorden",
        "De kosten van trajecten en instrumenten per trajecttype, resultaat en financier "
        "volgen en verantwoorden aan de gemeente en de andere financiers",
        "Participatiewet art. 7; Gemeentewet art. 212 (verantwoording)",
        ("naam", "traject", "financieel"),
    ),
    Activiteit(
        "export",
        "Caseload exporteren",
        "Een overzicht van de eigen caseload buiten de applicatie bewerken",
        PARTICIPATIEWET,
        ("naam", "identiteit", "traject", "fase"),
    ),
    Activiteit(
        "taken",
        "Taken bijhouden",
        "Afspreken wie wat voor een deelnemer doet, en wanneer, en dat bewaken",
        GEZONDHEID,
        ("naam", "journaal", "medisch"),
    ),
    Activiteit(
        "caseload_overdragen",
        "Caseload overdragen",
        "De begeleiding van deelnemers met hun open taken overdragen aan een collega",
        PARTICIPATIEWET,
        ("naam", "journaal"),
    ),
    Activiteit(
        "verwerkingenlog",
        "Verwerkingen verantwoorden",
        "Aantonen wie welke gegevens zag of wijzigde, en misbruik opsporen",
        "AVG art. 5 lid 2, art. 30 en art. 32",
        ("naam",),
        bewaartermijn_jaren=10,
    ),
    Activiteit(
        "inzage",
        "Inzageverzoek afhandelen",
        "De deelnemer alle gegevens geven die over hem of haar worden verwerkt",
        "AVG art. 15",
        _ALLES,
        "zeer_vertrouwelijk",
        bewaartermijn_jaren=10,
    ),
    Activiteit(
        "agenda",
        "Afspraken plannen en bijhouden",
        "Afspraken met deelnemers plannen, verzetten en vastleggen of ze zijn verschenen",
        PARTICIPATIEWET,
        ("naam", "journaal"),
    ),
    Activiteit(
        "agendafeed",
        "Afspraken in de eigen agenda",
        "De eigen afspraken met deelnemers tonen in de agenda-app van de medewerker, met "
        "alleen voornaam en voorletter van de achternaam tenzij de medewerker anders kiest",
        PARTICIPATIEWET,
        ("naam", "journaal"),
        "normaal",
        bewaartermijn_jaren=1,
    ),
    Activiteit(
        "beveiliging",
        "Toegang beveiligen",
        "Inloggen, vergrendelen en tweestapsverificatie bewaken",
        "AVG art. 32; Baseline Informatiebeveiliging Overheid",
        (),
        "normaal",
        bewaartermijn_jaren=1,
    ),
)
CODES = frozenset(a.code for a in REGISTER)


def vul_register(**kwargs) -> None:
    """Add the activities the register lacks (a ``post_migrate`` receiver)."""
    from .models import Verwerkingsactiviteit

    bestaand = set(Verwerkingsactiviteit.objects.values_list("code", flat=True))
    Verwerkingsactiviteit.objects.bulk_create(
        Verwerkingsactiviteit(
            code=a.code,
            naam=a.naam,
            doel=a.doel,
            grondslag=a.grondslag,
            categorieen=list(a.categorieen),
            vertrouwelijkheid=a.vertrouwelijkheid,
            bewaartermijn_jaren=a.bewaartermijn_jaren,
        )
        for a in REGISTER
        if a.code not in bestaand
    )

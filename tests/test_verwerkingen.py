"""The processing log (VNG Verwerkingenlogging, AVG art. 30): every view that touches
participant data declares its activity, every record says what, why, on which basis and
which data, and the log can be read in the application.
"""

import csv
import datetime as dt
import io
import uuid

import pytest
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from reintegratie.access import Categorie as C
from reintegratie.accounts.models import Rol
from reintegratie.audit.models import AuditRecord, Verwerkingsactiviteit
from reintegratie.audit.register import CODES, REGISTER

from .conftest import pagina_tekst
from .factories import DeelnemerFactory, GebruikerFactory

KM, TB, MAN, KP, BEH, PRIV = (
    Rol.KLANTMANAGER,
    Rol.TRAJECTBEGELEIDER,
    Rol.MANAGER,
    Rol.KETENPARTNER,
    Rol.BEHEERDER,
    Rol.PRIVACY,
)

# Views that show no participant data: logging in and its second step, the user's own
# account, the register itself, the health check. Everything else must declare an activity.
ZONDER_DEELNEMERGEGEVENS = {
    "login",
    "logout",
    "accounts:wachtwoord",
    "accounts:sessie",
    "accounts:vergrendeld",
    "accounts:ontgrendelen",
    "tweestaps:overzicht",
    "tweestaps:controleren",
    "tweestaps:instellen",
    "tweestaps:backupcodes",
    "verwerkingen_register",
    "gezondheid",
}


def _views(patterns=None, prefix=""):
    """(URL name, view) for every named URL outside the admin."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            if p.app_name == "admin" or p.namespace == "admin":
                continue
            namespace = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from _views(p.url_patterns, namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{prefix}{p.name}", p.callback


def _activiteit(view):
    return getattr(view, "verwerkingsactiviteit", None)


def test_elke_view_met_deelnemergegevens_noemt_zijn_verwerking():
    zonder = sorted(
        naam
        for naam, view in _views()
        if naam not in ZONDER_DEELNEMERGEGEVENS and _activiteit(view) is None
    )
    assert not zonder, f"Zet @verwerking(...) op de view van: {zonder}"


def test_elke_genoemde_verwerking_staat_in_het_register(db):
    genoemd = {_activiteit(v) for _, v in _views()} - {None}
    assert genoemd <= CODES
    assert set(Verwerkingsactiviteit.objects.values_list("code", flat=True)) == CODES


def test_het_register_is_compleet_ingevuld():
    for activiteit in REGISTER:
        assert activiteit.doel and activiteit.grondslag and activiteit.bewaartermijn_jaren
        assert set(activiteit.categorieen) <= set(C.values)


def test_een_view_zonder_verwerking_kan_niet_loggen(rf, wereld):
    from django.core.exceptions import ImproperlyConfigured

    from reintegratie.access import log_toegang

    request = rf.get("/")
    request.user = wereld.gebruikers[KM]
    with pytest.raises(ImproperlyConfigured, match="verwerkingsactiviteit"):
        log_toegang(request, wereld.deelnemer, AuditRecord.Actie.BEKEKEN)


@pytest.fixture
def met_oin(wereld):
    wereld.eigen.identificatie = "00000001234567890000"
    wereld.eigen.save()
    return wereld


def _dossier(client, wereld, rol):
    client.force_login(wereld.gebruikers[rol])
    response = client.get(reverse("deelnemers:dossier", args=[wereld.deelnemer.pk]))
    assert response.status_code == 200
    return response, AuditRecord.objects.get(
        gebruiker=wereld.gebruikers[rol], actie=AuditRecord.Actie.BEKEKEN
    )


def test_een_logregel_draagt_de_velden_van_de_standaard(client, met_oin):
    response, record = _dossier(client, met_oin, KM)
    dossier = Verwerkingsactiviteit.objects.get(code="dossier")
    assert record.activiteit == dossier
    assert (record.doel, record.grondslag) == (dossier.doel, dossier.grondslag)
    assert record.vertrouwelijkheid == dossier.vertrouwelijkheid == "zeer_vertrouwelijk"
    verwacht = timezone.localdate() + dt.timedelta(days=365 * dossier.bewaartermijn_jaren)
    assert abs((record.bewaren_tot - verwacht).days) <= 3
    assert record.organisatie_identificatie == "00000001234567890000"
    assert record.verzoek_id == uuid.UUID(response["X-Request-ID"])
    assert "regie" in record.betrokkenheid
    # The klantmanager of the case reads every category, medical included.
    assert C.MEDISCH in record.categorieen and C.IDENTITEIT in record.categorieen


def test_de_categorieen_zijn_wat_de_toegang_doorliet(client, wereld):
    _, record = _dossier(client, wereld, MAN)
    assert C.MEDISCH not in record.categorieen  # the manager does not read medical data
    assert C.PLAN in record.categorieen
    _, record = _dossier(client, wereld, TB)
    assert set(record.categorieen) <= {
        C.NAAM,
        C.CONTACT,
        C.JOURNAAL,
        C.UREN,
        C.OBSERVATIES,
        C.LEERDOELEN,
        C.INSTRUMENTEN,
        C.TRAJECT,
        C.FASE,
    }
    assert C.IDENTITEIT not in record.categorieen


def test_een_lijst_schrijft_een_regel_per_deelnemer_met_een_verzoek_id(client, wereld):
    client.force_login(wereld.gebruikers[KM])
    for _ in range(3):
        DeelnemerFactory(klantmanager=wereld.gebruikers[KM])
    response = client.get(reverse("deelnemers:lijst"))
    records = AuditRecord.objects.filter(actie=AuditRecord.Actie.IN_LIJST)
    assert records.count() == 4
    assert {r.verzoek_id for r in records} == {uuid.UUID(response["X-Request-ID"])}
    assert {r.activiteit.code for r in records} == {"caseload"}


def test_een_geweigerd_traject_wordt_gelogd_bij_zijn_deelnemer(client, wereld):
    client.force_login(wereld.buitenstaander)
    url = reverse("trajecten:plan", args=[wereld.traject.pk])
    assert client.get(url).status_code == 404
    record = AuditRecord.objects.get()
    assert (record.actie, record.deelnemer_id) == (AuditRecord.Actie.GEWEIGERD, wereld.deelnemer.pk)
    assert record.activiteit.code == "plan_van_aanpak"


def test_een_rol_zonder_recht_wordt_gelogd_zonder_deelnemer(client, wereld):
    client.force_login(wereld.gebruikers[TB])
    assert client.get(reverse("dashboard")).status_code == 404
    record = AuditRecord.objects.get()
    assert record.actie == AuditRecord.Actie.GEWEIGERD
    assert record.deelnemer_id is None
    assert record.activiteit.code == "sturing"


def test_een_onbestaand_nummer_wordt_gelogd_zonder_deelnemer(client, wereld):
    client.force_login(wereld.gebruikers[KM])
    for pk in (99999999, 10**30):
        assert client.get(f"/deelnemers/{pk}/").status_code == 404
    assert list(AuditRecord.objects.values_list("deelnemer_id", flat=True)) == [None, None]


# Reading the log.


@pytest.fixture
def bekeken(client, wereld):
    """The file seen by its klantmanager, by the referrer's contact (a report) and refused to
    an outsider."""
    from trajecten.models import Voortgangsrapportage

    rapportage = Voortgangsrapportage.objects.create(
        traject=wereld.traject,
        aanleiding="tussentijds",
        periode_van=timezone.localdate() - dt.timedelta(days=30),
        periode_tot=timezone.localdate(),
        opgesteld_door=wereld.gebruikers[KM],
        opgesteld_op=timezone.localdate(),
    )
    for gebruiker, url in (
        (wereld.gebruikers[KM], reverse("deelnemers:dossier", args=[wereld.deelnemer.pk])),
        (
            wereld.gebruikers[KP],
            reverse("trajecten:rapportage", args=[wereld.traject.pk, rapportage.pk]),
        ),
        (wereld.buitenstaander, reverse("deelnemers:dossier", args=[wereld.deelnemer.pk])),
    ):
        client.force_login(gebruiker)
        client.get(url)
    client.logout()
    return wereld


@pytest.mark.parametrize("rol", [KM, MAN, PRIV], ids=lambda r: r.value)
def test_wie_heeft_dit_dossier_ingezien(client, bekeken, rol):
    client.force_login(bekeken.gebruikers[rol])
    response = client.get(reverse("verwerkingen_deelnemer", args=[bekeken.deelnemer.pk]))
    tekst = response.content.decode()
    assert response.status_code == 200
    # The referrer's organisation saw the report: the regie reads that it did.
    assert bekeken.verwijzer.naam in tekst
    assert "Ketenpartner-contact" in tekst and "Voortgang rapporteren" in tekst
    assert "1 geweigerde poging" in tekst
    assert "Voortgangsrapportage" in tekst  # the categories shown


@pytest.mark.parametrize("rol", [TB, KP, BEH], ids=lambda r: r.value)
def test_wie_heeft_ingezien_niet_voor_wie_geen_regie_heeft(client, bekeken, rol):
    client.force_login(bekeken.gebruikers[rol])
    url = reverse("verwerkingen_deelnemer", args=[bekeken.deelnemer.pk])
    assert client.get(url).status_code == 404


def test_het_log_doorzoeken_per_gebruiker(client, bekeken):
    client.force_login(bekeken.gebruikers[PRIV])
    km = bekeken.gebruikers[KM]
    response = client.get(reverse("verwerkingen"), {"gebruiker": km.pk})
    pagina = response.context["pagina"]
    assert pagina.paginator.count >= 1
    assert {r.gebruiker_id for r in pagina.object_list} == {km.pk}
    # Named, since the privacy officer may see this participant's name.
    assert bekeken.deelnemer.naam in pagina_tekst(response)


def test_het_log_van_een_andere_organisatie_blijft_buiten_beeld(client, bekeken):
    """The outsider's refused attempt concerns our participant and shows; what the outsider
    does with its own participants does not."""
    client.force_login(bekeken.buitenstaander)
    eigen = reverse("deelnemers:dossier", args=[bekeken.vreemde_deelnemer.pk])
    assert client.get(eigen).status_code == 200
    client.force_login(bekeken.gebruikers[MAN])
    response = client.get(reverse("verwerkingen"), {"gebruiker": ""})
    records = list(response.context["filter"].qs)
    assert all(
        r.deelnemer_id == bekeken.deelnemer.pk or r.gebruiker.organisatie_id == bekeken.eigen.pk
        for r in records
    )
    assert any(r.actie == AuditRecord.Actie.GEWEIGERD for r in records)
    assert not any(r.deelnemer_id == bekeken.vreemde_deelnemer.pk for r in records)


@pytest.mark.parametrize(
    "params",
    [
        {"deelnemer": "1" * 50},
        {"deelnemer": "-3"},
        {"van": "gisteren"},
        {"tot": "2026-13-45"},
        {"gebruiker": "999999999"},
        {"activiteit": "<script>"},
        {"actie": "x" * 500},
        {"pagina": "9" * 30},
    ],
)
def test_vijandige_filters_geven_een_melding(client, bekeken, params):
    client.force_login(bekeken.gebruikers[MAN])
    response = client.get(reverse("verwerkingen"), params)
    assert response.status_code == 200
    if "pagina" not in params:
        assert response.context["filter"].form.errors
    assert client.get(reverse("verwerkingen_export"), params).status_code == 200


def test_export_zonder_namen_en_zelf_gelogd(client, bekeken):
    client.force_login(bekeken.gebruikers[PRIV])
    response = client.get(reverse("verwerkingen_export"), {"deelnemer": bekeken.deelnemer.pk})
    tekst = b"".join(response.streaming_content).decode("utf-8-sig")
    rijen = list(csv.reader(io.StringIO(tekst), delimiter=";"))
    assert rijen[0][0] == "Tijdstip" and len(rijen) > 2
    assert {r[11] for r in rijen[1:]} == {str(bekeken.deelnemer.pk)}
    assert bekeken.deelnemer.achternaam not in tekst
    assert AuditRecord.objects.filter(
        gebruiker=bekeken.gebruikers[PRIV], actie=AuditRecord.Actie.GEEXPORTEERD
    ).exists()


def test_het_register_is_voor_iedereen_leesbaar(client, wereld):
    client.force_login(GebruikerFactory(rol=TB, organisatie=wereld.vreemd))
    tekst = client.get(reverse("verwerkingen_register")).content.decode()
    for activiteit in REGISTER:
        assert activiteit.naam in tekst
    assert "Participatiewet art. 44a" in tekst


def test_een_herzien_register_geldt_voor_nieuwe_regels_niet_voor_oude(client, wereld):
    _, oud = _dossier(client, wereld, KM)
    dossier = Verwerkingsactiviteit.objects.get(code="dossier")
    dossier.doel = "Een herzien doel"
    dossier.save()
    client.get(reverse("deelnemers:dossier", args=[wereld.deelnemer.pk]))
    nieuw = AuditRecord.objects.filter(actie=AuditRecord.Actie.BEKEKEN).latest("pk")
    assert nieuw.doel == "Een herzien doel"
    oud = AuditRecord.objects.get(pk=oud.pk)
    assert oud.doel != "Een herzien doel"


# Retention.


def _record(gebruiker, bewaren_tot):
    return AuditRecord.objects.create(
        gebruiker=gebruiker,
        gebruikersnaam=gebruiker.username,
        actie=AuditRecord.Actie.BEKEKEN,
        bewaren_tot=bewaren_tot,
    )


def test_opschonen_verwijdert_alleen_wat_over_de_termijn_is(wereld):
    from django.core.management import call_command

    gebruiker = wereld.gebruikers[KM]
    # Far in the past: the database checks against its own date, not the test's clock.
    verlopen = _record(gebruiker, dt.date(2020, 1, 1))
    lopend = _record(gebruiker, timezone.localdate() + dt.timedelta(days=400))
    zonder = _record(gebruiker, None)
    uit = io.StringIO()
    call_command("verwerkingenlog_opschonen", stdout=uit)
    assert "1 logregel" in uit.getvalue()
    over = set(AuditRecord.objects.values_list("pk", flat=True))
    assert over == {lopend.pk, zonder.pk} and verlopen.pk not in over


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="alleen op PostgreSQL")
def test_de_database_weigert_een_record_binnen_zijn_termijn_te_verwijderen(wereld):
    from django.db import DatabaseError, transaction

    lopend = _record(wereld.gebruikers[KM], timezone.localdate() + dt.timedelta(days=400))
    verlopen = _record(wereld.gebruikers[KM], dt.date(2020, 1, 1))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
        c.execute("DELETE FROM audit_auditrecord WHERE id = %s", [lopend.pk])
    with connection.cursor() as c:
        c.execute("DELETE FROM audit_auditrecord WHERE id = %s", [verlopen.pk])
        assert c.rowcount == 1

"""Journeys from the user's seat that broke: what a decision adds, the cap, locked days, the
week's print file, overdue actions and yesterday's phone call."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import dateformat, timezone

from deelnemers.models import Contactmoment
from reintegratie.accounts.models import Rol
from trajecten.models import Fase, PlanVanAanpak, Signaal, Traject

from .factories import DeelnemerFactory, TrajectFactory, UrenregistratieFactory


def _dossier(client, wereld):
    return client.get(reverse("deelnemers:dossier", args=[wereld.deelnemer.pk])).content.decode()


def test_verlengen_zegt_wat_het_toevoegt_en_verdwijnt_als_het_op_is(client, wereld, km):
    url = reverse("trajecten:verlengen", args=[wereld.traject.pk])
    assert "Fase verlengen (+50 uur)" in _dossier(client, wereld)
    pagina = client.get(url).content.decode()
    assert "Verlengen voegt <strong>50 uur</strong> toe" in pagina
    client.post(url, {"toelichting": "Beeld nog niet compleet."})
    # The one allowed extension is used: no link, and the page says so before any typing.
    assert "Fase verlengen" not in _dossier(client, wereld)
    pagina = client.get(url).content.decode()
    assert "kan niet verder verlengd worden" in pagina
    assert 'name="toelichting"' not in pagina


def _productief(wereld, uren):
    fase = wereld.traject.fasen.get()
    fase.uren_budget = Decimal(1000)
    fase.save()
    dag = wereld.plaatsing.startdatum
    while uren > 0:
        UrenregistratieFactory(fase=fase, werkplek=wereld.werkplek, datum=dag, uren=min(uren, 24))
        uren -= min(uren, 24)
        dag += dt.timedelta(days=1)


def test_een_aangemeld_traject_zegt_wanneer_de_fase_begint(client, wereld, km):
    """An enrolled trajectory starts in a week: its phase has not been going "since" then."""
    deelnemer = DeelnemerFactory(verwijzer=wereld.verwijzer, klantmanager=km)
    traject = TrajectFactory(deelnemer=deelnemer, aanbieder=wereld.eigen, aangemeld=True)
    pagina = client.get(reverse("trajecten:afsluiten", args=[traject.pk])).content.decode()
    begin = dateformat.format(traject.startdatum, "j F Y")
    assert f"begint op {begin}" in pagina
    assert "sinds" not in pagina
    # A running one has.
    pagina = client.get(reverse("trajecten:afsluiten", args=[wereld.traject.pk])).content.decode()
    assert "Huidige fase" in pagina and "sinds" in pagina


@pytest.mark.parametrize(
    ("uren", "signaal"),
    [(700, None), (750, Signaal.BIJNA_PLAFOND), (800, Signaal.PLAFOND_BEREIKT)],
)
def test_aan_het_plafond_is_niet_bijna(wereld, uren, signaal):
    _productief(wereld, uren)
    traject = Traject.objects.met_signalen().get(pk=wereld.traject.pk)
    plafond = {Signaal.BIJNA_PLAFOND, Signaal.PLAFOND_BEREIKT}
    assert {code for code, _ in traject.signalen()} & plafond == ({signaal} if signaal else set())


def test_een_volle_begroting_kleurt_niet_groen(client, wereld, km):
    """The meter knows where amber and red begin, so 700 of 700 is not 'good'."""
    fase = wereld.traject.fasen.get()
    Fase.objects.filter(pk=fase.pk).update(uren_gebruikt=100)
    meter = re.search(r"<meter [^>]*>", _dossier(client, wereld)).group(0)
    assert 'low="75' in meter
    assert 'high="90' in meter
    assert 'optimum="0"' in meter
    assert "100 van 100 uur" in _dossier(client, wereld)


def test_los_uren_boeken_op_een_vergrendelde_dag_geweigerd(client, wereld):
    """The week grid refused it; the single registration booked it anyway."""
    dag = timezone.localdate() - dt.timedelta(days=1)
    wereld.eigen.uren_vergrendeld_tot = dag
    wereld.eigen.save()
    data = {
        "werkplek": wereld.werkplek.pk,
        "datum": dag.isoformat(),
        "uren": "4",
        "soort": "gewerkt",
    }
    url = reverse("deelnemers:uren_registreren", args=[wereld.deelnemer.pk])
    client.force_login(wereld.gebruikers[Rol.TRAJECTBEGELEIDER])
    response = client.post(url, data)
    assert "vergrendeld" in " ".join(response.context["form"].errors["datum"])
    assert not wereld.deelnemer.uren.exists()
    # The manager of the organisation that locked the period corrects it.
    client.force_login(wereld.gebruikers[Rol.MANAGER])
    assert client.post(url, data).status_code == 302
    assert wereld.deelnemer.uren.count() == 1


def test_de_pdf_van_deze_week_heeft_het_weeknummer_van_de_pagina(client, wereld, km, taakwerker):
    PlanVanAanpak.objects.create(
        traject=wereld.traject, versie=1, afstand_tot_arbeidsmarkt="lang", opgesteld_door=km
    )
    opdracht = client.post(reverse("afdrukken_week_pdf")).url
    taakwerker()
    response = client.get(opdracht + "pdf/")
    # The week as the screens write it (Django's "W": the ISO week), not strftime's %W.
    week = int(dateformat.format(timezone.localdate(), "W"))
    jaar = timezone.localdate().isocalendar().year
    assert f"afdrukken-week-{jaar}-{week:02d}.pdf" in response["Content-Disposition"]


def test_een_verlopen_volgende_actie_ziet_er_anders_uit(client, wereld, km):
    """A next action written in the journal (it becomes a task) whose date has passed."""
    eergisteren = (timezone.localdate() - dt.timedelta(days=2)).isoformat()
    client.post(
        reverse("deelnemers:contactmoment", args=[wereld.deelnemer.pk]),
        {
            "datum": eergisteren,
            "soort": "telefoon",
            "onderwerp": "Gebeld",
            "volgende_actie": "Terugbellen",
            "volgende_actie_op": eergisteren,
        },
    )
    assert Contactmoment.objects.filter(onderwerp="Gebeld").exists()
    lijst = client.get(reverse("deelnemers:lijst")).content.decode()
    assert "te laat" in lijst
    assert "te laat" in _dossier(client, wereld)


def test_het_telefoontje_van_gisteren(client, wereld, km):
    gisteren = timezone.localdate() - dt.timedelta(days=1)
    url = reverse("deelnemers:contactmoment", args=[wereld.deelnemer.pk])
    client.post(url, {"datum": gisteren.isoformat(), "soort": "telefoon", "onderwerp": "Gebeld"})
    moment = Contactmoment.objects.get(onderwerp="Gebeld")
    assert timezone.localtime(moment.tijdstip).date() == gisteren
    morgen = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(url, {"datum": morgen, "soort": "telefoon", "onderwerp": "Later"})
    assert "niet in de toekomst" in response.content.decode()
    assert not Contactmoment.objects.filter(onderwerp="Later").exists()


def _tijdfase(wereld, *, geplande_einde):
    fase = wereld.traject.fasen.get()
    fase.geplande_einddatum = geplande_einde
    fase.save()
    return fase


def test_een_fase_voorbij_haar_einde_neemt_geen_uren(client, wereld):
    """A Detachering phase "tot 17 juni" still took hours in December."""
    vandaag = timezone.localdate()
    _tijdfase(wereld, geplande_einde=vandaag - dt.timedelta(days=5))
    client.force_login(wereld.gebruikers[Rol.TRAJECTBEGELEIDER])
    url = reverse("deelnemers:uren_registreren", args=[wereld.deelnemer.pk])
    data = {"werkplek": wereld.werkplek.pk, "datum": vandaag, "uren": "4", "soort": "gewerkt"}
    response = client.post(url, data)
    assert "Verleng de fase of begin de volgende" in " ".join(
        response.context["form"].errors["datum"]
    )
    # Before the planned end it still books.
    data["datum"] = vandaag - dt.timedelta(days=6)
    assert client.post(url, data).status_code == 302
    traject = Traject.objects.met_signalen().get(pk=wereld.traject.pk)
    assert Signaal.FASE_VERLOPEN in {code for code, _ in traject.signalen()}


def test_de_week_sluit_de_dagen_na_het_einde_van_de_fase(client, wereld):
    from trajecten.weekrooster import lees_rooster, maandag_van

    vandaag = timezone.localdate()
    maandag = maandag_van(vandaag) - dt.timedelta(days=7)
    _tijdfase(wereld, geplande_einde=maandag + dt.timedelta(days=1))
    rooster = lees_rooster(
        werkplek=wereld.werkplek, maandag=maandag, user=wereld.gebruikers[Rol.TRAJECTBEGELEIDER]
    )
    cellen = rooster.rij(wereld.deelnemer.pk).cellen
    assert [c.open for c in cellen] == [True, True, False, False, False]
    assert "liep tot" in cellen[2].reden_dicht


def test_het_traject_respecteert_zijn_maximale_duur(wereld):
    from django.core.exceptions import ValidationError

    from trajecten.services import registreer_uren

    type_ = wereld.traject.trajecttype
    type_.max_duur_maanden = 1
    type_.save()
    gisteren = timezone.localdate() - dt.timedelta(days=1)  # the trajectory began 60 days ago
    with pytest.raises(ValidationError) as fout:
        registreer_uren(
            deelnemer=wereld.deelnemer,
            werkplek=wereld.werkplek,
            datum=gisteren,
            uren=Decimal(4),
            soort="gewerkt",
            door=wereld.gebruikers[Rol.TRAJECTBEGELEIDER],
        )
    assert "hoogstens 1 maand," in fout.value.message_dict["datum"][0]


def _instrument(client, wereld, **gegevens):
    url = reverse("trajecten:instrument_nieuw", args=[wereld.traject.pk])
    basis = {"startdatum": timezone.localdate(), "resultaat": "lopend"}
    return client.post(url, basis | gegevens)


def test_instrumenten_vastleggen_elk_met_zijn_eigen_velden(client, wereld, km):
    from trajecten.models import Instrumentinzet

    vandaag = timezone.localdate()
    assert "Instrument vastleggen" in _dossier(client, wereld)
    # Loonkostensubsidie needs its loonwaarde; a certificate date does not belong to it.
    response = _instrument(
        client, wereld, instrument="loonkostensubsidie", geldig_tot=vandaag, kosten="1.250,50"
    )
    fouten = response.context["form"].errors
    assert "loonwaarde" in " ".join(fouten["loonwaarde"])
    assert "hoort niet bij" in " ".join(fouten["geldig_tot"])
    assert not Instrumentinzet.objects.exists()

    response = _instrument(
        client, wereld, instrument="loonkostensubsidie", loonwaarde="60", kosten="1.250,50"
    )
    assert response.status_code == 302
    inzet = Instrumentinzet.objects.get()
    assert (inzet.loonwaarde, inzet.kosten) == (60, Decimal("1250.50"))
    assert Contactmoment.objects.filter(onderwerp__startswith="Instrument ingezet").exists()

    # A certificate that runs out within a month raises a signal.
    _instrument(client, wereld, instrument="heftruck", geldig_tot=vandaag + dt.timedelta(days=20))
    _instrument(client, wereld, instrument="jobcoaching", uren="12,5")
    assert Instrumentinzet.objects.get(instrument="jobcoaching").uren == Decimal("12.5")
    traject = Traject.objects.met_signalen().get(pk=wereld.traject.pk)
    assert Signaal.CERTIFICAAT_VERLOOPT in {code for code, _ in traject.signalen()}
    assert "geldig tot" in _dossier(client, wereld)


def test_instrumenten_alleen_door_wie_het_traject_voert(client, wereld):
    url = reverse("trajecten:instrument_nieuw", args=[wereld.traject.pk])
    for rol in (Rol.TRAJECTBEGELEIDER, Rol.KETENPARTNER, Rol.BEHEERDER):
        client.force_login(wereld.gebruikers[rol])
        assert client.get(url).status_code == 404


class TestObservatiesGelijktijdig:
    """Twenty simultaneous saves all "succeeded" and the last one won; the first save of a
    new week sometimes answered 500 (a duplicate key)."""

    @pytest.fixture
    def tb(self, client, wereld):
        client.force_login(wereld.gebruikers[Rol.TRAJECTBEGELEIDER])
        return wereld.gebruikers[Rol.TRAJECTBEGELEIDER]

    def _url(self, wereld, maandag):
        return reverse("werkplekken:observaties", args=[wereld.werkplek.pk]) + f"?week={maandag}"

    def _post(self, client, wereld, maandag, omgang, wijziging=""):
        p = f"d{wereld.deelnemer.pk}"
        return client.post(
            self._url(wereld, maandag),
            {
                f"{p}-omgang": omgang,
                f"{p}-opmerking": f"score {omgang}",
                f"{p}-wijziging": wijziging,
            },
        )

    def test_een_verouderde_opslag_overschrijft_niet(self, client, wereld, tb):
        from trajecten.models import Observatie
        from trajecten.weekrooster import maandag_van

        maandag = maandag_van(timezone.localdate())
        assert self._post(client, wereld, maandag, 3).status_code == 302
        assert self._post(client, wereld, maandag, 4, wijziging=1).status_code == 302
        # A third tab, still on version 1, saves 2: refused, and the 4 stays.
        response = self._post(client, wereld, maandag, 2, wijziging=1)
        assert "Iemand anders heeft deze observatie intussen opgeslagen" in (
            response.content.decode()
        )
        observatie = Observatie.objects.get()
        assert (observatie.omgang, observatie.wijziging) == (4, 2)
        # What was typed is still there, now against version 2: saving again is a choice.
        assert 'value="2"' in response.content.decode()
        assert self._post(client, wereld, maandag, 2, wijziging=2).status_code == 302
        assert Observatie.objects.get().omgang == 2

    def test_de_eerste_opslag_van_een_week_door_twee_tegelijk(self, client, wereld, tb):
        """Both opened the empty week; the second finds the first's row, not a 500."""
        from trajecten.models import Observatie
        from trajecten.weekrooster import maandag_van

        maandag = maandag_van(timezone.localdate())
        assert self._post(client, wereld, maandag, 3).status_code == 302
        response = self._post(client, wereld, maandag, 5)  # also opened with no observation
        assert response.status_code == 200
        assert Observatie.objects.get().omgang == 3


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="alleen op PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twintig_gelijktijdige_observaties_een_wint_de_rest_hoort_het(wereld):
    """Twenty writers at once on a new week: one saves, nineteen are told, none is a 500."""
    import functools

    from django.test import Client

    from trajecten.models import Observatie
    from trajecten.weekrooster import maandag_van

    from .conftest import tegelijk

    maandag = maandag_van(timezone.localdate())
    url = reverse("werkplekken:observaties", args=[wereld.werkplek.pk]) + f"?week={maandag}"
    p = f"d{wereld.deelnemer.pk}"
    clients = []
    for _ in range(20):
        clients.append(Client())
        clients[-1].force_login(wereld.gebruikers[Rol.TRAJECTBEGELEIDER])

    def schrijver(client, n):
        return client.post(url, {f"{p}-omgang": 1 + n % 5, f"{p}-wijziging": ""}).status_code

    statussen = tegelijk(*(functools.partial(schrijver, c, n) for n, c in enumerate(clients)))
    assert sorted(statussen) == [200] * 19 + [302]
    assert Observatie.objects.get().wijziging == 1

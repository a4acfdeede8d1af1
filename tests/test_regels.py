"""Rules that belong in the data hold in the database itself, on SQLite and PostgreSQL alike."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from reintegratie.audit.models import AppendOnlyError, AuditRecord
from trajecten.models import Fase, Traject, Uitstroom, Urenregistratie

from .factories import (
    DeelnemerFactory,
    GebruikerFactory,
    TrajectFactory,
    UitstroomFactory,
    UrenregistratieFactory,
)

pytestmark = pytest.mark.django_db


def _geweigerd(maak):
    with pytest.raises(IntegrityError), transaction.atomic():
        maak()


def _uren(wereld, **kwargs):
    return UrenregistratieFactory.build(
        fase=wereld.traject.fasen.get(), werkplek=wereld.werkplek, **kwargs
    )


@pytest.mark.parametrize("uren", ["0", "-1", "24.25", "3.10"])
def test_database_weigert_ongeldige_uren(wereld, uren):
    registratie = _uren(wereld, uren=Decimal(uren), geregistreerd_door=GebruikerFactory())
    _geweigerd(registratie.save)


def test_database_weigert_dubbele_registratie(wereld):
    eerste = UrenregistratieFactory(fase=wereld.traject.fasen.get(), werkplek=wereld.werkplek)
    dubbel = _uren(wereld, datum=eerste.datum, soort=eerste.soort)
    dubbel.geregistreerd_door = eerste.geregistreerd_door
    _geweigerd(dubbel.save)


def test_andere_soort_op_dezelfde_dag_mag(wereld):
    eerste = UrenregistratieFactory(fase=wereld.traject.fasen.get(), werkplek=wereld.werkplek)
    UrenregistratieFactory(
        fase=eerste.fase,
        werkplek=wereld.werkplek,
        datum=eerste.datum,
        soort=Urenregistratie.Soort.SCHOLING,
        uren=Decimal("1.5"),
    )
    assert Urenregistratie.objects.count() == 2


@pytest.mark.parametrize("model", ["traject", "fase", "plaatsing"])
def test_database_weigert_einde_voor_start(wereld, model):
    obj = {
        "traject": wereld.traject,
        "fase": wereld.traject.fasen.get(),
        "plaatsing": wereld.plaatsing,
    }[model]
    obj.einddatum = obj.startdatum - dt.timedelta(days=1)
    if model == "traject":
        obj.status = Traject.Status.AFGESLOTEN
    with pytest.raises(ValidationError) as fout:
        obj.full_clean()
    assert fout.value.message_dict["einddatum"] == ["De einddatum ligt voor de startdatum."]
    _geweigerd(obj.save)


def test_een_lopend_traject_per_deelnemer(wereld):
    _geweigerd(lambda: TrajectFactory(deelnemer=wereld.deelnemer, eerste_fase=False))
    TrajectFactory(deelnemer=wereld.deelnemer, afgesloten=True, eerste_fase=False)


def test_afgesloten_traject_heeft_einddatum(wereld):
    wereld.traject.status = Traject.Status.AFGESLOTEN
    _geweigerd(wereld.traject.save)


def test_voortijdig_beeindigd_vraagt_een_reden(db):
    uitstroom = UitstroomFactory.build(
        traject=TrajectFactory(afgesloten=True), resultaat=Uitstroom.Resultaat.VOORTIJDIG
    )
    with pytest.raises(ValidationError) as fout:
        uitstroom.full_clean()
    assert "reden" in fout.value.message_dict
    _geweigerd(uitstroom.save)
    uitstroom.reden = Uitstroom.Reden.ZELF_BEEINDIGD
    uitstroom.save()


def test_fase_budget_wordt_per_fase_opgeteld(wereld):
    fase = wereld.traject.fasen.get()
    for dag in range(1, 4):
        UrenregistratieFactory(
            fase=fase, werkplek=wereld.werkplek, datum=fase.startdatum + dt.timedelta(days=dag)
        )
    UrenregistratieFactory(
        fase=fase,
        werkplek=wereld.werkplek,
        datum=fase.startdatum,
        soort=Urenregistratie.Soort.ZIEK,
    )
    assert Fase.objects.get(pk=fase.pk).uren_gebruikt == Decimal(18)
    assert Traject.objects.met_uren().get(pk=wereld.traject.pk).uren_gebruikt == Decimal(18)
    assert wereld.traject.resterende_uren() == Decimal(800 - 18)


class TestAuditlogAlleenAanvullen:
    @pytest.fixture
    def record(self, wereld):
        gebruiker = GebruikerFactory()
        return AuditRecord.objects.create(
            gebruiker=gebruiker,
            gebruikersnaam=gebruiker.username,
            deelnemer=wereld.deelnemer,
            actie=AuditRecord.Actie.BEKEKEN,
        )

    def test_orm_weigert_wijzigen_en_verwijderen(self, record):
        record.actie = AuditRecord.Actie.GEWIJZIGD
        with pytest.raises(AppendOnlyError):
            record.save()
        with pytest.raises(AppendOnlyError):
            record.delete()
        with pytest.raises(AppendOnlyError):
            AuditRecord.objects.all().update(actie="x")
        with pytest.raises(AppendOnlyError):
            AuditRecord.objects.all().delete()

    def test_database_weigert_update(self, record):
        from django.db import DatabaseError, connection

        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
            c.execute("UPDATE audit_auditrecord SET actie = 'gewijzigd'")

    def test_delete_alleen_geweigerd_door_postgresql(self, record):
        """PostgreSQL, the production database, refuses DELETE. SQLite allows it on purpose:
        Django's test runner empties its tables with DELETE (see the migration)."""
        from django.db import DatabaseError, connection

        if connection.vendor == "postgresql":
            with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
                c.execute("DELETE FROM audit_auditrecord")
        else:
            with connection.cursor() as c:
                c.execute("DELETE FROM audit_auditrecord")
                assert c.rowcount == 1

    def test_deelnemer_verwijderen_laat_het_log_staan(self, record):
        deelnemer = DeelnemerFactory()
        AuditRecord.objects.create(
            gebruiker=record.gebruiker,
            gebruikersnaam="x",
            deelnemer=deelnemer,
            actie=AuditRecord.Actie.AANGEMAAKT,
        )
        deelnemer.delete()
        assert AuditRecord.objects.count() == 2

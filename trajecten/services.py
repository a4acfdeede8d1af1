"""Writes on trajectories and hours. Atomic; the hour rules hold under concurrent writers."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Prefetch, Q, Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from deelnemers.models import Contactmoment
from reintegratie.access import heeft_recht
from reintegratie.templatetags.opmaak import datum as datumtekst
from werkplekken.models import Plaatsing

from .models import (
    NUL_UREN,
    AfstandTotArbeidsmarkt,
    Fase,
    Instrumentinzet,
    Leerdoel,
    LeerdoelVoortgang,
    Observatie,
    PlanVanAanpak,
    Traject,
    Uitstroom,
    UrenMutatie,
    UrenPerMaand,
    UrenPerWeek,
    Urenregistratie,
    Voortgangsrapportage,
    uren_tekst,
)
from .weekrooster import VERGRENDELD, lees_rooster, maandag_van, op_slot


@transaction.atomic
def registreer_uren(*, deelnemer, werkplek, datum, uren: Decimal, soort: str, door):
    """Book ``uren`` of ``soort`` for ``deelnemer`` at ``werkplek`` on ``datum``.

    Refuses, with the message at the field concerned, hours for a participant not placed
    there that day, outside a running phase, over 24 in a day, or past the phase's budget or
    the trajectory's cap. The trajectory row is locked first, so two people booking for the
    same participant at the same moment are checked one after the other.
    """
    _mag_boeken(werkplek=werkplek, datum=datum, door=door)
    if (
        not Plaatsing.objects.filter(deelnemer=deelnemer, werkplek=werkplek)
        .lopend_op(datum)
        .exists()
    ):
        raise ValidationError(
            {"datum": f"{deelnemer.naam} is op deze dag niet geplaatst bij {werkplek.naam}."}
        )
    return _zet_uren(
        deelnemer=deelnemer,
        werkplek=werkplek,
        datum=datum,
        soort=soort,
        oud=None,
        uren=uren,
        door=door,
    )


def _mag_boeken(*, werkplek, datum, door) -> None:
    """Hours are booked on or before today, and in a locked week by a manager only."""
    if datum > timezone.localdate():
        raise ValidationError({"datum": "Uren kunnen niet vooruit worden geregistreerd."})
    if op_slot(werkplek, datum) and not heeft_recht(door, "vergrendelde_uren_corrigeren"):
        raise ValidationError({"datum": VERGRENDELD})


def _zet_uren(*, deelnemer, werkplek, datum, soort, oud, uren, door, reden=""):
    """Make ``oud`` (a registration of ``soort``, or None) hold ``uren`` (None: remove it),
    under the rules of a running phase, 24 hours a day, the phase's budget and the cap; only
    what is added is checked against the budget, so lowering is always allowed."""
    traject = _vergrendeld_traject(deelnemer=deelnemer, datum=datum)
    oude_uren = oud.uren if oud else NUL_UREN
    if uren is None:
        return _verwijder_uren(oud=oud, traject=traject, door=door, reden=reden)
    fase = _boekbare_fase(traject=traject, datum=datum)
    _binnen_een_dag(deelnemer=deelnemer, datum=datum, oude_uren=oude_uren, uren=uren)
    productief = soort in Urenregistratie.Soort.productief()
    if productief:
        _past_in_budget(fase=fase, traject=traject, erbij=uren - oude_uren)
    vorig = traject
    if oud is None:
        registratie = Urenregistratie(
            deelnemer=deelnemer,
            fase=fase,
            werkplek=werkplek,
            datum=datum,
            uren=uren,
            soort=soort,
            geregistreerd_door=door,
        )
        registratie.full_clean()
        registratie.save()
        actie = UrenMutatie.Actie.AANGEMAAKT
    else:
        registratie, oude_fase = oud, oud.fase_id
        vorig = _vorig_traject(oude_fase=oude_fase, fase=fase, traject=traject)
        registratie.uren, registratie.fase = uren, fase
        registratie.full_clean(validate_unique=False, validate_constraints=False)
        registratie.save(update_fields=["uren", "fase"])
        if productief:
            Fase.objects.filter(pk=oude_fase).update(uren_gebruikt=F("uren_gebruikt") - oude_uren)
        actie = UrenMutatie.Actie.GEWIJZIGD
    if vorig == traject:
        _totalen(registratie, traject, uren - oude_uren)
    else:
        _totalen(registratie, vorig, -oude_uren)
        _totalen(registratie, traject, uren)
    if productief:
        Fase.objects.filter(pk=fase.pk).update(uren_gebruikt=F("uren_gebruikt") + uren)
    UrenMutatie.objects.create(
        registratie_id=registratie.pk,
        deelnemer=deelnemer,
        werkplek=werkplek,
        datum=datum,
        actie=actie,
        oude_uren=oude_uren if oud else None,
        oude_soort=oud.soort if oud else "",
        nieuwe_uren=uren,
        nieuwe_soort=soort,
        reden=reden,
        door=door,
    )
    return registratie


def _vorig_traject(*, oude_fase, fase, traject):
    """The trajectory whose totals hold a registration of phase ``oude_fase`` (a pk) that
    now goes to ``fase`` of ``traject``. On a day two trajectories run (one closed after the
    next began) a changed registration moves to the latest, and its old hours must leave the
    other's totals; read only when the phase changes."""
    if oude_fase == fase.pk:
        return traject
    vorige = Fase.objects.select_related("traject__deelnemer").get(pk=oude_fase)
    return traject if vorige.traject_id == traject.pk else vorige.traject


def _vergrendeld_traject(*, deelnemer, datum):
    """The participant's trajectory running on ``datum``, locked, with the participant's row
    locked and read again: its referrer, as committed, goes into the week totals. Not the
    trajecttype's row: that would queue all bookings of a type."""
    traject = (
        Traject.objects.select_for_update(of=("self", "deelnemer"))
        .select_related("trajecttype", "deelnemer")
        .filter(deelnemer=deelnemer, startdatum__lte=datum)
        .filter(Q(einddatum__isnull=True) | Q(einddatum__gte=datum))
        .first()
    )
    if traject is None:
        raise ValidationError({"datum": "Op deze dag loopt er geen traject voor deze deelnemer."})
    return traject


def _boekbare_fase(*, traject, datum):
    """The trajectory's phase running on ``datum``, if hours can be booked on it then."""
    fase = (
        Fase.objects.filter(traject=traject, startdatum__lte=datum)
        .filter(Q(einddatum__isnull=True) | Q(einddatum__gte=datum))
        .order_by("-startdatum")
        .first()
    )
    if fase is None:
        raise ValidationError({"datum": "Op deze dag loopt er geen fase van het traject."})
    fase.traject = traject
    if reden_dicht := fase.waarom_geen_uren(datum):
        raise ValidationError({"datum": reden_dicht})
    return fase


def _binnen_een_dag(*, deelnemer, datum, oude_uren, uren) -> None:
    """All the participant's registrations of the day, with ``uren`` instead of
    ``oude_uren``, stay within 24 hours."""
    op_die_dag = Urenregistratie.objects.filter(deelnemer=deelnemer, datum=datum).aggregate(
        totaal=Sum("uren", default=NUL_UREN)
    )["totaal"]
    if op_die_dag - oude_uren + uren > 24:
        raise ValidationError(
            {
                "uren": f"Op deze dag staat al {uren_tekst(op_die_dag - oude_uren)} uur; "
                "samen meer dan 24 uur kan niet."
            }
        )


def _past_in_budget(*, fase, traject, erbij) -> None:
    """Productive hours ``erbij`` (added) must fit in the phase's budget and under the cap."""
    if erbij <= 0:
        return
    over = fase.resterend_budget()
    if over is not None and erbij > over:
        raise ValidationError(
            {
                "uren": f"Dit past niet in het budget van de fase {fase.fasetype.naam}: "
                f"er is nog {uren_tekst(over)} uur over."
            }
        )
    rest = traject.resterende_uren()
    if rest is not None and erbij > rest:
        raise ValidationError(
            {
                "uren": "Dit gaat over het plafond van "
                f"{uren_tekst(traject.trajecttype.max_uren)} uur voor het hele traject: "
                f"er is nog {uren_tekst(rest)} uur over."
            }
        )


def _totalen(registratie, traject, uren) -> None:
    """``uren`` more (negative: fewer) of ``registratie`` in the week and month totals."""
    maand, week = _totaalregels(
        traject=traject,
        werkplek_organisatie_id=registratie.werkplek.organisatie_id,
        datum=registratie.datum,
        soort=registratie.soort,
        uren=uren,
    )
    maandtotalen_bijtellen([maand])
    weektotalen_bijtellen([week])


def _totaalregels(*, traject, werkplek_organisatie_id, datum, soort, uren):
    """The lines of :func:`maandtotalen_bijtellen` and :func:`weektotalen_bijtellen` for
    ``uren`` of ``soort`` on ``datum`` of ``traject`` (its participant's referrer read)."""
    maand = (traject.pk, datum, soort, uren)
    week = (
        datum,
        soort,
        traject.aanbieder_id,
        werkplek_organisatie_id,
        traject.deelnemer.verwijzer_id,
        uren,
    )
    return maand, week


def _verwijder_uren(*, oud, traject, door, reden):
    """Remove a registration, its hours off the phase's counter and the totals."""
    if oud is None:
        return None
    if oud.soort in Urenregistratie.Soort.productief():
        Fase.objects.filter(pk=oud.fase_id).update(uren_gebruikt=F("uren_gebruikt") - oud.uren)
    _totalen(oud, traject, -oud.uren)
    UrenMutatie.objects.create(
        registratie_id=oud.pk,
        deelnemer_id=oud.deelnemer_id,
        werkplek=oud.werkplek,
        datum=oud.datum,
        actie=UrenMutatie.Actie.VERWIJDERD,
        oude_uren=oud.uren,
        oude_soort=oud.soort,
        reden=reden,
        door=door,
    )
    oud.delete()
    return None


class GroepsurenFouten(ValidationError):
    """Errors per participant of a group session, keyed by deelnemer_id; nothing was saved."""

    def __init__(self, fouten: dict):
        self.fouten = fouten
        super().__init__("; ".join(fouten.values()))


@transaction.atomic
def groepsuren_zetten(*, werkplek, datum, uren: dict, door, reden: str) -> int:
    """Make the scholing hours of a group session held at ``werkplek`` on ``datum`` what
    ``uren`` says: a participant to their hours, None for none (afgemeld, niet verschenen).

    The group's membership stands in for a placement (the caller checks it): the session's
    place is a workplace of the organisation that runs it, so the hours count under that
    organisation and its locked weeks, as hours worked there do. Setting rather than adding,
    so saving the attendance again corrects it. All or nothing: GroepsurenFouten names every
    participant whose hours do not fit. Returns the number of registrations changed.
    """
    _mag_boeken(werkplek=werkplek, datum=datum, door=door)
    soort = Urenregistratie.Soort.SCHOLING
    bestaand = {
        r.deelnemer_id: r
        for r in Urenregistratie.objects.select_for_update(of=("self",))
        .select_related("werkplek")
        .filter(werkplek=werkplek, datum=datum, soort=soort, deelnemer__in=list(uren))
    }
    fouten, gewijzigd = {}, 0
    # In id order, so two writers lock the trajectories in the same order.
    for deelnemer in sorted(uren, key=lambda d: d.pk):
        oud = bestaand.get(deelnemer.pk)
        if (oud.uren if oud else None) == uren[deelnemer]:
            continue
        try:
            with transaction.atomic():
                _zet_uren(
                    deelnemer=deelnemer,
                    werkplek=werkplek,
                    datum=datum,
                    soort=soort,
                    oud=oud,
                    uren=uren[deelnemer],
                    door=door,
                    reden=reden,
                )
        except ValidationError as fout:
            fouten[deelnemer.pk] = " ".join(fout.messages)
        gewijzigd += 1
    if fouten:
        raise GroepsurenFouten(fouten)
    return gewijzigd


def _vergrendel(traject) -> Traject:
    """The trajectory, locked for the rest of the transaction, with its phases fresh."""
    return (
        Traject.objects.select_for_update(of=("self",))
        .select_related("trajecttype")
        .get(pk=traject.pk)
    )


def _huidige_fase(traject) -> Fase:
    fase = traject.fasen.select_related("fasetype").filter(einddatum__isnull=True).first()
    if fase is None:
        raise ValidationError("Dit traject heeft geen lopende fase.")
    return fase


def _besluit(*, traject, door, onderwerp, toelichting=""):
    """Every decision shows in the participant's journal, with who and when."""
    Contactmoment.objects.create(
        deelnemer_id=traject.deelnemer_id,
        soort=Contactmoment.Soort.BESLUIT,
        onderwerp=onderwerp,
        verslag=toelichting,
        door=door,
    )


def _moet_lopen(traject):
    if traject.status == Traject.Status.AFGESLOTEN:
        raise ValidationError("Dit traject is al afgesloten.")


@transaction.atomic
def fase_verlengen(*, traject, door, toelichting: str) -> Fase:
    """Extend the running phase by what its fasetype allows, at most as often as it allows."""
    traject = _vergrendel(traject)
    _moet_lopen(traject)
    fase = _huidige_fase(traject)
    fasetype = fase.fasetype
    if fase.verlengingen >= fasetype.max_verlengingen:
        raise ValidationError(
            f"De fase {fasetype.naam} kan niet verder verlengd worden: het trajecttype staat "
            f"{fasetype.max_verlengingen} verlenging(en) toe en die zijn gebruikt."
        )
    omschrijving = fase.verlenging_omschrijving()
    fase.verlengingen += 1
    if fasetype.verlenging_uren:
        fase.uren_budget = (fase.uren_budget or NUL_UREN) + fasetype.verlenging_uren
    if fasetype.verlenging_maanden and fase.geplande_einddatum:
        fase.geplande_einddatum += relativedelta(months=fasetype.verlenging_maanden)
    fase.save(update_fields=["verlengingen", "uren_budget", "geplande_einddatum"])
    _besluit(
        traject=traject,
        door=door,
        onderwerp=f"{fasetype.naam} verlengd met {omschrijving}",
        toelichting=toelichting,
    )
    return fase


@transaction.atomic
def volgende_fase(*, traject, door, datum, toelichting: str = "") -> Fase:
    """Close the running phase the day before ``datum`` and start the next one on ``datum``."""
    traject = _vergrendel(traject)
    _moet_lopen(traject)
    fase = _huidige_fase(traject)
    volgende = (
        traject.trajecttype.fasetypes.filter(volgorde__gt=fase.fasetype.volgorde)
        .order_by("volgorde")
        .first()
    )
    if volgende is None:
        raise ValidationError(
            f"{fase.fasetype.naam} is de laatste fase van {traject.trajecttype}; "
            "sluit het traject af."
        )
    if volgende.vereist_plan and not (
        PlanVanAanpak.objects.filter(traject=traject, ondertekend_op__isnull=False)
        .filter(leerdoelen__isnull=False)
        .exists()
    ):
        # The fasetype asks for a plan to work from: a signed one with learning goals, not
        # the empty concept the intake made.
        raise ValidationError(
            f"Voor de fase {volgende.naam} is een ondertekend plan van aanpak met ten minste "
            "één leerdoel nodig. Stel het plan op en leg de ondertekening vast."
        )
    if datum <= fase.startdatum:
        raise ValidationError({"datum": "De nieuwe fase begint na het begin van de huidige."})
    fase.einddatum = datum - timedelta(days=1)
    fase.save(update_fields=["einddatum"])
    nieuw = volgende.fase_vanaf(datum, traject=traject)
    nieuw.save()
    if traject.status == Traject.Status.AANGEMELD:
        traject.status = Traject.Status.ACTIEF
        traject.save(update_fields=["status"])
    _besluit(
        traject=traject,
        door=door,
        onderwerp=f"Door naar de fase {volgende.naam} per {datumtekst(datum)}",
        toelichting=toelichting,
    )
    return nieuw


@transaction.atomic
def traject_afsluiten(
    *,
    traject,
    door,
    datum,
    resultaat: str,
    reden: str = "",
    contract: str = "",
    toelichting: str = "",
) -> Uitstroom:
    """Close the trajectory with its outcome (at werk: the kind of contract); running phase,
    placements and a running contract end with it."""
    traject = _vergrendel(traject)
    _moet_lopen(traject)
    if datum < traject.startdatum:
        raise ValidationError({"datum": "Het traject kan niet eindigen voor het begon."})
    if datum > timezone.localdate():
        raise ValidationError({"datum": "Een traject wordt afgesloten op of voor vandaag."})
    uitstroom = Uitstroom(
        traject=traject,
        datum=datum,
        resultaat=resultaat,
        reden=reden,
        contract=contract,
        toelichting=toelichting,
        vastgelegd_door=door,
    )
    uitstroom.full_clean(exclude=["traject"])
    later = traject.fasen.filter(einddatum__isnull=True, startdatum__gt=datum)
    if later.exists():
        raise ValidationError({"datum": "Er loopt een fase die pas na deze datum begint."})
    traject.fasen.filter(einddatum__isnull=True).update(einddatum=datum)
    Plaatsing.objects.filter(traject=traject, einddatum__isnull=True).update(einddatum=datum)
    traject.contracten.filter(Q(einddatum__isnull=True) | Q(einddatum__gt=datum)).filter(
        startdatum__lte=datum
    ).update(einddatum=datum)
    traject.status = Traject.Status.AFGESLOTEN
    traject.einddatum = datum
    traject.save(update_fields=["status", "einddatum"])
    uitstroom.save()
    _besluit(
        traject=traject,
        door=door,
        onderwerp=f"Traject afgesloten: {uitstroom.get_resultaat_display().lower()}"
        + (f" ({uitstroom.get_reden_display().lower()})" if reden else ""),
        toelichting=toelichting,
    )
    return uitstroom


def overdragen_participatie(*, traject, door, datum, toelichting: str) -> Uitstroom:
    """Hand over to route participatie: the work route closes as 'niet geleid' (Ferm Werk's
    table) and the decision is recorded for team participatie."""
    if not toelichting.strip():
        raise ValidationError({"toelichting": "Licht toe waarom de deelnemer wordt overgedragen."})
    return traject_afsluiten(
        traject=traject,
        door=door,
        datum=datum,
        resultaat=Uitstroom.Resultaat.NIET_GELEID,
        toelichting=f"Overdracht naar route participatie. {toelichting}",
    )


class WeekFouten(ValidationError):
    """Errors per cell of the week grid, keyed by (deelnemer_id, datum); nothing was saved."""

    def __init__(self, fouten: dict):
        self.fouten = fouten
        super().__init__("; ".join(fouten.values()))


@transaction.atomic
def week_opslaan(
    *, werkplek, maandag, invoer: dict, door, reden: str = "", alleen_controleren=False
) -> int:
    """Save the week grid of ``werkplek`` as typed: all cells or none.

    ``alleen_controleren`` checks without saving (WeekFouten, or 0): for the cells that
    were typed well when others were not, so that all errors show in one round.

    ``invoer`` maps (deelnemer_id, datum) to (uren, soort), with ``uren`` None for an
    empty cell. The result is the grid as typed, whatever was there before, so a double
    submit or a retry changes nothing more. The participants' trajectories are locked
    first, so the budgets and the cap are checked against what other writers committed.
    Returns the number of registrations changed.
    """
    vrijdag = maandag + timedelta(days=4)
    trajecten = list(
        Traject.objects.select_for_update(of=("self", "deelnemer"))
        .filter(deelnemer_id__in={d for d, _ in invoer}, startdatum__lte=vrijdag)
        .filter(Q(einddatum__isnull=True) | Q(einddatum__gte=maandag))
        .select_related("trajecttype", "deelnemer")
        .prefetch_related(Prefetch("fasen", queryset=Fase.objects.select_related("fasetype")))
    )
    rooster = lees_rooster(werkplek=werkplek, maandag=maandag, user=door, trajecten=trajecten)
    mag_vergrendeld = heeft_recht(door, "vergrendelde_uren_corrigeren")
    # What changes goes into UrenPerWeek and UrenPerMaand too: the old hours off, the new on.
    wijziging = _Weekwijziging(werkplek, {f.pk: t for t in trajecten for f in t.fasen.all()})
    fouten = {}
    for (deelnemer_id, datum), (uren, soort) in invoer.items():
        rij = rooster.rij(deelnemer_id)
        cel = next((c for c in rij.cellen if c.datum == datum), None) if rij else None
        if cel is None:
            fouten[deelnemer_id, datum] = "Deze deelnemer staat deze week niet op deze werkplek."
            continue
        oud = cel.registratie
        if (oud and (oud.uren, oud.soort) == (uren, soort)) or (oud is None and uren is None):
            continue  # unchanged
        if fout := _celfout(cel, uren=uren, reden=reden, mag_vergrendeld=mag_vergrendeld):
            fouten[deelnemer_id, datum] = fout
            continue
        wijziging.cel(
            deelnemer_id=deelnemer_id,
            datum=datum,
            fase=rij.fase_op(datum),
            oud=oud,
            uren=uren,
            soort=soort,
            door=door,
        )
    _budgetten_tellen(trajecten, rooster, wijziging.delta, invoer, fouten)
    if fouten:
        raise WeekFouten(fouten)
    if alleen_controleren:
        return 0
    return wijziging.schrijven(trajecten=trajecten, door=door, reden=reden)


def _celfout(cel, *, uren, reden, mag_vergrendeld) -> str | None:
    """Why the cell cannot take what was typed in it, or None."""
    if cel.meerdere:
        return "Meerdere registraties: wijzig ze per deelnemer."
    if not cel.open:
        return f"Op deze dag kan niets: {cel.reden_dicht}."
    if cel.vergrendeld and not mag_vergrendeld:
        return VERGRENDELD
    if cel.registratie is not None and not reden.strip():
        return "Geef een reden voor het wijzigen van geregistreerde uren."
    if uren is not None and cel.elders + uren > 24:
        return (
            f"Elders staat op deze dag al {uren_tekst(cel.elders)} uur; "
            "samen meer dan 24 uur kan niet."
        )
    return None


@dataclass
class _Weekwijziging:
    """What a save of the week grid changes, gathered cell by cell; nothing is written
    until :meth:`schrijven`, after every cell and budget was checked."""

    werkplek: object
    traject_van: dict  # fase_id: its locked Traject
    nieuw: list = field(default_factory=list)
    gewijzigd: list = field(default_factory=list)
    weg: list = field(default_factory=list)
    mutaties: list = field(default_factory=list)  # (registratie, actie, oude uren, oude soort)
    delta: defaultdict = field(default_factory=lambda: defaultdict(Decimal))  # per fase_id
    weektotalen: list = field(default_factory=list)
    maandtotalen: list = field(default_factory=list)

    def cel(self, *, deelnemer_id, datum, fase, oud, uren, soort, door) -> None:
        """One cell from ``oud`` (a registration, or None) to ``uren`` of ``soort``."""
        actie = UrenMutatie.Actie
        if oud is not None:
            self._tel(datum, oud.soort, oud.fase_id, -oud.uren)
        if uren is not None:
            self._tel(datum, soort, fase.pk, uren)
        if oud is None:
            registratie = Urenregistratie(
                deelnemer_id=deelnemer_id,
                fase=fase,
                werkplek=self.werkplek,
                datum=datum,
                uren=uren,
                soort=soort,
                geregistreerd_door=door,
            )
            self.nieuw.append(registratie)
            self.mutaties.append((registratie, actie.AANGEMAAKT, None, ""))
        elif uren is None:
            self.weg.append(oud)
            self.mutaties.append((oud, actie.VERWIJDERD, oud.uren, oud.soort))
        else:
            self.mutaties.append((oud, actie.GEWIJZIGD, oud.uren, oud.soort))
            oud.uren, oud.soort, oud.fase = uren, soort, fase
            self.gewijzigd.append(oud)

    def _tel(self, datum, soort, fase_id, uren) -> None:
        """``uren`` more (negative: fewer) of ``soort`` in the week and month totals, and,
        for a productive kind, on the phase's counter."""
        if soort in Urenregistratie.Soort.productief():
            self.delta[fase_id] += uren
        maand, week = _totaalregels(
            traject=self.traject_van[fase_id],
            werkplek_organisatie_id=self.werkplek.organisatie_id,
            datum=datum,
            soort=soort,
            uren=uren,
        )
        self.maandtotalen.append(maand)
        self.weektotalen.append(week)

    def schrijven(self, *, trajecten, door, reden) -> int:
        """Write the registrations, the phases' counters, the totals and the mutation log;
        returns the number of registrations changed."""
        for registratie in [*self.nieuw, *self.gewijzigd]:
            registratie.full_clean(
                exclude=["deelnemer", "fase", "werkplek", "geregistreerd_door"],
                validate_unique=False,
                validate_constraints=False,
            )
        Urenregistratie.objects.bulk_create(self.nieuw)
        Urenregistratie.objects.bulk_update(self.gewijzigd, ["uren", "soort", "fase"])
        Urenregistratie.objects.filter(pk__in=[r.pk for r in self.weg]).delete()
        Fase.objects.bulk_update(
            [f for t in trajecten for f in t.fasen.all() if f.pk in self.delta], ["uren_gebruikt"]
        )
        weektotalen_bijtellen(self.weektotalen)
        maandtotalen_bijtellen(self.maandtotalen)
        UrenMutatie.objects.bulk_create(
            _mutatie(
                registratie,
                actie,
                oude_uren,
                oude_soort,
                werkplek=self.werkplek,
                door=door,
                reden=reden,
            )
            for registratie, actie, oude_uren, oude_soort in self.mutaties
        )
        return len(self.mutaties)


def _mutatie(registratie, actie, oude_uren, oude_soort, *, werkplek, door, reden) -> UrenMutatie:
    """The mutation log's line for one registration created, changed or removed."""
    weg = actie == UrenMutatie.Actie.VERWIJDERD
    return UrenMutatie(
        registratie_id=registratie.pk,
        deelnemer_id=registratie.deelnemer_id,
        werkplek=werkplek,
        datum=registratie.datum,
        actie=actie,
        oude_uren=oude_uren,
        oude_soort=oude_soort,
        nieuwe_uren=None if weg else registratie.uren,
        nieuwe_soort="" if weg else registratie.soort,
        reden=reden,
        door=door,
    )


def _budgetten_tellen(trajecten, rooster, delta, invoer, fouten) -> None:
    """Add the save's productive hours (``delta`` per phase) to the counters of the locked
    phases, and put an error in ``fouten`` where a phase's budget or the trajectory's cap is
    passed. Only what this save adds is checked: lowering hours is always allowed, even over
    a budget."""
    for traject in trajecten:
        rij = rooster.rij(traject.deelnemer_id)
        erbij = totaal = NUL_UREN
        for fase in traject.fasen.all():
            verschil = delta.get(fase.pk, NUL_UREN)
            fase.uren_gebruikt += verschil
            erbij += verschil
            totaal += fase.uren_gebruikt
            budget = fase.uren_budget
            if verschil > 0 and budget is not None and fase.uren_gebruikt > budget:
                over = max(budget - (fase.uren_gebruikt - verschil), NUL_UREN)
                bericht = (
                    f"Past niet in het budget van de fase {fase.fasetype.naam}: deze week "
                    f"is er nog {uren_tekst(over)} uur over."
                )
                _fout_op_laatste(fouten, rij, fase, invoer, bericht)
        plafond = traject.trajecttype.max_uren
        if erbij > 0 and plafond is not None and totaal > plafond:
            over = max(plafond - (totaal - erbij), NUL_UREN)
            bericht = (
                f"Gaat over het plafond van {uren_tekst(plafond)} uur voor het hele traject: "
                f"deze week is er nog {uren_tekst(over)} uur over."
            )
            _fout_op_laatste(fouten, rij, None, invoer, bericht)


def _fout_op_laatste(fouten, rij, fase, invoer, bericht):
    """Put a budget error on the participant's last productive cell typed this week (or on
    any of their cells: the error must be shown somewhere, or the save would go through)."""
    eigen = [datum for deelnemer_id, datum in invoer if deelnemer_id == rij.deelnemer.pk]
    productief = [
        datum
        for datum in eigen
        if invoer[rij.deelnemer.pk, datum][0] is not None
        and invoer[rij.deelnemer.pk, datum][1] in Urenregistratie.Soort.productief()
        and (fase is None or fase.loopt_op(datum))
    ]
    fouten[rij.deelnemer.pk, max(productief or eigen)] = bericht


class ObservatiesGewijzigd(Exception):
    """Someone else saved observations of these participants after the page was opened."""

    def __init__(self, deelnemers):
        super().__init__("Gelijktijdig gewijzigd")
        self.deelnemers = deelnemers


@transaction.atomic
def observaties_opslaan(*, werkplek, maandag, forms, door) -> int:
    """Save the week's observations, all or none; a row left empty removes that week's
    observation. A row someone else saved since the page was opened (also a first save of
    the week by two people at once) is not overwritten: ObservatiesGewijzigd names them."""
    opgeslagen, gewijzigd = 0, []
    for form in forms:
        deelnemer = form.instance.deelnemer
        huidig = (
            Observatie.objects.select_for_update()
            .filter(deelnemer=deelnemer, werkplek=werkplek, week=maandag)
            .first()
        )
        verwacht = form.cleaned_data.get("wijziging")
        if (huidig.wijziging if huidig else None) != verwacht:
            gewijzigd.append(deelnemer)
            continue
        if form.is_leeg():
            if huidig is not None:
                huidig.delete()
            continue
        observatie = form.save(commit=False)
        observatie.werkplek, observatie.week, observatie.door = werkplek, maandag, door
        observatie.wijziging = (verwacht or 0) + 1
        try:
            with transaction.atomic():
                observatie.save()
        except IntegrityError:  # the other first save of this week committed before ours
            gewijzigd.append(deelnemer)
            continue
        opgeslagen += 1
    if gewijzigd:
        raise ObservatiesGewijzigd(gewijzigd)
    return opgeslagen


class PlanOndertekend(ValidationError):
    """A signed version is frozen."""


def _concept(plan_id) -> PlanVanAanpak:
    plan = PlanVanAanpak.objects.select_for_update().get(pk=plan_id)
    if plan.is_ondertekend:
        raise PlanOndertekend(
            f"Versie {plan.versie} is ondertekend op {datumtekst(plan.ondertekend_op)} en kan niet "
            "meer worden gewijzigd. Maak een nieuwe versie."
        )
    return plan


@transaction.atomic
def plan_opslaan(*, form, formset, wijziging: int) -> PlanVanAanpak:
    """Save a concept plan with its learning goals, unless signed or changed by someone else."""
    plan = _concept(form.instance.pk)
    if plan.wijziging != wijziging:
        raise ValidationError(
            "Iemand anders heeft dit plan intussen gewijzigd. Uw wijzigingen zijn niet "
            "opgeslagen; open het plan opnieuw om de nieuwe versie te zien."
        )
    plan = form.save(commit=False)
    plan.wijziging = wijziging + 1
    plan.save()
    formset.instance = plan
    formset.save()
    return plan


@transaction.atomic
def plan_nieuwe_versie(*, traject, door) -> PlanVanAanpak:
    """A new concept version, copied from the latest, when the plan is revised."""
    _vergrendel(traject)
    laatste = traject.plannen.order_by("-versie").first()
    if laatste is not None and not laatste.is_ondertekend:
        raise ValidationError(
            f"Versie {laatste.versie} is nog een concept; werk die bij in plaats van een "
            "nieuwe versie te maken."
        )
    leerdoelen = list(laatste.leerdoelen.all()) if laatste else []
    nieuw = PlanVanAanpak.objects.create(
        traject=traject,
        versie=(laatste.versie + 1) if laatste else 1,
        afstand_tot_arbeidsmarkt=laatste.afstand_tot_arbeidsmarkt
        if laatste
        else AfstandTotArbeidsmarkt.LANG,
        afspraken=laatste.afspraken if laatste else "",
        vervolgroute=laatste.vervolgroute if laatste else "",
        elearning=laatste.elearning if laatste else "",
        werkplek_soort=laatste.werkplek_soort if laatste else "",
        opgesteld_door=door,
    )
    Leerdoel.objects.bulk_create(
        Leerdoel(
            plan=nieuw,
            soort=d.soort,
            omschrijving=d.omschrijving,
            instrumenten=d.instrumenten,
            status=d.status,
        )
        for d in leerdoelen
    )
    _besluit(traject=traject, door=door, onderwerp=f"Plan van aanpak versie {nieuw.versie} gestart")
    return nieuw


@transaction.atomic
def plan_opslaan_en_ondertekenen(*, form, formset, wijziging: int, datum, door):
    """Save what was typed on the page and sign that version, all or nothing: signing never
    throws the edits away, and a refused signature saves nothing."""
    plan = plan_opslaan(form=form, formset=formset, wijziging=wijziging)
    return plan_ondertekenen(plan=plan, datum=datum, door=door)


@transaction.atomic
def plan_ondertekenen(*, plan, datum, door) -> PlanVanAanpak:
    """Record that the participant discussed and signed this version on ``datum``."""
    plan = _concept(plan.pk)
    if datum < plan.opgesteld_op:
        raise ValidationError(
            {"datum": "Een plan wordt ondertekend op of na de dag van opstellen."}
        )
    if datum > timezone.localdate():
        raise ValidationError({"datum": "De datum van ondertekening ligt in de toekomst."})
    if not plan.leerdoelen.exists():
        raise ValidationError("Een plan zonder leerdoelen kan niet worden ondertekend.")
    plan.ondertekend_op = datum
    plan.ondertekening_vastgelegd_door = door
    plan.save(update_fields=["ondertekend_op", "ondertekening_vastgelegd_door"])
    _besluit(
        traject=plan.traject,
        door=door,
        onderwerp=f"Plan van aanpak versie {plan.versie} ondertekend op {datumtekst(datum)}",
    )
    return plan


@transaction.atomic
def rapportage_opslaan(*, form, traject, door) -> Voortgangsrapportage:
    """Save the report with the progress per learning goal. The plan itself is not touched:
    a signed version stays as it was signed; its next version takes the progress on."""
    rapportage = form.save(commit=False)
    rapportage.traject = traject
    rapportage.opgesteld_door = door
    rapportage.save()
    voortgang = form.voortgang()
    LeerdoelVoortgang.objects.bulk_create(
        LeerdoelVoortgang(rapportage=rapportage, leerdoel=doel, status=status, toelichting=tekst)
        for doel, status, tekst in voortgang
    )
    _besluit(
        traject=traject,
        door=door,
        onderwerp=f"Voortgangsrapportage: advies {rapportage.get_advies_display().lower()}",
    )
    return rapportage


@transaction.atomic
def rapportage_wijzigen(*, form, wijziging: int, door) -> Voortgangsrapportage:
    """Save an edited report and its progress per learning goal, unless someone else saved it
    after the form was opened (``wijziging`` is the number the form was opened with)."""
    rapportage = form.instance
    bijgewerkt = Voortgangsrapportage.objects.filter(pk=rapportage.pk, wijziging=wijziging).update(
        wijziging=F("wijziging") + 1
    )
    if not bijgewerkt:
        raise ValidationError(
            "Iemand anders heeft deze rapportage intussen gewijzigd. Uw wijzigingen zijn niet "
            "opgeslagen; open de rapportage opnieuw om de nieuwe versie te zien."
        )
    rapportage = form.save(commit=False)
    rapportage.wijziging = wijziging + 1
    rapportage.gewijzigd_door = door
    rapportage.gewijzigd_op = timezone.now()
    rapportage.save()
    rijen = {rij.leerdoel_id: rij for rij in rapportage.leerdoelen.all()}
    for doel, status, toelichting in form.voortgang():
        rijen[doel.pk].status, rijen[doel.pk].toelichting = status, toelichting
    LeerdoelVoortgang.objects.bulk_update(rijen.values(), ["status", "toelichting"])
    return rapportage


def weektotalen_bijtellen(regels) -> None:
    """Add hours to UrenPerWeek: ``regels`` are (datum, soort, aanbieder_id,
    werkplek_organisatie_id, verwijzer_id or None, uren), negative for what was taken away.
    Call inside the transaction that writes the registrations."""
    totalen = defaultdict(Decimal)
    for datum, soort, aanbieder_id, werkplek_org_id, verwijzer_id, uren in regels:
        totalen[maandag_van(datum), soort, aanbieder_id, werkplek_org_id, verwijzer_id or 0] += uren
    _optellen(
        UrenPerWeek,
        ["week", "soort", "aanbieder_id", "werkplek_organisatie_id", "verwijzer_id"],
        totalen,
    )


def maandtotalen_bijtellen(regels) -> None:
    """Add productive hours to UrenPerMaand: ``regels`` are (traject_id, datum, soort, uren),
    negative for what was taken away; other kinds are left out. Call inside the transaction
    that writes the registrations."""
    productief = Urenregistratie.Soort.productief()
    totalen = defaultdict(Decimal)
    for traject_id, datum, soort, uren in regels:
        if soort in productief:
            totalen[traject_id, datum.replace(day=1)] += uren
    _optellen(UrenPerMaand, ["traject_id", "maand"], totalen)


def _optellen(model, sleutel: list[str], totalen: dict) -> None:
    """Add each of ``totalen`` (key tuple: hours) to the ``uren`` of ``model``'s row with that
    key, creating it when there is none. The same upsert on PostgreSQL and SQLite, with only
    placeholders in the text. Rows go in key order, so two writers touching the same keys
    lock them in the same order."""
    rijen = sorted((k, v) for k, v in totalen.items() if v)
    if not rijen:
        return
    tabel = connection.ops.quote_name(model._meta.db_table)
    kolommen = ", ".join(sleutel)
    waarden = ", ".join([f"({', '.join(['%s'] * (len(sleutel) + 1))})"] * len(rijen))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {tabel} ({kolommen}, uren) VALUES {waarden} "
            f"ON CONFLICT ({kolommen}) DO UPDATE SET uren = {tabel}.uren + excluded.uren",
            [w for k, uren in rijen for w in (*k, uren)],
        )


def _uren_per_week(registraties, *meer):
    """Registrations summed per key of UrenPerWeek (and ``meer`` fields)."""
    return (
        registraties.annotate(week=TruncWeek("datum"))
        .values("week", "soort", "fase__traject__aanbieder", "werkplek__organisatie", *meer)
        .annotate(totaal=Sum("uren"))
        .order_by()
    )


@transaction.atomic
def verwijzer_gewijzigd(*, deelnemer_id, oud, nieuw) -> None:
    """A participant has another referrer (ids, or None): their hours move with them in the
    week totals. Every write that changes a referrer calls this."""
    if oud == nieuw:
        return
    weektotalen_bijtellen(
        (
            r["week"],
            r["soort"],
            r["fase__traject__aanbieder"],
            r["werkplek__organisatie"],
            verwijzer,
            teken * r["totaal"],
        )
        for r in _uren_per_week(Urenregistratie.objects.filter(deelnemer_id=deelnemer_id))
        for verwijzer, teken in ((oud, -1), (nieuw, 1))
    )


@transaction.atomic
def maandtotalen_opnieuw_opbouwen() -> None:
    """Recompute UrenPerMaand from all registrations (after a bulk load; to check it), in
    one statement: at 100,000 participants that is half a million rows."""
    UrenPerMaand.objects.all().delete()
    per_maand = (
        Urenregistratie.objects.productief()
        .annotate(maand=TruncMonth("datum"))
        .values("fase__traject", "maand")
        .annotate(totaal=Sum("uren"))
        .order_by()
        .values_list("fase__traject", "maand", "totaal")
    )
    sql, params = per_maand.query.sql_with_params()
    tabel = connection.ops.quote_name(UrenPerMaand._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {tabel} (traject_id, maand, uren) {sql}", params)


@transaction.atomic
def weektotalen_opnieuw_opbouwen() -> None:
    """Recompute UrenPerWeek from all registrations (after a bulk load; to check it)."""
    UrenPerWeek.objects.all().delete()
    UrenPerWeek.objects.bulk_create(
        UrenPerWeek(
            week=r["week"],
            soort=r["soort"],
            aanbieder_id=r["fase__traject__aanbieder"],
            werkplek_organisatie_id=r["werkplek__organisatie"],
            verwijzer_id=r["deelnemer__verwijzer"] or 0,
            uren=r["totaal"],
        )
        for r in _uren_per_week(Urenregistratie.objects.all(), "deelnemer__verwijzer")
    )


@transaction.atomic
def instrument_vastleggen(*, form, traject, door) -> Instrumentinzet:
    """Record a training, certificate or employer instrument for a running trajectory, with a
    line in the journal."""
    _moet_lopen(_vergrendel(traject))
    inzet = form.save(commit=False)
    inzet.traject = traject
    inzet.full_clean()
    inzet.save()
    _besluit(
        traject=traject,
        door=door,
        onderwerp=f"Instrument ingezet: {inzet.get_instrument_display()} vanaf "
        f"{datumtekst(inzet.startdatum)}",
    )
    return inzet

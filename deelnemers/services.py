"""Writes on participants. Each is atomic; edits are refused when someone else saved first."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.views.decorators.debug import sensitive_variables

from reintegratie.agenda.regels import regels_toepassen
from reintegratie.taken.services import taak_uit_journaal
from reintegratie.templatetags.opmaak import datum as datumtekst
from trajecten.models import PlanVanAanpak, Traject
from trajecten.services import verwijzer_gewijzigd

from .beslisboom import VRAGEN, route_voor, trajecttype_voor_route
from .models import Contactmoment, Deelnemer, Intake, LadderTrede, ladder_uitersten


class GelijktijdigGewijzigd(Exception):
    """Someone else saved this participant after the form was opened."""

    bericht = (
        "Iemand anders heeft deze gegevens intussen gewijzigd. Uw wijzigingen zijn niet "
        "opgeslagen; open het formulier opnieuw om de nieuwe gegevens te zien."
    )


@transaction.atomic
def deelnemer_aanmaken(*, form, klantmanager) -> Deelnemer:
    deelnemer = form.save(commit=False)
    deelnemer.klantmanager = klantmanager
    deelnemer.regie = klantmanager.organisatie
    deelnemer.save()
    form.save_m2m()
    return deelnemer


@transaction.atomic
def deelnemer_wijzigen(*, form, versie: int) -> Deelnemer:
    """Save the form if the row still has ``versie``; bumps the version in the same UPDATE."""
    deelnemer = form.instance
    bijgewerkt = Deelnemer.objects.filter(pk=deelnemer.pk, versie=versie).update(
        versie=F("versie") + 1
    )
    if not bijgewerkt:
        raise GelijktijdigGewijzigd(GelijktijdigGewijzigd.bericht)
    deelnemer.versie = versie + 1
    form.save()
    if "verwijzer" in form.changed_data:
        verwijzer_gewijzigd(
            deelnemer_id=deelnemer.pk,
            oud=form.initial.get("verwijzer"),
            nieuw=deelnemer.verwijzer_id,
        )
    return deelnemer


@transaction.atomic
def contactmoment_toevoegen(*, deelnemer, door, eigenaar=None, **gegevens) -> Contactmoment:
    """A journal entry; its next action becomes a task for ``eigenaar`` (else the writer)."""
    contactmoment = Contactmoment(deelnemer=deelnemer, door=door, **gegevens)
    contactmoment.full_clean()
    contactmoment.save()
    taak_uit_journaal(contactmoment=contactmoment, eigenaar=eigenaar)
    return contactmoment


@transaction.atomic
def ladder_vastleggen(*, deelnemer, datum, trede, door) -> tuple[LadderTrede, bool]:
    """Record ``deelnemer``'s step on the participatieladder on ``datum`` and note the move in
    the journal. Returns the measurement and whether it is new, as get_or_create does.

    A second measurement on the same day replaces that day's step instead of being refused:
    the ladder keeps one step per day, so a second one that day is a correction (a wrong
    choice, or the conversation went on), and refusing it would leave the wrong step standing
    with no way to correct it from the dossier.
    """
    # Lock the participant so that two people recording the same day are served one after
    # the other: both would otherwise find no step that day, and one insert would fail.
    Deelnemer.objects.select_for_update().only("pk").get(pk=deelnemer.pk)
    laatste = deelnemer.ladder.filter(datum__lte=datum).order_by("-datum").first()
    vorige = laatste.trede if laatste else None
    if laatste and laatste.datum == datum:
        stap = laatste
    else:
        stap = LadderTrede(deelnemer=deelnemer, datum=datum)
    nieuw = stap.pk is None
    stap.trede = trede
    stap.vastgesteld_door = door
    stap.full_clean()
    stap.save()
    # A step back in time can be the new first one, a correction today the new latest one.
    Deelnemer.objects.filter(pk=deelnemer.pk).update(**ladder_uitersten())

    if vorige is None:
        beweging = f"trede {trede}"
    elif vorige == trede:
        beweging = f"trede {trede} (ongewijzigd)"
    else:
        beweging = f"trede {vorige} → {trede}"
    Contactmoment.objects.create(
        deelnemer=deelnemer,
        soort=Contactmoment.Soort.NOTITIE,
        onderwerp=f"Participatieladder: {beweging}",
        verslag=f"Vastgesteld op {datumtekst(datum)}: trede {stap.get_trede_display()}.",
        door=door,
    )
    return stap, nieuw


@sensitive_variables()  # the BSN, here and in every frame below (the SQL's parameters)
def intake_beginnen(*, bsn: str, door) -> tuple[Intake | None, Deelnemer | None]:
    """Find by BSN first, never a duplicate.

    Returns the concept intake to continue (None when no intake can start here: the BSN is
    known and ``door``'s organisation does not hold the case, or another organisation has a
    concept for it), and the known participant, for the audit log only: the caller says what
    to do next, never who knows the person.
    """
    from reintegratie.access import Handeling, handeling_scope

    bestaand = Deelnemer.objects.filter(bsn=bsn).first()
    regie = bestaand is not None and (
        Deelnemer.objects.filter(handeling_scope(door, Handeling.GEGEVENS_WIJZIGEN))
        .filter(pk=bestaand.pk)
        .exists()
    )
    if bestaand is not None and not regie:
        # Known here but not our case: no intake, whether a concept exists or not.
        return None, bestaand
    # Idempotent: the same BSN sent twice at once (a double click, two tabs) makes one
    # concept. get_or_create inserts in a savepoint; when the other request inserted first
    # (the unique constraint een_concept_intake_per_bsn), it catches the IntegrityError and
    # reads the concept that won, to which the rules below apply as to any existing one.
    concept, nieuw = Intake.objects.concepten().get_or_create(
        bsn=bsn,
        status=Intake.Status.CONCEPT,
        defaults={"deelnemer": bestaand, "aangemaakt_door": door, "consulent_werk": door},
    )
    if nieuw:
        return concept, bestaand
    eigen = Intake.objects.zichtbaar_voor(door).filter(pk=concept.pk).exists()
    return (concept if eigen else None), bestaand


def intake_concept_opslaan(*, intake, gegevens: dict) -> Intake:
    """Keep what was typed, unvalidated, so an interrupted intake is not lost.

    ``gegevens`` is the POST as lists (``dict(request.POST.lists())``). NUL bytes are dropped
    from names and values, all else is kept as typed: PostgreSQL refuses ``\\u0000`` in
    JSON, and the whole concept would be lost to one stray byte.
    """

    def zonder_nul(waarde):
        if isinstance(waarde, str):
            return waarde.replace("\x00", "")
        if isinstance(waarde, list | tuple):
            return [zonder_nul(w) for w in waarde]
        return waarde

    concept = {}
    for naam, waarden in gegevens.items():
        naam, waarden = zonder_nul(naam), zonder_nul(waarden)
        if naam == "csrfmiddlewaretoken":
            continue
        if isinstance(concept.get(naam), list) and isinstance(waarden, list):
            concept[naam] += waarden  # "a\x00" and "a" sent both: keep both
        else:
            concept[naam] = waarden
    intake.concept = concept
    intake.save(update_fields=["concept", "gewijzigd_op"])
    return intake


@transaction.atomic
@sensitive_variables()  # the person and the intake's answers, in no error report
def intake_afronden(*, intake, deelnemer_form, intake_form, door) -> Traject:
    """Complete the intake: the participant, the trajectory with its first phase a week on
    (or as chosen), and the draft plan van aanpak, all or nothing."""
    gegevens = intake_form.cleaned_data
    deelnemer = _intake_deelnemer(deelnemer_form, gegevens=gegevens, door=door)
    if Traject.objects.lopend().filter(deelnemer=deelnemer).exists():
        raise ValidationError("Deze deelnemer heeft al een lopend traject.")

    antwoorden = {code: gegevens[code] for code, _ in VRAGEN}
    route = route_voor(
        leeftijd=deelnemer.leeftijd(op=gegevens["datum"]),
        antwoorden=antwoorden,
        afstand=gegevens["afstand_tot_arbeidsmarkt"],
    )
    trajecttype = _trajecttype(gegevens, route=route, organisatie=door.organisatie)
    eerste = trajecttype.fasetypes.order_by("volgorde").first()
    start = gegevens["trajectstart"]
    traject = Traject.objects.create(
        deelnemer=deelnemer,
        trajecttype=trajecttype,
        route=route,
        status=Traject.Status.AANGEMELD,
        aanmelddatum=gegevens["datum"],
        startdatum=start,
        aanbieder=door.organisatie,
        klantmanager=deelnemer.klantmanager,
    )
    eerste.fase_vanaf(start, traject=traject).save()
    # The trajecttype's rules put their appointments (verdiepende intake...) in the agenda.
    regels_toepassen(traject=traject)
    PlanVanAanpak.objects.create(
        traject=traject,
        versie=1,
        afstand_tot_arbeidsmarkt=gegevens["afstand_tot_arbeidsmarkt"],
        opgesteld_door=door,
        opgesteld_op=gegevens["datum"],
    )
    _intake_vastleggen(
        intake,
        deelnemer=deelnemer,
        traject=traject,
        gegevens=gegevens,
        antwoorden=antwoorden,
        route=route,
    )
    Contactmoment.objects.create(
        deelnemer=deelnemer,
        soort=Contactmoment.Soort.GESPREK,
        onderwerp=f"Intake: {traject.get_route_display().lower()}, {trajecttype} per "
        f"{datumtekst(start)}",
        verslag="\n\n".join(
            tekst
            for tekst in (
                gegevens.get("verslag", ""),
                gegevens.get("reden_afwijking")
                and f"Ander trajecttype dan het voorstel: {gegevens['reden_afwijking']}",
            )
            if tekst
        ),
        door=door,
    )
    return traject


def _intake_deelnemer(deelnemer_form, *, gegevens, door):
    """Save the participant of the intake, new or known; the klantmanager doing it and
    their organisation take the case where nobody had it."""
    bekend = deelnemer_form.instance.pk is not None
    deelnemer = deelnemer_form.save(commit=False)
    if bekend and "verwijzer" in deelnemer_form.changed_data:
        verwijzer_gewijzigd(
            deelnemer_id=deelnemer.pk,
            oud=deelnemer_form.initial.get("verwijzer"),
            nieuw=deelnemer.verwijzer_id,
        )
    if deelnemer.klantmanager_id is None:
        deelnemer.klantmanager = door
    if deelnemer.regie_id is None:
        # The organisation doing the intake owns the case from now on.
        deelnemer.regie = door.organisatie
    if gegevens["inburgeringsplicht"]:
        deelnemer.inburgeringsplichtig = True
    deelnemer.save()
    deelnemer_form.save_m2m()
    return deelnemer


def _intake_vastleggen(intake, *, deelnemer, traject, gegevens, antwoorden, route) -> None:
    """The intake completed, with what was answered and what came of it; its draft is
    cleared."""
    intake.deelnemer = deelnemer
    intake.traject = traject
    intake.status = Intake.Status.AFGEROND
    intake.datum = gegevens["datum"]
    intake.consulent_werk = gegevens["consulent_werk"]
    intake.consulent_inkomen = gegevens["consulent_inkomen"]
    intake.beslisboom = antwoorden
    intake.afstand_tot_arbeidsmarkt = gegevens["afstand_tot_arbeidsmarkt"]
    intake.route = route
    intake.werkervaringsovereenkomst = gegevens["werkervaringsovereenkomst"]
    intake.concept = {}
    intake.save()


def _trajecttype(gegevens, *, route, organisatie):
    """The route's trajecttype, or the klantmanager's other choice with a reason."""
    voorstel = trajecttype_voor_route(organisatie=organisatie, route=route)
    gekozen = gegevens.get("trajecttype") or voorstel
    if gekozen is None:
        bericht = f"Bij {route.label.lower()} is geen trajecttype ingericht; kies er een."
        raise ValidationError({"trajecttype": bericht})
    if gekozen != voorstel and not (gegevens.get("reden_afwijking") or "").strip():
        raise ValidationError(
            {
                "reden_afwijking": f"De antwoorden geven {route.label.lower()}, met "
                f"{voorstel or 'geen trajecttype'}. Zeg waarom u {gekozen} kiest."
            }
        )
    return gekozen

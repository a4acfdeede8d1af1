"""Partner meeting pages: thin views that parse, authorise, call a service and render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from deelnemers.models import Deelnemer
from reintegratie.access import (
    Handeling,
    deelnemer_voor_view,
    heeft_recht,
    log_toegang,
    vereist_recht,
)
from reintegratie.afdrukken import services as afdrukken
from reintegratie.afdrukken.models import Afdrukopdracht
from reintegratie.audit.models import AuditRecord
from reintegratie.audit.verwerking import verwerking

from . import agenda, planning, vergaderstukken
from .forms import (
    AfspraakFormSet,
    OverlegForm,
    OverlegWijzigenForm,
    ToevoegenForm,
    VerplaatsForm,
    VerslagForm,
)
from .models import Bespreking, Bijeenkomst, Overleg
from .samenvatting import agenda_voor, samenvattingen, sinds_vorige
from .verslag import AfspraakFout, leg_verslag_vast

# Shared participants offered to add by hand: enough for a meeting, never a whole caseload.
KEUZES_MAXIMUM = 200
NIET_DE_ORGANISATOR = "Alleen de organisator plant en wijzigt de agenda."


def _fout_bij_velden(form, fout: ValidationError, velden: dict[str, str]) -> None:
    """A service's error at the form's fields: ``velden`` maps the model's names to the
    form's; what has no field of its own stands above the form."""
    for naam, berichten in fout.message_dict.items():
        naam = velden.get(naam, naam)
        form.add_error(naam if naam in form.fields else None, berichten)


def _organiseert(user, overleg) -> bool:
    return heeft_recht(user, "overleg_plannen") and user.organisatie_id == overleg.organisator_id


def _bijeenkomst(request, pk, planner=False):
    vereist_recht(request.user, "overleg_zien")
    bijeenkomst = get_object_or_404(
        Bijeenkomst.objects.zichtbaar_voor(request.user).select_related("overleg"), pk=pk
    )
    if planner and not _organiseert(request.user, bijeenkomst.overleg):
        raise Http404(NIET_DE_ORGANISATOR)
    return bijeenkomst


@verwerking("partneroverleg")
def lijst(request):
    vereist_recht(request.user, "overleg_zien")
    overleggen = Overleg.objects.zichtbaar_voor(request.user).select_related("organisator")
    return render(
        request,
        "overleg/lijst.html",
        {"overleggen": overleggen, "plannen": heeft_recht(request.user, "overleg_plannen")},
    )


@verwerking("partneroverleg")
@require_http_methods(["GET", "POST"])
def nieuw(request):
    vereist_recht(request.user, "overleg_plannen")
    organisator = request.user.organisatie
    if "_zoeken" in request.POST:
        form = OverlegForm.opnieuw(request.POST, organisator=organisator)
    else:
        form = OverlegForm(
            request.POST or None, organisator=organisator, initial={"aanwezigen": [request.user]}
        )
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        try:
            overleg = planning.maak_overleg(
                naam=d["naam"],
                organisator=organisator,
                organisaties=d["organisaties"],
                aanwezigen=d["aanwezigen"],
                interval_weken=d["interval_weken"],
                eerste_begin=d["begin"],
                duur_minuten=d["duur_minuten"],
                plaats=d["plaats"],
                door=request.user,
            )
        except ValidationError as fout:
            _fout_bij_velden(form, fout, {"eerste_begin": "datum"})
        else:
            messages.success(request, "Het overleg is gepland.")
            return redirect("overleg:detail", overleg.pk)
    return render(request, "overleg/nieuw.html", {"form": form})


@verwerking("partneroverleg")
@require_GET
def aanwezigen(request):
    """The planning form's attendee checkboxes for a search, as htmx asks them: who is
    chosen, and who the search finds among the organisations at the table."""
    vereist_recht(request.user, "overleg_plannen")
    form = OverlegWijzigenForm.opnieuw(request.GET, organisator=request.user.organisatie)
    return render(request, "fragmenten/medewerkers_keuzes.html", {"veld": form["aanwezigen"]})


@verwerking("partneroverleg")
def detail(request, pk):
    vereist_recht(request.user, "overleg_zien")
    overleg = get_object_or_404(
        Overleg.objects.zichtbaar_voor(request.user).select_related("organisator"), pk=pk
    )
    return render(
        request,
        "overleg/detail.html",
        {
            "overleg": overleg,
            "organisaties": overleg.organisaties.order_by("naam"),
            "aanwezigen": overleg.aanwezigen.select_related("organisatie"),
            "bijeenkomsten": overleg.bijeenkomsten.all(),
            "nu": timezone.now(),
            "organiseert": _organiseert(request.user, overleg),
        },
    )


@verwerking("partneroverleg")
@require_http_methods(["GET", "POST"])
def wijzigen(request, pk):
    """The organiser changes who sits at the table, the name, duration and place."""
    vereist_recht(request.user, "overleg_plannen")
    overleg = get_object_or_404(
        Overleg.objects.zichtbaar_voor(request.user).select_related("organisator"), pk=pk
    )
    if not _organiseert(request.user, overleg):
        raise Http404(NIET_DE_ORGANISATOR)
    if "_zoeken" in request.POST:
        form = OverlegWijzigenForm.opnieuw(request.POST, organisator=overleg.organisator)
    else:
        form = OverlegWijzigenForm(
            request.POST or None,
            organisator=overleg.organisator,
            initial={
                "naam": overleg.naam,
                "organisaties": overleg.organisaties.exclude(pk=overleg.organisator_id),
                "aanwezigen": overleg.aanwezigen.all(),
                "duur_minuten": overleg.duur_minuten,
                "plaats": overleg.plaats,
            },
        )
    if form.is_bound and form.is_valid():
        try:
            planning.wijzig_overleg(overleg=overleg, **form.cleaned_data)
        except ValidationError as fout:
            _fout_bij_velden(form, fout, {})
        else:
            messages.success(request, "Het overleg is gewijzigd.")
            return redirect("overleg:detail", overleg.pk)
    return render(request, "overleg/wijzigen.html", {"form": form, "overleg": overleg})


@verwerking("partneroverleg")
@require_POST
def vooruit(request, pk):
    vereist_recht(request.user, "overleg_plannen")
    overleg = get_object_or_404(
        Overleg.objects.zichtbaar_voor(request.user).filter(
            organisator_id=request.user.organisatie_id
        ),
        pk=pk,
    )
    nieuw = planning.plan_vooruit(overleg=overleg)
    messages.success(request, f"{len(nieuw)} bijeenkomsten erbij gepland.")
    return redirect("overleg:detail", overleg.pk)


@verwerking("partneroverleg")
@require_http_methods(["GET", "POST"])
def verplaatsen(request, pk):
    bijeenkomst = _bijeenkomst(request, pk, planner=True)
    begin = timezone.localtime(bijeenkomst.begin)
    form = VerplaatsForm(
        request.POST or None,
        initial={"datum": begin.date(), "tijd": begin.time(), "plaats": bijeenkomst.plaats},
    )
    if request.method == "POST" and form.is_valid():
        try:
            planning.verplaats(
                bijeenkomst=bijeenkomst,
                begin=form.cleaned_data["begin"],
                plaats=form.cleaned_data["plaats"],
            )
        except ValidationError as fout:
            _fout_bij_velden(form, fout, {"begin": "datum"})
        else:
            messages.success(request, "De bijeenkomst is verplaatst.")
            return redirect("overleg:bijeenkomst", bijeenkomst.pk)
    return render(request, "overleg/verplaatsen.html", {"bijeenkomst": bijeenkomst, "form": form})


def _keuzes(request, bijeenkomst, besprekingen):
    """The shared participants the user sees and that are not on the agenda yet."""
    op_agenda = [b.deelnemer_id for b in besprekingen]
    return [
        (d.pk, d.naam)
        for d in Deelnemer.objects.zichtbaar_voor(request.user)
        .filter(agenda.gedeeld(bijeenkomst.overleg))
        .exclude(pk__in=op_agenda)
        .only("voornaam", "tussenvoegsel", "achternaam")
        .order_by("achternaam", "voornaam", "pk")[:KEUZES_MAXIMUM]
    ]


@verwerking("partneroverleg")
@require_http_methods(["GET", "POST"])
def bijeenkomst(request, pk):
    """The occurrence's agenda: what the user may see of it, and for the organiser the
    proposal and the hand edits (POST ``actie``)."""
    bijeenkomst = _bijeenkomst(request, pk)
    organiseert = _organiseert(request.user, bijeenkomst.overleg)
    besprekingen = agenda_voor(bijeenkomst, request.user)
    form = None
    if organiseert:
        form = ToevoegenForm(
            request.POST if request.POST.get("actie") == "toevoegen" else None,
            keuzes=_keuzes(request, bijeenkomst, besprekingen),
        )
    if request.method == "POST":
        if not organiseert:
            raise Http404(NIET_DE_ORGANISATOR)
        fout = _wijzig_agenda(request, bijeenkomst, besprekingen, form)
        if fout is None:
            return redirect("overleg:bijeenkomst", bijeenkomst.pk)
    log_toegang(request, [b.deelnemer for b in besprekingen], AuditRecord.Actie.IN_LIJST)
    return render(
        request,
        "overleg/bijeenkomst.html",
        {
            "bijeenkomst": bijeenkomst,
            "besprekingen": besprekingen,
            "organiseert": organiseert,
            "form": form,
        },
    )


def _wijzig_agenda(request, bijeenkomst, besprekingen, form):
    """Carries out the POSTed ``actie``; returns None when done, else an error shown."""
    actie = request.POST.get("actie", "")
    if actie == "voorstellen":
        nieuw = agenda.stel_agenda_voor(bijeenkomst=bijeenkomst)
        messages.success(request, f"{len(nieuw)} deelnemers op de agenda gezet.")
        return None
    if actie == "toevoegen":
        if not form.is_valid():
            return form.errors
        deelnemer = deelnemer_voor_view(request, form.cleaned_data["deelnemer"], actie=None)
        try:
            agenda.voeg_toe(bijeenkomst=bijeenkomst, deelnemer=deelnemer)
        except ValidationError as fout:
            form.add_error("deelnemer", fout.message_dict["deelnemer"])
            return form.errors
        return None
    eigen = {str(b.pk): b for b in besprekingen}
    bespreking = eigen.get(request.POST.get("bespreking", ""))
    if bespreking is None or actie not in ("weghalen", "omhoog", "omlaag"):
        messages.error(request, "Kies een deelnemer op de agenda en wat u wilt doen.")
        return "ongeldig"
    try:
        if actie == "weghalen":
            agenda.haal_weg(bespreking=bespreking)
        else:
            agenda.verschuif(bespreking=bespreking, omhoog=actie == "omhoog")
    except ValidationError as fout:
        messages.error(request, fout.message_dict["bespreking"][0])
    return None


def _bespreking(request, pk):
    vereist_recht(request.user, "overleg_zien")
    bespreking = get_object_or_404(
        Bespreking.objects.zichtbaar_voor(request.user).select_related("bijeenkomst__overleg"),
        pk=pk,
    )
    bespreking.deelnemer = deelnemer_voor_view(request, bespreking.deelnemer_id, actie=None)
    return bespreking


@verwerking("partneroverleg")
@require_http_methods(["GET", "POST"])
def bespreking(request, pk):
    """One participant's summary, and the minutes for whoever may write the journal."""
    bespreking = _bespreking(request, pk)
    deelnemer = bespreking.deelnemer
    schrijft = deelnemer.toegang.mag(Handeling.JOURNAAL_SCHRIJVEN)
    eigenaren = list(bespreking.bijeenkomst.overleg.aanwezigen.select_related("organisatie"))
    data = request.POST if request.method == "POST" else None
    form = VerslagForm(
        data, initial={"verslag": bespreking.verslag, "wijziging": bespreking.wijziging}
    )
    afspraken = AfspraakFormSet(data, prefix="afspraken", form_kwargs={"eigenaren": eigenaren})
    if request.method == "POST":
        if not schrijft:
            raise Http404("U schrijft geen journaal bij deze deelnemer.")
        if form.is_valid() and afspraken.is_valid():
            try:
                leg_verslag_vast(
                    bespreking=bespreking,
                    verslag=form.cleaned_data["verslag"],
                    afspraken=[
                        f.cleaned_data for f in afspraken if f.cleaned_data.get("omschrijving")
                    ],
                    wijziging=form.cleaned_data["wijziging"],
                    door=request.user,
                )
            except ValidationError as fout:
                _fout_bij_velden(form, fout, {})
            except AfspraakFout as fout:
                _fout_bij_afspraak(afspraken, fout)
            else:
                log_toegang(request, deelnemer, AuditRecord.Actie.GEWIJZIGD, "verslag")
                messages.success(request, "Het verslag staat in het dossier.")
                return redirect("overleg:bijeenkomst", bespreking.bijeenkomst_id)
    log_toegang(request, deelnemer, AuditRecord.Actie.BEKEKEN)
    bespreking.refresh_from_db(fields=["verslag", "wijziging", "verslag_op"])
    van, tot = sinds_vorige(bespreking.bijeenkomst)
    return render(
        request,
        "overleg/bespreking.html",
        {
            "bespreking": bespreking,
            "deelnemer": deelnemer,
            "mag": deelnemer.toegang.sjabloon,
            "samenvatting": samenvattingen(
                besprekingen=[bespreking], lezer=request.user, van=van, tot=tot
            )[deelnemer.pk],
            "van": van,
            "tot": tot,
            "schrijft": schrijft,
            "form": form,
            "afspraken": afspraken,
            "gemaakt": bespreking.afspraken.zichtbaar_voor(request.user).select_related("eigenaar"),
        },
    )


def _fout_bij_afspraak(afspraken, fout: AfspraakFout):
    """The task's error at the row of the afspraak it came from (the rows filled in, as
    they were passed to the service)."""
    regels = [f for f in afspraken if f.cleaned_data.get("omschrijving")]
    _fout_bij_velden(regels[fout.index], fout.fout, {})


@require_POST
@verwerking("partneroverleg")
def pakket(request, pk):
    """Ask for the meeting pack of the user's organisation (its participants only); a task
    worker makes it while the batch's page shows how far it is."""
    bijeenkomst = _bijeenkomst(request, pk)
    opdracht, _ = afdrukken.starten(
        gebruiker=request.user,
        soort=Afdrukopdracht.Soort.OVERLEGPAKKET,
        periode=timezone.localdate(bijeenkomst.begin),
        onderwerp=str(bijeenkomst.pk),
        inhoud=vergaderstukken.inhoud(bijeenkomst),
        totaal=vergaderstukken.aantal(bijeenkomst, request.user),
    )
    return redirect("afdrukopdracht", pk=opdracht.pk)

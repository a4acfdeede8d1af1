"""Inzage (AVG art. 15): what the application holds on a participant, for the participant.

The page says what an inzage holds; the PDF is for the person to read, the JSON for them to
take elsewhere (AVG art. 20). Both are logged as an inzage after they are made, so each
holds the log up to just before itself and the next one shows it.
"""

import dataclasses

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from reintegratie import inzage as inzagedienst
from reintegratie.access import Categorie, Handeling, deelnemer_voor_view, log_toegang
from reintegratie.audit.models import AuditRecord
from reintegratie.audit.verwerking import verwerking
from reintegratie.pdf import render_to_pdf


def _deelnemer(request, pk, actie=None):
    return deelnemer_voor_view(request, pk, actie=actie, nodig=Handeling.INZAGE_GEVEN)


def _log_inzage(request, deelnemer, omschrijving):
    """An inzage shows every category, whatever the user reads otherwise: the record says
    so. A fixed phrase, never the BSN."""
    deelnemer.toegang = dataclasses.replace(deelnemer.toegang, categorieen=frozenset(Categorie))
    log_toegang(request, deelnemer, AuditRecord.Actie.INZAGE, omschrijving)


def _download(inhoud, soort, naam):
    response = HttpResponse(inhoud, content_type=soort)
    response["Content-Disposition"] = f'attachment; filename="{naam}"'
    return response


def _bestandsnaam(deelnemer, extensie):
    return f"inzage-{deelnemer.pk}-{timezone.localdate():%Y-%m-%d}.{extensie}"


@verwerking("inzage")
def inzage(request, pk):
    """What an inzage of this participant holds, per part, and the two ways to give it."""
    deelnemer = _deelnemer(request, pk, actie=AuditRecord.Actie.BEKEKEN)
    return render(
        request,
        "inzage/pagina.html",
        {"deelnemer": deelnemer, "tellingen": inzagedienst.tellingen(deelnemer=deelnemer)},
    )


@verwerking("inzage")
def inzage_pdf(request, pk):
    deelnemer = _deelnemer(request, pk)
    gegevens = inzagedienst.inzage_van(deelnemer=deelnemer)
    _, inhoud = render_to_pdf(
        "inzage/inzage_pdf.html",
        {
            "inzage": gegevens,
            "deelnemer": deelnemer,
            "organisatie": request.user.organisatie,
            "afgedrukt_op": gegevens.opgesteld_op,
        },
    )
    _log_inzage(request, deelnemer, "inzage als PDF")
    return _download(inhoud, "application/pdf", _bestandsnaam(deelnemer, "pdf"))


@verwerking("inzage")
def inzage_json(request, pk):
    deelnemer = _deelnemer(request, pk)
    gegevens = inzagedienst.inzage_van(deelnemer=deelnemer)
    inhoud = inzagedienst.als_json(inzage=gegevens, verstrekt_door=request.user)
    _log_inzage(request, deelnemer, "inzage als JSON")
    return _download(
        inhoud.encode(), "application/json; charset=utf-8", _bestandsnaam(deelnemer, "json")
    )

"""The background tasks of batch printing (django.tasks, run by ``manage.py db_worker``)."""

import logging
import time

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from reintegratie.access import heeft_recht
from reintegratie.overleg import vergaderstukken
from reintegratie.pdf import PdfFout, render_batch
from trajecten import afdrukken as deze_week

from .models import Afdrukopdracht

logger = logging.getLogger(__name__)

# Progress is written at most this often: enough for a page that asks every two seconds.
VOORTGANG_SECONDEN = 1.0


@task()
def afdrukopdracht_maken(opdracht_id: str) -> None:
    """Make the PDF of a batch, writing its progress as it goes; a failure ends as a batch
    "mislukt" with a Dutch message for the user. Running it again for a batch that is not
    waiting does nothing, so a task delivered twice is harmless."""
    with transaction.atomic():
        opdracht = (
            Afdrukopdracht.objects.select_for_update()
            .select_related("gebruiker")
            .filter(pk=opdracht_id, status=Afdrukopdracht.Status.WACHTEND)
            .first()
        )
        if opdracht is None:
            return
        opdracht.status = Afdrukopdracht.Status.BEZIG
        opdracht.gestart_op = timezone.now()
        opdracht.save(update_fields=["status", "gestart_op", "bijgewerkt_op"])
    try:
        pdf, deelnemers = _maken(opdracht)
    except PdfFout as fout:
        logger.exception("Afdrukopdracht %s mislukt", opdracht.pk)
        _mislukt(opdracht, f"Het PDF-bestand is niet gemaakt. {fout}")
        return
    except Exception:
        _mislukt(opdracht, "Het PDF-bestand is niet gemaakt door een fout; probeer het opnieuw.")
        raise  # the task's own result keeps the traceback
    with transaction.atomic():
        opdracht.deelnemers.set(deelnemers)
        Afdrukopdracht.objects.filter(pk=opdracht.pk).update(
            status=Afdrukopdracht.Status.KLAAR,
            pdf=pdf,
            klaar=opdracht.totaal,
            bijgewerkt_op=timezone.now(),
        )


def _deze_week(gebruiker, *, inhoud, afgedrukt_op):
    return deze_week.documenten(
        gebruiker,
        plannen=inhoud.get("plannen", []),
        rapportages=inhoud.get("rapportages", []),
        afgedrukt_op=afgedrukt_op,
    )


# Per kind: what reads the batch's ``inhoud`` again through the user's access and returns
# (participants, number of documents, the (template, context) of each, lazily).
MAKERS = {
    Afdrukopdracht.Soort.DEZE_WEEK: _deze_week,
    Afdrukopdracht.Soort.OVERLEGPAKKET: vergaderstukken.documenten,
}


def _maken(opdracht):
    gebruiker = opdracht.gebruiker
    # The user's access when the batch is made, as the request's would be: a user who left
    # the organisation or lost the right gets nothing.
    if not (
        gebruiker.is_active
        and gebruiker.organisatie_id == opdracht.organisatie_id
        and heeft_recht(gebruiker, opdracht.recht)
    ):
        raise PdfFout("U mag deze documenten niet meer afdrukken.")
    deelnemers, totaal, documenten = MAKERS[opdracht.soort](
        gebruiker, inhoud=opdracht.inhoud, afgedrukt_op=timezone.localtime()
    )
    if not totaal:
        raise PdfFout("U mag geen van deze documenten nog zien.")
    opdracht.totaal = totaal
    Afdrukopdracht.objects.filter(pk=opdracht.pk).update(totaal=totaal)
    laatst = time.monotonic()

    def voortgang(klaar):
        nonlocal laatst
        if time.monotonic() - laatst >= VOORTGANG_SECONDEN:
            laatst = time.monotonic()
            Afdrukopdracht.objects.filter(pk=opdracht.pk).update(
                klaar=klaar, bijgewerkt_op=timezone.now()
            )

    return render_batch(documenten, voortgang), deelnemers


def _mislukt(opdracht, melding: str) -> None:
    Afdrukopdracht.objects.filter(pk=opdracht.pk).update(
        status=Afdrukopdracht.Status.MISLUKT, melding=melding[:300], bijgewerkt_op=timezone.now()
    )

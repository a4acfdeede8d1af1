"""The meeting pack (vergaderstukken) of one organisation: the agenda as it sees it, then a
page per participant it is involved in, each part as the reader's access allows.

A task worker makes it (``reintegratie.afdrukken``): forty summaries as PDF take longer than a
web request should wait. The worker reads everything again through the user's access when
its turn comes, as the page would.
"""

from reintegratie.pdf import PdfFout

from .models import Bespreking, Bijeenkomst
from .samenvatting import agenda_voor, samenvattingen, sinds_vorige


def inhoud(bijeenkomst: Bijeenkomst) -> dict:
    """What a batch of this meeting's pack keeps: the meeting's id, nothing personal."""
    return {"bijeenkomst": bijeenkomst.pk}


def aantal(bijeenkomst: Bijeenkomst, lezer) -> int:
    """How many documents the pack holds for ``lezer``: the agenda and a page per participant."""
    return 1 + Bespreking.objects.zichtbaar_voor(lezer).filter(bijeenkomst=bijeenkomst).count()


def documenten(lezer, *, inhoud: dict, afgedrukt_op):
    """(participants, number of documents, the (template, context) of each) of the pack for
    ``lezer``; PdfFout when the meeting is no longer his to see."""
    bijeenkomst = (
        Bijeenkomst.objects.zichtbaar_voor(lezer)
        .select_related("overleg")
        .filter(pk=inhoud.get("bijeenkomst"))
        .first()
    )
    if bijeenkomst is None:
        raise PdfFout("U mag dit overleg niet meer zien.")
    besprekingen = agenda_voor(bijeenkomst, lezer)
    van, tot = sinds_vorige(bijeenkomst)
    per_deelnemer = samenvattingen(besprekingen=besprekingen, lezer=lezer, van=van, tot=tot)
    gemeen = {
        "bijeenkomst": bijeenkomst,
        "organisatie": lezer.organisatie,
        "van": van,
        "tot": tot,
        "afgedrukt_op": afgedrukt_op,
    }

    def paren():
        yield "overleg/vergaderstukken_agenda_pdf.html", {**gemeen, "besprekingen": besprekingen}
        for bespreking in besprekingen:
            yield (
                "overleg/vergaderstukken_deelnemer_pdf.html",
                {
                    **gemeen,
                    "bespreking": bespreking,
                    "mag": bespreking.deelnemer.toegang.sjabloon,
                    "samenvatting": per_deelnemer[bespreking.deelnemer_id],
                },
            )

    return [b.deelnemer for b in besprekingen], 1 + len(besprekingen), paren()

"""What the batch "deze week" holds: the plans drawn up or signed this week and the progress
reports of this week that a user may see. The list page and the task worker both start
here, so the PDF holds what the list showed."""

from datetime import date, timedelta

from django.db.models import Prefetch, Q

from . import rapportage as gegevens_van
from .models import Leerdoel, PlanVanAanpak, Voortgangsrapportage

MAX_DOCUMENTEN = 500
_VOLGORDE = ("traject__deelnemer__achternaam", "traject__deelnemer__voornaam", "traject_id")


def deze_week(user, maandag: date):
    """The plans and reports of the week from ``maandag`` that ``user`` may see, by
    participant, at most MAX_DOCUMENTEN of each."""
    week = (maandag, maandag + timedelta(days=6))
    plannen = (
        PlanVanAanpak.objects.zichtbaar_voor(user)
        .filter(Q(opgesteld_op__range=week) | Q(ondertekend_op__range=week))
        .select_related("traject__deelnemer")
        .order_by(*_VOLGORDE, "versie")
    )
    rapportages = (
        Voortgangsrapportage.objects.zichtbaar_voor(user)
        .filter(opgesteld_op__range=week)
        .select_related("traject__deelnemer")
        .order_by(*_VOLGORDE, "periode_tot", "pk")
    )
    return plannen[:MAX_DOCUMENTEN], rapportages[:MAX_DOCUMENTEN]


def deelnemers(*documenten):
    """Each participant once, for the audit log."""
    return list({d.traject.deelnemer_id: d.traject.deelnemer for d in documenten}.values())


def documenten(user, *, plannen: list[int], rapportages: list[int], afgedrukt_op):
    """The plans and reports with these ids that ``user`` may still see, plans first, in the
    list's order: their participants, and the (template, context) of each, rendered as the
    batch goes (a report's data is read when its turn comes)."""
    plannen = list(
        PlanVanAanpak.objects.zichtbaar_voor(user)
        .filter(pk__in=plannen)
        .select_related("traject__deelnemer", "traject__trajecttype", "traject__aanbieder")
        .select_related("traject__klantmanager", "opgesteld_door", "ondertekening_vastgelegd_door")
        .prefetch_related(
            Prefetch("leerdoelen", queryset=Leerdoel.objects.zichtbaar_voor(user)),
            "traject__fasen__fasetype",
        )
        .order_by(*_VOLGORDE, "versie")
    )
    rapportages = list(
        Voortgangsrapportage.objects.zichtbaar_voor(user)
        .filter(pk__in=rapportages)
        .select_related("traject__deelnemer", "traject__trajecttype", "traject__aanbieder")
        .select_related("opgesteld_door", "gewijzigd_door")
        .prefetch_related("leerdoelen__leerdoel", "traject__fasen__fasetype")
        .order_by(*_VOLGORDE, "periode_tot", "pk")
    )

    def paren():
        for plan in plannen:
            yield (
                "pdf/plan_van_aanpak.html",
                {
                    "traject": plan.traject,
                    "plan": plan,
                    "deelnemer": plan.traject.deelnemer,
                    "afgedrukt_op": afgedrukt_op,
                },
            )
        for rapportage in rapportages:
            traject = rapportage.traject
            yield (
                "pdf/voortgangsrapportage.html",
                {
                    "traject": traject,
                    "rapportage": rapportage,
                    "intern": False,
                    "afgedrukt_op": afgedrukt_op,
                    **gegevens_van.gegevens(
                        traject=traject,
                        van=rapportage.periode_van,
                        tot=rapportage.periode_tot,
                        lezer=user,
                    ),
                },
            )

    return deelnemers(*plannen, *rapportages), len(plannen) + len(rapportages), paren()

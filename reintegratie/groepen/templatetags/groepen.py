"""The dossier's groups section reads its own rows, so the dossier needs one include."""

from django import template

from reintegratie.access import heeft_recht

from ..models import Aanwezigheid, Lidmaatschap

register = template.Library()

LAATSTE = 10  # sessions of attendance in the dossier


@register.simple_tag(takes_context=True)
def groepen_van(context, deelnemer):
    """The participant's memberships and latest attendance the user may read: two queries."""
    user = context["request"].user
    leden = (
        Lidmaatschap.objects.zichtbaar_voor(user)
        .filter(deelnemer=deelnemer)
        .select_related("groep")
        .order_by("einddatum", "-startdatum", "id")
    )
    aanwezigheden = (
        Aanwezigheid.objects.zichtbaar_voor(user)
        .filter(deelnemer=deelnemer)
        .select_related("bijeenkomst__groep")
        .order_by("-bijeenkomst__begin", "-id")[:LAATSTE]
    )
    return {
        "leden": list(leden),
        "aanwezigheden": list(aanwezigheden),
        "mag_groepen": heeft_recht(user, "groepen"),
    }

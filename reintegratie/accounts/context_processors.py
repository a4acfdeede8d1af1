"""Navigation by role: each role sees only the menu items it can use."""

from django.urls import reverse

from reintegratie.access import heeft_recht
from reintegratie.accounts.models import Rol

STARTLABEL = {
    Rol.KLANTMANAGER: "Mijn caseload",
    Rol.TRAJECTBEGELEIDER: "Vandaag",
    Rol.MANAGER: "Dashboard",
    Rol.KETENPARTNER: "Mijn verwijzingen",
    Rol.BEHEERDER: "Start",
    Rol.PRIVACY: "Start",
}


def navigatie(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = [(STARTLABEL.get(user.rol, "Start"), reverse("start"))]
    if heeft_recht(user, "deelnemers_zien"):
        items.append(("Deelnemers", reverse("deelnemers:lijst")))
    if heeft_recht(user, "taken_hebben"):
        items.append(("Mijn taken", reverse("taken:mijn")))
    if heeft_recht(user, "werkplekken_zien"):
        items.append(("Werkplekken", reverse("werkplekken:lijst")))
    if heeft_recht(user, "overleg_zien"):
        items.append(("Partneroverleg", reverse("overleg:lijst")))
    if heeft_recht(user, "groepen"):
        items.append(("Groepen", reverse("groepen:lijst")))
    if heeft_recht(user, "agenda_zien"):
        items.append(("Agenda", reverse("agenda:week")))
    if heeft_recht(user, "rapportages_zien"):
        items.append(("Resultaten", reverse("resultaten")))
        items.append(("Kosten", reverse("kosten")))
        items.append(("Doelstellingen", reverse("doelstellingen")))
    if heeft_recht(user, "auditlog_zien"):
        items.append(("Verwerkingen", reverse("verwerkingen")))
    if user.is_staff:
        items.append(("Beheer", reverse("admin:index")))
    huidig = request.path
    return {
        "navigatie": [
            {
                "label": label,
                "url": url,
                "actief": huidig == url if url == "/" else huidig.startswith(url),
            }
            for label, url in items
        ]
    }

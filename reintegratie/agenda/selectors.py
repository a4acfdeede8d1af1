"""What the agenda pages read: the week of the team, the user's own appointments on the start
page, and the teamleider's count of each klantmanager's participants per phase."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from reintegratie.accounts.models import Gebruiker, Rol

from .models import Afspraak

# The week view: Monday to Friday, one row per hour from 8:00 to 18:00.
WERKDAGEN = 5
EERSTE_UUR, LAATSTE_UUR = 8, 18
# The team's week shows at most this many appointments; beyond that a colleague is chosen
# (a large organisation's whole team is no agenda anyone reads).
WEEK_HOOGSTENS = 300
# The start page: the coming days, and at most this many rows per list.
KOMENDE_DAGEN = 7
STARTLIJST = 20


def team(user):
    """The colleagues whose agenda the week view shows: the organisation's klantmanagers and
    trajectbegeleiders."""
    return Gebruiker.objects.filter(
        organisatie_id=user.organisatie_id,
        rol__in=[Rol.KLANTMANAGER, Rol.TRAJECTBEGELEIDER],
        is_active=True,
    ).order_by("first_name", "last_name", "pk")


def team_namen(user) -> list[tuple[int, str]]:
    """The team as (pk, name) pairs, named as ``Gebruiker.__str__`` does, for a pick list."""
    return [
        (pk, f"{voornaam} {achternaam}".strip() or gebruikersnaam)
        for pk, voornaam, achternaam, gebruikersnaam in team(user).values_list(
            "pk", "first_name", "last_name", "username"
        )
    ]


@dataclass
class Vak:
    """One hour of one day in the week view."""

    begin: datetime
    afspraken: list = field(default_factory=list)

    @property
    def voorbij(self):
        return self.begin < timezone.now()


@dataclass
class Week:
    maandag: date
    dagen: list[date]
    rijen: list[tuple[int, list[Vak]]]
    afspraken: list
    afgekapt: bool = False

    @property
    def vorige(self):
        return self.maandag - timedelta(weeks=1)

    @property
    def volgende(self):
        return self.maandag + timedelta(weeks=1)


def _moment(dag: date, uur: int) -> datetime:
    return timezone.make_aware(datetime.combine(dag, time(uur)))


def week(*, user, maandag: date, medewerkers) -> Week:
    """The appointments of ``medewerkers`` in the week of ``maandag``, in their hour slots.

    Three queries: the appointments, their staff, and which of them ``user`` may read. An
    appointment with a participant the user may not see shows as busy, without a name.
    """
    dagen = [maandag + timedelta(days=i) for i in range(WERKDAGEN)]
    afspraken = list(
        Afspraak.objects.filter(
            medewerkers__in=medewerkers,
            begin__gte=_moment(maandag, 0),
            begin__lt=_moment(maandag + timedelta(days=WERKDAGEN), 0),
        )
        .distinct()
        .select_related("deelnemer")
        .prefetch_related("medewerkers")
        .order_by("begin", "id")[: WEEK_HOOGSTENS + 1]
    )
    afgekapt = len(afspraken) > WEEK_HOOGSTENS
    afspraken = afspraken[:WEEK_HOOGSTENS]
    leesbaar = set(
        Afspraak.objects.zichtbaar_voor(user)
        .filter(pk__in=[a.pk for a in afspraken])
        .values_list("pk", flat=True)
    )
    vakken = {(d, u): Vak(_moment(d, u)) for d in dagen for u in range(EERSTE_UUR, LAATSTE_UUR)}
    for afspraak in afspraken:
        afspraak.leesbaar = afspraak.pk in leesbaar
        begin = timezone.localtime(afspraak.begin)
        uur = min(max(begin.hour, EERSTE_UUR), LAATSTE_UUR - 1)
        vakken[begin.date(), uur].afspraken.append(afspraak)
    rijen = [(u, [vakken[d, u] for d in dagen]) for u in range(EERSTE_UUR, LAATSTE_UUR)]
    return Week(maandag, dagen, rijen, [a for a in afspraken if a.leesbaar], afgekapt)


def mijn_afspraken(user):
    """The user's planned appointments from now through the coming days."""
    nu = timezone.now()
    return list(
        Afspraak.objects.zichtbaar_voor(user)
        .van_medewerker(user)
        .gepland()
        .filter(begin__gte=nu, begin__lt=nu + timedelta(days=KOMENDE_DAGEN))
        .select_related("deelnemer")[:STARTLIJST]
    )


def mijn_te_late_afspraken(user):
    """The user's appointments still gepland whose begin has passed: an outcome to record."""
    return list(
        Afspraak.objects.zichtbaar_voor(user)
        .van_medewerker(user)
        .te_laat()
        .select_related("deelnemer")
        .order_by("begin", "id")[:STARTLIJST]
    )


def van_deelnemer(*, user, deelnemer):
    """A participant's appointments, the coming ones first (soonest first), then the past
    ones (latest first), and the count of niet verschenen; two queries."""
    nu = timezone.now()
    alle = list(
        Afspraak.objects.zichtbaar_voor(user)
        .filter(deelnemer=deelnemer)
        .prefetch_related("medewerkers")
        .order_by("begin", "id")
    )
    komend = [a for a in alle if a.begin >= nu]
    voorbij = [a for a in reversed(alle) if a.begin < nu]
    niet_verschenen = sum(1 for a in alle if a.niet_verschenen)
    return {"komend": komend, "voorbij": voorbij, "niet_verschenen": niet_verschenen}


def niet_verschenen_per_deelnemer(*, deelnemer_ids, van: date, tot: date) -> dict[int, int]:
    """How often each participant did not come to an appointment from ``van`` to ``tot``."""
    # By local date, not by a moment: a period may run to the ends of the calendar, where
    # a moment cannot be made (0001-01-01 has no earlier UTC), and the set is a few people.
    rijen = (
        Afspraak.objects.niet_verschenen()
        .filter(deelnemer_id__in=deelnemer_ids, begin__date__range=(van, tot))
        .values("deelnemer_id")
        .annotate(aantal=Count("pk"))
    )
    return {r["deelnemer_id"]: r["aantal"] for r in rijen}


# Counts for a teamleider change slowly; kept as long as the dashboard's figures.
TEAM_CACHE_SECONDEN = 300


def team_per_fase(user):
    """For a teamleider: each klantmanager of the organisation with the number of running
    trajectories per current phase; counts only (tel_scope), one query every five minutes
    per organisation."""
    sleutel = f"agenda:team_per_fase:{user.organisatie_id}"
    tabel = cache.get(sleutel)
    if tabel is None:
        tabel = _team_per_fase(user)
        cache.set(sleutel, tabel, TEAM_CACHE_SECONDEN)
    return tabel


def _team_per_fase(user):
    from trajecten.models import Traject

    rijen = (
        Traject.objects.geteld_voor(user)
        .lopend()
        .filter(
            Q(fasen__einddatum__isnull=True),
            deelnemer__klantmanager__organisatie_id=user.organisatie_id,
        )
        .values(
            "deelnemer__klantmanager_id",
            "deelnemer__klantmanager__first_name",
            "deelnemer__klantmanager__last_name",
            "fasen__fasetype__naam",
        )
        .annotate(aantal=Count("pk", distinct=True))
        .order_by("deelnemer__klantmanager__first_name", "deelnemer__klantmanager__last_name")
    )
    fasen = sorted({r["fasen__fasetype__naam"] for r in rijen})
    per_km: dict[int, dict] = {}
    for r in rijen:
        km = per_km.setdefault(
            r["deelnemer__klantmanager_id"],
            {
                "naam": f"{r['deelnemer__klantmanager__first_name']} "
                f"{r['deelnemer__klantmanager__last_name']}".strip(),
                "aantallen": dict.fromkeys(fasen, 0),
            },
        )
        km["aantallen"][r["fasen__fasetype__naam"]] = r["aantal"]
    return {
        "fasen": fasen,
        "rijen": [
            {"naam": km["naam"], "aantallen": [km["aantallen"][f] for f in fasen]}
            for km in per_km.values()
        ],
    }

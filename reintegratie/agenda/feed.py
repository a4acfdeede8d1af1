"""A user's appointments as an iCalendar feed (RFC 5545), for Outlook and the like."""

from datetime import timedelta

from django.utils import timezone
from icalendar import Calendar, Event

from .models import Afspraak

# What the feed carries: recent history (to see what was held) and the months ahead.
TERUG = timedelta(days=30)
VOORUIT = timedelta(days=180)


def korte_naam(deelnemer) -> str:
    """First name and the initial of the last name: enough to recognise, little to leak."""
    achternaam = deelnemer.achternaam.strip()
    return f"{deelnemer.voornaam} {achternaam[:1]}." if achternaam else deelnemer.voornaam


def afspraken_voor_feed(feed):
    """The feed's appointments: the user's own, of participants the user still sees."""
    nu = timezone.now()
    return (
        Afspraak.objects.zichtbaar_voor(feed.gebruiker)
        .van_medewerker(feed.gebruiker)
        .filter(begin__gte=nu - TERUG, begin__lt=nu + VOORUIT)
        .select_related("deelnemer")
        .order_by("begin", "id")
    )


def agenda(feed, afspraken) -> bytes:
    kalender = Calendar()
    kalender.add("prodid", "-//Re-integratie//Agenda//NL")
    kalender.add("version", "2.0")
    kalender.add("x-wr-calname", "Afspraken re-integratie")
    for afspraak in afspraken:
        deelnemer = afspraak.deelnemer
        naam = deelnemer.naam if feed.volledige_namen else korte_naam(deelnemer)
        event = Event()
        event.add("uid", f"afspraak-{afspraak.pk}@reintegratie")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", afspraak.begin)
        event.add("dtend", afspraak.einde)
        event.add("summary", f"{afspraak.get_soort_display()} met {naam}")
        if afspraak.plaats:
            event.add("location", afspraak.plaats)
        if afspraak.videolink:
            event.add("url", afspraak.videolink)
        event.add("status", "CANCELLED" if afspraak.niet_verschenen else "CONFIRMED")
        kalender.add_component(event)
    return kalender.to_ical()

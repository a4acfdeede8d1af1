"""Template filters for the way Dutch users read numbers in this domain."""

from django import template
from django.utils import timezone

from trajecten.models import uren_tekst

register = template.Library()


@register.filter
def uren(waarde):
    """7.50 -> "7,5"; None -> "-"."""
    return "–" if waarde is None else uren_tekst(waarde)


@register.filter
def get_item(mapping, sleutel):
    """``{{ dict|get_item:key }}``: a value by a key held in a variable."""
    return mapping.get(sleutel)


@register.filter
def verlopen(datum) -> bool:
    """Whether a date to act on has passed: an overdue next action must not look planned."""
    return datum is not None and datum < timezone.localdate()

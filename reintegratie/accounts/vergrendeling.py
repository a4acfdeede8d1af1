"""Two limits for the lockout: one per user name, a larger one per address.

axes counts failures per lockout parameter and compares each count with one limit. Five
typos by five colleagues behind one office address (NAT) would then lock the whole office out;
an address that tries many names (password spraying) must still be stopped. So the address
has its own limit, ``INLOG_POGINGEN_PER_ADRES``, and counts as locked when it reaches it.
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


class Vergrendeling(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        # One queryset per lockout parameter, in the order of AXES_LOCKOUT_PARAMETERS.
        per_naam, per_adres = (
            pogingen.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for pogingen in self.get_user_attempts(request, credentials)
        )
        # axes compares this one number with INLOG_POGINGEN: the address reaches it when
        # its own failures reach INLOG_POGINGEN_PER_ADRES.
        adres = per_adres * settings.INLOG_POGINGEN // settings.INLOG_POGINGEN_PER_ADRES
        return max(per_naam, adres)

"""Read replicas: a web request reads from a replica, writes go to the primary.

Configured with ``DATABASE_REPLICA_URLS`` (settings, "Schaal"); without it there are no
replicas and the router leaves every choice to Django, so everything runs on ``default`` as
before. With replicas:

- a request reads from one replica, picked when it starts, so its pages agree with themselves;
- after a request that wrote, its own further reads come from the primary, and so do the
  user's reads for ``DATABASE_PRIMAIR_NA_SCHRIJVEN_SECONDEN`` after it (a signed cookie), so
  whoever saves a form sees what he saved, whatever the replica's lag;
- reads inside a transaction, and ``select_for_update`` (a write for Django), use the primary;
- sessions, the users (with their password hash and second-factor version), lockout
  counters, second-factor devices and the database cache always use the primary: a replica's
  lag there would log a user out just after he logged in, let a code be used twice, or keep a
  session verified for a moment after its second factor was reset;
- outside a web request (management commands, task workers) everything uses the primary:
  they read in order to write;
- migrations run on the primary only.
"""

from __future__ import annotations

import contextvars
import random
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

# Apps whose rows are security state or bookkeeping: read and written on the primary only.
ALTIJD_PRIMAIR = frozenset(
    {"sessions", "accounts", "axes", "otp_totp", "otp_static", "django_cache"}
)
# Writes that do not pin the user's reads: the audit record every viewed page writes, and
# the bookkeeping above. Otherwise every page with participant data would pin.
VASTZETTEN_NIET_NA = frozenset({"audit.auditrecord"})

COOKIE = "primair"
_ZOUT = "reintegratie.databases.primair"


@dataclass
class _Verzoek:
    replica: str | None
    geschreven: bool = False


_verzoek: contextvars.ContextVar[_Verzoek | None] = contextvars.ContextVar(
    "databaseverzoek", default=None
)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        verzoek = _verzoek.get()
        if (
            verzoek is None
            or verzoek.replica is None
            or verzoek.geschreven
            or model._meta.app_label in ALTIJD_PRIMAIR
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return DEFAULT_DB_ALIAS if settings.DATABASE_REPLICAS else None
        return verzoek.replica

    def db_for_write(self, model, **hints):
        verzoek = _verzoek.get()
        if (
            verzoek is not None
            and model._meta.app_label not in ALTIJD_PRIMAIR
            and model._meta.label_lower not in VASTZETTEN_NIET_NA
        ):
            verzoek.geschreven = True
        return DEFAULT_DB_ALIAS if settings.DATABASE_REPLICAS else None

    def allow_relation(self, obj1, obj2, **hints):
        # Every alias holds the same data.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


class PrimairNaSchrijvenMiddleware:
    """Gives each request its replica (or the primary, when the user wrote recently) and sets
    the cookie that pins the user's reads after a request that wrote."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        replicas = settings.DATABASE_REPLICAS
        if not replicas:
            return self.get_response(request)
        duur = settings.DATABASE_PRIMAIR_NA_SCHRIJVEN_SECONDEN
        vastgezet = request.get_signed_cookie(COOKIE, None, salt=_ZOUT, max_age=duur)
        verzoek = _Verzoek(replica=None if vastgezet else random.choice(replicas))
        token = _verzoek.set(verzoek)
        try:
            response = self.get_response(request)
        finally:
            _verzoek.reset(token)
        if verzoek.geschreven:
            response.set_signed_cookie(
                COOKIE,
                str(int(time.time())),
                salt=_ZOUT,
                max_age=duur,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

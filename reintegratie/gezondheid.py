"""The health endpoint for the load balancer (django-health-check), open without log-in."""

import asyncio
import dataclasses

from django.contrib.auth.decorators import login_not_required
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from health_check import Cache, Database, HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


@dataclasses.dataclass
class Migraties(HealthCheck):
    """Every migration of this release applied (once so, it stays so for this process)."""

    def run(self):
        if getattr(Migraties, "_toegepast", False):
            return
        verbinding = connections["default"]
        try:
            uitvoerder = MigrationExecutor(verbinding)
            open_ = uitvoerder.migration_plan(uitvoerder.loader.graph.leaf_nodes())
        finally:
            verbinding.close()  # a worker thread's own connection
        if open_:
            raise ServiceUnavailable("migraties ontbreken")
        Migraties._toegepast = True


class Gezondheid(HealthCheckView):
    """For the load balancer, without log-in: JSON with ok or "niet ok" per part, and 503
    when one fails. No versions, check names or error texts (they may name a host); those
    go to the log (logger health_check). The storage check is left out: nothing is stored
    in files, and it would write into the working directory."""

    checks = (("database", Database), ("cache", Cache), ("migraties", Migraties))

    def get_checks(self):
        yield from (check() for _, check in self.checks)

    async def get(self, request, *args, **kwargs):
        with self.get_executor() as executor:
            uitslagen = await asyncio.gather(*(c.get_result(executor) for c in self.get_checks()))
        onderdelen = {
            naam: "niet ok" if uitslag.error else "ok"
            for (naam, _), uitslag in zip(self.checks, uitslagen, strict=True)
        }
        goed = "niet ok" not in onderdelen.values()
        return JsonResponse(
            {"status": "ok" if goed else "niet ok", "onderdelen": onderdelen},
            status=200 if goed else 503,
        )


gezondheid = login_not_required(Gezondheid.as_view())

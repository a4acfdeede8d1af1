"""The background task of the agenda (django.tasks, run by ``manage.py db_worker``)."""

from django.tasks import task

from .regels import alle_regels_toepassen


@task()
def afspraakregels_toepassen() -> int:
    """The rules for all running trajectories; safe to run twice (each rule's sleutel)."""
    return alle_regels_toepassen()

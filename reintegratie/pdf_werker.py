"""Preloaded by the fork server of the PDF workers (reintegratie.pdf): every worker forked from
it starts with Django set up and WeasyPrint imported, which take seconds to load."""

import django

django.setup()

import weasyprint  # noqa: E402, F401

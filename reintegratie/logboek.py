"""Logs without personal data, as the AVG and the BIO ask of a public body.

- One structured line per request (django-structlog): the request id that the audit log
  records also carry (``request.verzoek_id``, set by ``VerzoekMiddleware``), the user's pk,
  method, the path without its query string, status and duration. JSON in production,
  readable lines with ``DEBUG``.
- Every handler has :class:`BsnFilter`: a run of nine digits (a BSN, or what could be one)
  becomes ``[BSN]``, in the message, its arguments and the traceback; so does a BSN written
  in groups (``1234.56.782``) when it passes the elfproef.
- Error reports (the 500 log, the mail to ``ADMINS``) go through :class:`Foutfilter` and
  :class:`Foutrapport`: no POST values, no local variables, no query string, no BSN.

Settings: ``LOGGING_CONFIG = "reintegratie.logboek.configureer"`` configures structlog and
then the ``LOGGING`` dict; see the block "Logboek zonder persoonsgegevens (AVG)" there.
"""

from __future__ import annotations

import datetime as dt
import decimal
import logging
import logging.config
import re
import time
import uuid

import structlog
from django.dispatch import receiver
from django.utils.log import AdminEmailHandler
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter
from django_structlog import signals

VERVANGING = "[BSN]"

# A UUID is kept whole (a request id may hold nine digits in a row); a run of nine digits
# that is not part of a longer number is replaced; a BSN in groups only when it passes the
# elfproef, so that other grouped numbers stay readable.
_PATROON = re.compile(
    r"(?P<uuid>\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b)"
    r"|(?<!\d)(?P<negen>\d{9})(?!\d)"
    r"|(?<![\d.])(?P<groepen>\d{4}[. ]\d{2}[. ]\d{3}|\d{3}[. -]\d{3}[. -]\d{3})(?![\d])"
)


def elfproef(cijfers: str) -> bool:
    """Whether nine digits pass the BSN's elfproef (and are not all zero), as
    :class:`reintegratie.validators.BSNValidator` checks them."""
    if not re.fullmatch(r"\d{9}", cijfers) or int(cijfers) == 0:
        return False
    som = sum(int(c) * gewicht for c, gewicht in zip(cijfers[:8], range(9, 1, -1), strict=True))
    return (som - int(cijfers[8])) % 11 == 0


def _vervang(match: re.Match) -> str:
    if match.group("uuid"):
        return match.group("uuid")
    if match.group("negen"):
        return VERVANGING
    groepen = match.group("groepen")
    return VERVANGING if elfproef(re.sub(r"\D", "", groepen)) else groepen


def redigeer(tekst: str) -> str:
    """``tekst`` with every BSN, and every run of nine digits, replaced by ``[BSN]``."""
    return _PATROON.sub(_vervang, tekst)


_ONSCHULDIG = (bool, float, decimal.Decimal, dt.date, dt.time, dt.timedelta, uuid.UUID)


def schoon(waarde):
    """``waarde`` redacted: strings, and strings in dicts, lists and tuples; a nine-digit
    integer; any other object as its redacted text (its repr could hold a BSN)."""
    if waarde is None or isinstance(waarde, _ONSCHULDIG):
        return waarde
    if isinstance(waarde, str):
        return redigeer(waarde)
    if isinstance(waarde, int):
        return VERVANGING if 10**8 <= abs(waarde) < 10**9 else waarde
    if isinstance(waarde, dict):
        return {schoon(k): schoon(v) for k, v in waarde.items()}
    if isinstance(waarde, list | set | frozenset):
        return [schoon(v) for v in waarde]
    if isinstance(waarde, tuple):
        return tuple(schoon(v) for v in waarde)
    return redigeer(str(waarde))


# Left alone in an event dict: the exception itself (rendered, and redacted, later) and
# the keys ProcessorFormatter adds.
_NIET_AANRAKEN = {"exc_info", "_record", "_from_structlog", "_logger", "_name"}


def _schoon_gebeurtenis(event_dict: dict) -> dict:
    return {k: v if k in _NIET_AANRAKEN else schoon(v) for k, v in event_dict.items()}


class BsnFilter(logging.Filter):
    """Redacts a record in place, before any handler formats it: its message (with the
    arguments merged in), its stack and its traceback. In place, so that every handler
    after this one, and pytest's caplog, gets the redacted record too."""

    _opmaak = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, dict):
            # structlog's event dict (ProcessorFormatter.wrap_for_formatter).
            record.msg = _schoon_gebeurtenis(record.msg)
            record.args = schoon(record.args) if record.args else record.args
        else:
            try:
                bericht = record.getMessage()
            except Exception:
                bericht = f"{record.msg} {record.args!r}"
            record.msg, record.args = redigeer(bericht), ()
        if record.exc_info and record.exc_info[0] is not None:
            # Formatters use exc_text when it is set; ProcessorFormatter renders exc_info
            # itself and redacts it in redigeer_gebeurtenis.
            record.exc_text = redigeer(self._opmaak.formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redigeer(record.exc_text)
        if record.stack_info:
            record.stack_info = redigeer(record.stack_info)
        return True


def redigeer_gebeurtenis(logger, method_name, event_dict):
    """structlog processor: the same redaction, after the traceback has been rendered."""
    return _schoon_gebeurtenis(event_dict)


def _gedeelde_processors():
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]


def _verzoek_id_uit_record(logger, method_name, event_dict):
    """Django logs a 4xx or 5xx response (django.request) after django-structlog has let go
    of the request's context: its request id then comes from the record's request."""
    record = event_dict.get("_record")
    verzoek_id = getattr(getattr(record, "request", None), "verzoek_id", None)
    if verzoek_id is not None and "request_id" not in event_dict:
        event_dict["request_id"] = str(verzoek_id)
    return event_dict


def opmaak(leesbaar: bool = False) -> structlog.stdlib.ProcessorFormatter:
    """The formatter of every handler: JSON, or (``leesbaar``, with DEBUG) console lines.
    Records from the standard library (Django's own, gunicorn's) get the same fields."""
    renderer = (
        structlog.dev.ConsoleRenderer(colors=False)
        if leesbaar
        else structlog.processors.JSONRenderer(ensure_ascii=False)
    )
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*_gedeelde_processors(), _verzoek_id_uit_record],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            redigeer_gebeurtenis,
            renderer,
        ],
    )


def configureer(instellingen: dict) -> None:
    """``LOGGING_CONFIG``: structlog first, then the ``LOGGING`` dict."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_gedeelde_processors(),
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            structlog.processors.UnicodeDecoder(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    logging.config.dictConfig(instellingen)


# The request log line (django-structlog). Its own request id would be a second one: ours
# is the audit log's, so a request line and its audit records are found together. Its
# "request" field is the method and full path: ours leaves the query string out, where a
# name search lives.


def _verzoek(request) -> dict:
    return {"request": f"{request.method} {request.path}", "method": request.method}


@receiver(signals.bind_extra_request_metadata)
def _verzoek_begint(request, logger, log_kwargs, **kwargs):
    # The address as the lockout reads it (behind the trusted proxies, never one the client
    # wrote itself), instead of django-structlog's ipware: one rule, and cheaper.
    from reintegratie.accounts.views import client_ip

    request._logboek_begin = time.perf_counter()
    verzoek_id = getattr(request, "verzoek_id", None)
    if verzoek_id is not None:
        structlog.contextvars.bind_contextvars(request_id=str(verzoek_id))
    structlog.contextvars.bind_contextvars(ip=client_ip(request))
    log_kwargs.update(_verzoek(request), path=request.path)


def _duur(request) -> dict:
    begin = getattr(request, "_logboek_begin", None)
    return {} if begin is None else {"duration_ms": round((time.perf_counter() - begin) * 1000, 1)}


@receiver(signals.bind_extra_request_finished_metadata)
def _verzoek_klaar(request, logger, response, log_kwargs, **kwargs):
    log_kwargs.update(_verzoek(request), path=request.path, **_duur(request))


@receiver(signals.bind_extra_request_failed_metadata)
def _verzoek_mislukt(request, logger, exception, log_kwargs, **kwargs):
    log_kwargs.update(_verzoek(request), path=request.path, **_duur(request))


# Error reports: what Django shows on its 500 page (DEBUG) and mails to ADMINS.

_BSN_NAAM = re.compile(r"bsn", re.IGNORECASE)
_GEWOON = (type(None), bool, int, float, decimal.Decimal, dt.date, dt.time, dt.timedelta)


class Foutfilter(SafeExceptionReporterFilter):
    """``DEFAULT_EXCEPTION_REPORTER_FILTER``. Always: a field or variable named like ``bsn``
    is hidden and a BSN in any other value is replaced. In production (the filter is active
    when DEBUG is off) also every POST value (an intake holds names and health answers),
    the value of every local variable but numbers and dates (a participant's repr is their
    name), the query string (a name search) and the referrer's."""

    def get_post_parameters(self, request):
        parameters = super().get_post_parameters(request)
        if request is None:
            return parameters
        actief = self.is_active(request)
        schoon_ = parameters.copy()
        for naam in list(schoon_):
            if actief or _BSN_NAAM.search(naam):
                schoon_.setlist(naam, [self.cleansed_substitute])
            else:
                schoon_.setlist(naam, [schoon(w) for w in parameters.getlist(naam)])
        return schoon_

    def get_traceback_frame_variables(self, request, tb_frame):
        actief = self.is_active(request)
        uitkomst = []
        for naam, waarde in super().get_traceback_frame_variables(request, tb_frame):
            if _BSN_NAAM.search(naam):
                waarde = self.cleansed_substitute
            elif actief and not isinstance(waarde, _GEWOON):
                waarde = f"<{type(waarde).__qualname__}>"
            elif isinstance(waarde, str | int) and not isinstance(waarde, bool):
                waarde = schoon(waarde)
            uitkomst.append((naam, waarde))
        return uitkomst

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        if self.is_active(request):
            if meta.get("QUERY_STRING"):
                meta["QUERY_STRING"] = self.cleansed_substitute
            for sleutel in ("HTTP_REFERER", "REQUEST_URI", "RAW_URI"):
                if isinstance(meta.get(sleutel), str):
                    meta[sleutel] = meta[sleutel].split("?", 1)[0]
        return {k: schoon(v) if isinstance(v, str) else v for k, v in meta.items()}


class Foutrapport(ExceptionReporter):
    """``DEFAULT_EXCEPTION_REPORTER``: the report with the query string's values hidden,
    the user as their pk, and every BSN replaced in the text and the HTML that come out
    (the exception's own message may quote one: a database constraint does)."""

    def get_traceback_data(self):
        c = super().get_traceback_data()
        if self.request is not None and self.filter.is_active(self.request):
            if "request_GET_items" in c:
                c["request_GET_items"] = [
                    (naam, self.filter.cleansed_substitute) for naam, _ in c["request_GET_items"]
                ]
            if "request_insecure_uri" in c:
                c["request_insecure_uri"] = c["request_insecure_uri"].split("?", 1)[0]
            gebruiker = getattr(self.request, "user", None)
            c["user_str"] = f"gebruiker {getattr(gebruiker, 'pk', None)}"
        return c

    def get_traceback_html(self):
        return redigeer(super().get_traceback_html())

    def get_traceback_text(self):
        return redigeer(super().get_traceback_text())


class Foutmail(AdminEmailHandler):
    """The mail to ADMINS, redacted once more as a whole before it is sent."""

    def send_mail(self, subject, message, *args, **kwargs):
        if kwargs.get("html_message"):
            kwargs["html_message"] = redigeer(kwargs["html_message"])
        super().send_mail(redigeer(subject), redigeer(message), *args, **kwargs)

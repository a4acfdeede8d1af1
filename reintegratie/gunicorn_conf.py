"""Gunicorn in production, with logs without personal data (AVG):

    .venv/bin/gunicorn reintegratie.wsgi -c reintegratie/gunicorn_conf.py \
        --bind 0.0.0.0:8000 --workers 4

The access log has the path without its query string (``%(U)s``, not ``%(r)s``: a name search
lives in the query string) and no referrer (``%(f)s`` would carry the previous page's), and
the request id of the application's log line and audit records (the response's X-Request-ID).
Every line of gunicorn's own logs goes through the application's BSN filter. The application
writes its own structured line per request (django-structlog, see reintegratie/logboek.py).
"""

from gunicorn import glogging

from reintegratie.logboek import BsnFilter

accesslog = "-"
errorlog = "-"
# Remote address, time, method, path (no query string), protocol, status, bytes, duration in
# milliseconds, request id.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms %({x-request-id}o)s'


class Logboek(glogging.Logger):
    """Gunicorn's logger with :class:`reintegratie.logboek.BsnFilter` on every handler, also
    after a reload (SIGHUP sets the handlers up anew)."""

    def setup(self, cfg):
        super().setup(cfg)
        for logger in (self.error_log, self.access_log):
            for handler in logger.handlers:
                if not any(isinstance(f, BsnFilter) for f in handler.filters):
                    handler.addFilter(BsnFilter())


logger_class = Logboek

import os, sys, time, warnings
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reintegratie.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-" + "0123456789" * 5)
import django
warnings.filterwarnings("ignore")
django.setup()
from django.conf import settings
from django.db import connection
from django.test.utils import override_settings, CaptureQueriesContext
from bench.inloggen import ingelogd
from reintegratie.accounts.models import Gebruiker
STATISCH = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
url = sys.argv[1]
user = sys.argv[2] if len(sys.argv) > 2 else "klantmanager"
with override_settings(STORAGES=STATISCH, ALLOWED_HOSTS=["*"]):
    client = ingelogd(Gebruiker.objects.get(username=user))
    for _ in range(3): client.get(url, secure=True)
    import collections
    tot = collections.defaultdict(list)
    for _ in range(5):
        with CaptureQueriesContext(connection) as q:
            client.get(url, secure=True)
        for i, x in enumerate(q.captured_queries):
            tot[i].append((float(x["time"])*1000, x["sql"][:150]))
    for i, l in tot.items():
        ts = sorted(t for t, _ in l)
        print(f"{ts[len(ts)//2]:7.1f} ms  {l[0][1]}")

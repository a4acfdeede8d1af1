import os, sys, time, statistics, warnings
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reintegratie.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-" + "0123456789" * 5)
import django
warnings.filterwarnings("ignore")
django.setup()
from django.conf import settings
from django.test.utils import override_settings
from bench.inloggen import ingelogd
from reintegratie.accounts.models import Gebruiker
from pyinstrument import Profiler
STATISCH = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
url = sys.argv[1]
user = sys.argv[2] if len(sys.argv) > 2 else "klantmanager"
with override_settings(STORAGES=STATISCH, ALLOWED_HOSTS=["*"]):
    if True:
        client = ingelogd(Gebruiker.objects.get(username=user))
        for _ in range(3): client.get(url, secure=True)
        t=[]
        for _ in range(15):
            b=time.perf_counter(); r=client.get(url, secure=True); t.append((time.perf_counter()-b)*1000)
        print("median", statistics.median(t), r.status_code)
        p=Profiler(interval=0.0005)
        p.start()
        for _ in range(10): client.get(url, secure=True)
        p.stop()
        print(p.output_text(unicode=False, color=False, show_all=False))

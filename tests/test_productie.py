"""Production behaviour, DEBUG off: Dutch error pages in the application's layout without
technical detail, and PDFs that find their stylesheet and logo among the collected static
files with hashed names (the manifest storage)."""

import io

import pytest
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import path, reverse
from django.utils.functional import empty
from pypdf import PdfReader

from reintegratie import pdf
from reintegratie import urls as app_urls
from reintegratie.accounts.models import Rol
from trajecten.models import PlanVanAanpak

from .conftest import pagina_tekst, pdf_tekst

GEHEIM = "Geheim detail 4711 uit de foutmelding"


@login_not_required
def _weigert(request):
    raise PermissionDenied(GEHEIM)


@login_not_required
def _verdacht(request):
    raise SuspiciousOperation(GEHEIM)


@login_not_required
def _crasht(request):
    raise RuntimeError(GEHEIM)


# A URLconf for these tests only (@pytest.mark.urls): the application plus views that fail.
urlpatterns = [
    path("test-fout/403/", _weigert),
    path("test-fout/400/", _verdacht),
    path("test-fout/500/", _crasht),
    *app_urls.urlpatterns,
]

HUISSTIJL = 'class="app-merk"'  # the site header of base.html
TECHNISCH = ("Not Found", "Traceback", "Server Error", "Forbidden", "Bad Request", "Exception")


@pytest.fixture
def productie(settings, client):
    settings.DEBUG = False
    client.raise_request_exception = False
    return client


@pytest.fixture(params=["anoniem", "ingelogd"])
def bezoeker(request, productie, wereld):
    if request.param == "ingelogd":
        productie.force_login(wereld.gebruikers[Rol.KLANTMANAGER])
    return request.param


def _zonder_techniek(inhoud: str):
    for woord in (*TECHNISCH, GEHEIM):
        assert woord not in inhoud


def test_404_in_het_nederlands(productie, bezoeker):
    response = productie.get("/bestaat-niet/")
    assert response.status_code == 404
    inhoud = response.content.decode()
    assert HUISSTIJL in inhoud
    assert '<html lang="nl"' in inhoud
    assert "Deze pagina bestaat niet of u heeft er geen toegang toe." in inhoud
    assert reverse("start") in inhoud
    assert "functioneel beheerder" in inhoud
    _zonder_techniek(inhoud)
    assert ("Uitloggen" in inhoud) == (bezoeker == "ingelogd")


def test_404_noemt_de_reden_niet(productie, wereld):
    """The app's own message ("Geen deelnemer gevonden.") would confirm what exists."""
    productie.force_login(wereld.gebruikers[Rol.KLANTMANAGER])
    response = productie.get(reverse("deelnemers:dossier", args=[wereld.vreemde_deelnemer.pk]))
    assert response.status_code == 404
    inhoud = pagina_tekst(response)
    assert "Deze pagina bestaat niet of u heeft er geen toegang toe." in inhoud
    assert "Geen deelnemer gevonden" not in inhoud
    assert wereld.vreemde_deelnemer.achternaam not in inhoud


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("url", "status", "tekst"),
    [
        ("/test-fout/403/", 403, "U heeft geen toegang tot deze pagina."),
        ("/test-fout/400/", 400, "Uw verzoek kon niet worden verwerkt."),
    ],
)
def test_403_en_400_in_het_nederlands(productie, bezoeker, url, status, tekst):
    response = productie.get(url)
    assert response.status_code == status
    inhoud = response.content.decode()
    assert HUISSTIJL in inhoud
    assert tekst in inhoud
    assert "functioneel beheerder" in inhoud
    _zonder_techniek(inhoud)


@pytest.mark.urls(__name__)
def test_500_in_het_nederlands(productie, bezoeker):
    response = productie.get("/test-fout/500/")
    assert response.status_code == 500
    inhoud = response.content.decode()
    assert '<html lang="nl"' in inhoud
    assert "Er ging iets mis" in inhoud
    assert "functioneel beheerder" in inhoud
    assert HUISSTIJL in inhoud
    assert staticfiles_storage.url("css/app.css") in inhoud
    _zonder_techniek(inhoud)
    assert "RuntimeError" not in inhoud


def _productie(static_root) -> dict:
    """The settings of production's static files: hashed names (a manifest), compressed."""
    from django.conf import settings

    opslag = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
    return {
        "DEBUG": False,
        "STATIC_ROOT": static_root,
        "STORAGES": {**settings.STORAGES, "staticfiles": opslag},
    }


@pytest.fixture(scope="module")
def _verzameld(tmp_path_factory):
    """collectstatic once for the module (it takes seconds)."""
    static_root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(**_productie(static_root)):
        call_command("collectstatic", interactive=False, verbosity=0)
    return static_root


@pytest.fixture
def verzamelde_bestanden(settings, _verzameld):
    """Production's static files, collected into STATIC_ROOT; the storage is reloaded (the
    setting_changed signal does so too) and again afterwards."""
    for naam, waarde in _productie(_verzameld).items():
        setattr(settings, naam, waarde)
    staticfiles_storage._wrapped = empty
    yield _verzameld
    staticfiles_storage._wrapped = empty


def test_pdf_met_gehashte_statische_bestanden(wereld, verzamelde_bestanden):
    css = staticfiles_storage.url("pdf/document.css")
    assert css != "/static/pdf/document.css"  # the template asks for the hashed name
    plan = PlanVanAanpak.objects.create(
        traject=wereld.traject,
        versie=1,
        afstand_tot_arbeidsmarkt="lang",
        opgesteld_door=wereld.gebruikers[Rol.KLANTMANAGER],
    )
    html, inhoud = pdf.render_to_pdf(
        "pdf/plan_van_aanpak.html",
        {"traject": wereld.traject, "plan": plan, "deelnemer": wereld.deelnemer},
    )
    assert css in html and staticfiles_storage.url("img/logo.svg") in html

    pagina = PdfReader(io.BytesIO(inhoud)).pages[0]
    assert (round(pagina.mediabox.width), round(pagina.mediabox.height)) == (595, 842)  # A4
    tekst = " ".join(pdf_tekst(inhoud).split())
    # The footer exists only in the stylesheet's @page rules.
    assert f"Vertrouwelijk · {wereld.deelnemer.naam}" in tekst
    assert "Pagina 1 van 1" in tekst
    # The stylesheet's font (without it WeasyPrint falls back to a serif).
    lettertypen = {
        f.get_object()["/BaseFont"].split("+")[-1]
        for f in pagina["/Resources"]["/Font"].get_object().values()
    }
    assert "DejaVu-Sans" in lettertypen and "DejaVu-Serif" not in lettertypen
    # The logo is an SVG, drawn into the page: its text is there, in no template.
    assert "Re-integratie" in tekst


def test_500_met_gehashte_bestanden(verzamelde_bestanden):
    """The 500 page finds the stylesheets in production too (no context, manifest names)."""
    inhoud = render_to_string("500.html")
    assert staticfiles_storage.url("css/app.css") in inhoud
    assert "/static/css/app.css" not in inhoud


def test_pdf_met_gehashte_bestanden_haalt_niets_van_buiten(verzamelde_bestanden):
    fetcher = pdf._fetcher()
    gehasht = staticfiles_storage.url("pdf/document.css")
    assert fetcher.fetch(f"https://pdf.invalid{gehasht}").read().startswith(b"/* Print")
    assert fetcher.fetch("https://pdf.invalid/static/pdf/document.css").read()
    for url in (
        f"https://example.org{gehasht}",
        "https://pdf.invalid/static/../../../etc/passwd",
        "https://pdf.invalid/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "https://pdf.invalid/static/pdf/",
        "https://pdf.invalid/static/pdf/document.css%00.png",
        "https://pdf.invalid/elders/pdf/document.css",
        "file:///etc/passwd",
    ):
        with pytest.raises(ValueError, match="Niet toegestaan"):
            fetcher.fetch(url)


def test_verlopen_formulier_in_het_nederlands(wereld, settings):
    """A form without a valid CSRF token (an expired session) gets a Dutch page, not
    Django's English one."""
    from django.test import Client

    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)
    client.force_login(wereld.gebruikers[Rol.KLANTMANAGER])
    response = client.post(reverse("deelnemers:intake_start"), {"bsn": "111222333"})
    assert response.status_code == 403
    inhoud = response.content.decode()
    assert "Het formulier is verlopen" in inhoud
    assert "CSRF" not in inhoud


@pytest.mark.parametrize(
    "tekst",
    ["- Select an option -", "Logout", "Search %(name)s", "Filter by %(field_name)s"],
)
def test_ook_wat_django_zelf_nog_niet_vertaalde_is_nederlands(tekst):
    from django.utils import translation

    with translation.override("nl"):
        assert translation.gettext(tekst) != tekst


def test_de_lege_keuze_in_formulieren_en_het_beheer(client, wereld):
    """Every select (the intake, the hour form, the admin) offers "Kies…", not Django 6's
    untranslated "- Select an option -"."""
    client.force_login(wereld.gebruikers[Rol.TRAJECTBEGELEIDER])
    pagina = client.get(reverse("deelnemers:uren_registreren", args=[wereld.deelnemer.pk]))
    inhoud = pagina.content.decode()
    assert "Select an option" not in inhoud

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from reintegratie.accounts import views as accounts_views
from trajecten.views import afdrukken, dashboard, doelstellingen, kosten, resultaten

from . import gezondheid, verwerkingen, views

admin.site.site_header = "Re-integratie: beheer"
admin.site.site_title = "Beheer"

urlpatterns = [
    path("", views.start, name="start"),
    path("inloggen/", accounts_views.InloggenView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("reintegratie.accounts.urls")),
    path("tweestaps/", include("reintegratie.accounts.urls_tweestaps")),
    path("deelnemers/", include("deelnemers.urls")),
    path("trajecten/", include("trajecten.urls")),
    path("taken/", include("reintegratie.taken.urls")),
    path("afdrukken/deze-week/", afdrukken.deze_week, name="afdrukken_week"),
    path("afdrukken/deze-week/pdf/", afdrukken.deze_week_pdf, name="afdrukken_week_pdf"),
    path("afdrukken/<uuid:pk>/", afdrukken.opdracht, name="afdrukopdracht"),
    path("afdrukken/<uuid:pk>/pdf/", afdrukken.opdracht_pdf, name="afdrukopdracht_pdf"),
    path("rapportages/resultaten/", resultaten.rapport, name="resultaten"),
    path("rapportages/kosten/", kosten.rapport, name="kosten"),
    path(
        "rapportages/doelstellingen/",
        doelstellingen.rapport_doelstellingen,
        name="doelstellingen",
    ),
    path("rapportages/dashboard/", dashboard.dashboard, name="dashboard"),
    path(
        "rapportages/dashboard/opnieuw-tellen/",
        dashboard.opnieuw_tellen,
        name="dashboard_opnieuw_tellen",
    ),
    path("werkplekken/", include("werkplekken.urls")),
    path("overleg/", include("reintegratie.overleg.urls")),
    path("groepen/", include("reintegratie.groepen.urls")),
    path("agenda/", include("reintegratie.agenda.urls")),
    path("verwerkingen/", verwerkingen.zoeken, name="verwerkingen"),
    path("verwerkingen/export.csv", verwerkingen.export, name="verwerkingen_export"),
    path("verwerkingen/register/", verwerkingen.register, name="verwerkingen_register"),
    path("verwerkingen/deelnemer/<int:pk>/", verwerkingen.deelnemer, name="verwerkingen_deelnemer"),
    path("gezondheid/", gezondheid.gezondheid, name="gezondheid"),
    path("beheer/", admin.site.urls),
]

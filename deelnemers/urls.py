from django.urls import path

from trajecten.views import uren as uren_views
from werkplekken.views import (
    plaatsing_nieuw,
    van_wachtlijst,
    voorkeuren,
    wachtlijst,
    wie_past_waar,
)

from .views import caseload, dossier, intake, inzage

app_name = "deelnemers"

urlpatterns = [
    path("", caseload.lijst, name="lijst"),
    path("export.csv", caseload.export, name="export"),
    path("intake/", intake.start, name="intake_start"),
    path("intake/<int:pk>/", intake.formulier, name="intake"),
    path("<int:pk>/", dossier.dossier, name="dossier"),
    path("<int:pk>/bewerken/", dossier.bewerken, name="bewerken"),
    path("<int:pk>/pdf/", dossier.dossier_pdf, name="dossier_pdf"),
    path("<int:pk>/bsn/", dossier.bsn_tonen, name="bsn"),
    path("<int:pk>/contactmomenten/", dossier.contactmoment, name="contactmoment"),
    path("<int:pk>/participatieladder/", dossier.ladder, name="ladder"),
    path("<int:pk>/plaatsingen/nieuw/", plaatsing_nieuw, name="plaatsing_nieuw"),
    path("<int:pk>/voorkeuren/", voorkeuren, name="voorkeuren"),
    path("<int:pk>/wie-past-waar/", wie_past_waar, name="wie_past_waar"),
    path("<int:pk>/wachtlijst/", wachtlijst, name="wachtlijst"),
    path("<int:pk>/wachtlijst/<int:plaats>/af/", van_wachtlijst, name="van_wachtlijst"),
    path("<int:pk>/uren/", uren_views.overzicht, name="uren"),
    path("<int:pk>/uren/nieuw/", uren_views.registreren, name="uren_registreren"),
    path("<int:pk>/inzage/", inzage.inzage, name="inzage"),
    path("<int:pk>/inzage/pdf/", inzage.inzage_pdf, name="inzage_pdf"),
    path("<int:pk>/inzage/json/", inzage.inzage_json, name="inzage_json"),
]

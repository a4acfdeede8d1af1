from django.urls import path

from trajecten.views import uren as uren_views
from werkplekken.views import plaatsing_nieuw

from . import views

app_name = "deelnemers"

urlpatterns = [
    path("", views.lijst, name="lijst"),
    path("nieuw/", views.nieuw, name="nieuw"),
    path("<int:pk>/", views.dossier, name="dossier"),
    path("<int:pk>/bewerken/", views.bewerken, name="bewerken"),
    path("<int:pk>/plaatsingen/nieuw/", plaatsing_nieuw, name="plaatsing_nieuw"),
    path("<int:pk>/uren/nieuw/", uren_views.registreren, name="uren_registreren"),
]

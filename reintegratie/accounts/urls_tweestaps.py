"""The second step's pages, under /tweestaps/ (namespace ``tweestaps``)."""

from django.urls import path

from . import views_tweestaps as views

app_name = "tweestaps"

urlpatterns = [
    path("", views.overzicht, name="overzicht"),
    path("controleren/", views.controleren, name="controleren"),
    path("instellen/", views.instellen, name="instellen"),
    path("back-upcodes/", views.backupcodes, name="backupcodes"),
]

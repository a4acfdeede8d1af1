from django.urls import path

from . import views

app_name = "taken"

urlpatterns = [
    path("", views.mijn_taken, name="mijn"),
    path("deelnemer/<int:pk>/nieuw/", views.nieuw, name="nieuw"),
    path("<int:pk>/afronden/", views.afronden, name="afronden"),
    path("<int:pk>/wijzigen/", views.wijzigen, name="wijzigen"),
    path("overdragen/", views.overdragen, name="overdragen"),
]

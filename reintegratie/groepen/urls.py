from django.urls import path

from . import views

app_name = "groepen"

urlpatterns = [
    path("", views.lijst, name="lijst"),
    path("nieuw/", views.nieuw, name="nieuw"),
    path("<int:pk>/", views.detail, name="detail"),
    path("lid/<int:pk>/uitschrijven/", views.uitschrijven, name="uitschrijven"),
    path("bijeenkomst/<int:pk>/", views.aanwezigheid, name="aanwezigheid"),
    path("bijeenkomst/<int:pk>/verzetten/", views.verzetten, name="verzetten"),
]

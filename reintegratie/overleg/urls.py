from django.urls import path

from . import views

app_name = "overleg"

urlpatterns = [
    path("", views.lijst, name="lijst"),
    path("nieuw/", views.nieuw, name="nieuw"),
    path("aanwezigen/", views.aanwezigen, name="aanwezigen"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/wijzigen/", views.wijzigen, name="wijzigen"),
    path("<int:pk>/vooruit/", views.vooruit, name="vooruit"),
    path("bijeenkomst/<int:pk>/", views.bijeenkomst, name="bijeenkomst"),
    path("bijeenkomst/<int:pk>/verplaatsen/", views.verplaatsen, name="verplaatsen"),
    path("bijeenkomst/<int:pk>/vergaderstukken/", views.pakket, name="pakket"),
    path("bespreking/<int:pk>/", views.bespreking, name="bespreking"),
]

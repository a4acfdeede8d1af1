from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("account/wachtwoord/", views.WachtwoordWijzigenView.as_view(), name="wachtwoord"),
    path("account/sessie/", views.sessie, name="sessie"),
    path("beheer-accounts/vergrendeld/", views.vergrendelde_accounts, name="vergrendeld"),
    path(
        "beheer-accounts/vergrendeld/<int:pk>/ontgrendelen/",
        views.ontgrendelen,
        name="ontgrendelen",
    ),
]

from django.urls import path

from . import views

app_name = "agenda"

urlpatterns = [
    path("", views.week, name="week"),
    path("nieuw/", views.nieuw, name="nieuw"),
    path("medewerkers/", views.medewerkers, name="medewerkers"),
    path("deelnemer/<int:pk>/nieuw/", views.plannen, name="plannen"),
    path("<int:pk>/wijzigen/", views.wijzigen, name="wijzigen"),
    path("<int:pk>/uitkomst/", views.uitkomst, name="uitkomst"),
    path("feed/", views.feed_instellingen, name="feed_instellingen"),
    path("feed/<str:token>/afspraken.ics", views.feed, name="feed"),
]

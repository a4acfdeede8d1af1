from django.urls import path

from trajecten.views import aanwezigheid, week

from . import views

app_name = "werkplekken"

urlpatterns = [
    path("", views.lijst, name="lijst"),
    path("bezetting/", views.bezetting, name="bezetting"),
    path("situatie/", views.situatie, name="situatie"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/kandidaten/", views.kandidaten, name="kandidaten"),
    path("<int:pk>/week/", week.week, name="week"),
    path("<int:pk>/week/observaties/", week.observaties, name="observaties"),
    path("<int:pk>/aanwezigheid/", aanwezigheid.werkplek, name="aanwezigheid"),
]

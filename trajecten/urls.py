from django.urls import path

from .views import besluiten

app_name = "trajecten"

urlpatterns = [
    path(f"<int:pk>/{soort.replace('_', '-')}/", besluiten.besluit, {"soort": soort}, name=soort)
    for soort in besluiten.BESLUITEN
]

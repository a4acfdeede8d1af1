import django_filters
from django.db.models import Exists, OuterRef, Q

from trajecten.models import Traject

from .models import Deelnemer, Doelgroep


class DeelnemerFilter(django_filters.FilterSet):
    """Filters for the participant list; they live in the URL so a view can be bookmarked."""

    q = django_filters.CharFilter(label="Zoek op naam of BSN", method="zoek")
    traject = django_filters.ChoiceFilter(
        label="Traject",
        empty_label="Alle",
        choices=[
            ("lopend", "Lopend traject"),
            ("afgesloten", "Alleen afgesloten"),
            ("geen", "Geen"),
        ],
        method="filter_traject",
    )
    doelgroep = django_filters.ModelChoiceFilter(
        label="Doelgroep",
        queryset=Doelgroep.objects.all(),
        field_name="doelgroepen",
        empty_label="Alle",
    )
    mijn = django_filters.BooleanFilter(
        label="Alleen mijn caseload",
        method="filter_mijn",
        widget=django_filters.widgets.BooleanWidget,
    )

    class Meta:
        model = Deelnemer
        fields = ["q", "traject", "doelgroep", "mijn"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def zoek(self, queryset, name, value):
        value = value.strip()
        if value.isdigit():
            return queryset.filter(bsn=value) if len(value) == 9 else queryset.none()
        woorden = value.split()
        for woord in woorden:
            queryset = queryset.filter(
                Q(voornaam__icontains=woord) | Q(achternaam__icontains=woord)
            )
        return queryset

    def filter_traject(self, queryset, name, value):
        lopend = Exists(Traject.objects.lopend().filter(deelnemer=OuterRef("pk")))
        ooit = Exists(Traject.objects.filter(deelnemer=OuterRef("pk")))
        if value == "lopend":
            return queryset.filter(lopend)
        if value == "afgesloten":
            return queryset.filter(ooit).exclude(lopend)
        return queryset.exclude(ooit)

    def filter_mijn(self, queryset, name, value):
        return queryset.filter(klantmanager=self.user) if value else queryset

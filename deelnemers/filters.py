import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from reintegratie.accounts.models import Organisatie, Rol
from reintegratie.forms import NLDesignFormMixin
from trajecten.models import Fasetype, Route, Signaal, Traject, Trajecttype, signaal_voorwaarden
from werkplekken.models import Plaatsing, Werkplek

from .models import Deelnemer, Doelgroep


class FilterForm(NLDesignFormMixin, forms.Form):
    """The filter form with the NL Design System classes on its widgets."""


def _lopend_traject(**voorwaarden):
    """A running trajectory of the participant on the outer query, matching ``voorwaarden``."""
    return Exists(Traject.objects.lopend().filter(deelnemer=OuterRef("pk"), **voorwaarden))


def zoekt_op_nummer(zoekterm: str) -> bool:
    """A search term with a digit in it is a BSN, or part of one (names have no digits): it
    never travels in a URL, where access logs and the browser's history would keep it. The
    caseload keeps it in the session (deelnemers.views.caseload)."""
    return any(teken.isdigit() for teken in zoekterm)


class CaseloadFilter(django_filters.FilterSet):
    """The caseload's filters. They live in the URL, so a view can be bookmarked and shared;
    all but a search by BSN, which the view keeps server-side (see :func:`zoekt_op_nummer`).

    For a klantmanager the list defaults to their own caseload: that is the list they work
    from, and it keeps the page fast at any size of the organisation.
    """

    # Not kept in the browser's form history either.
    q = django_filters.CharFilter(
        label="Zoek op naam of BSN",
        method="zoek",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    klantmanager = django_filters.ChoiceFilter(
        label="Klantmanager", method="filter_klantmanager", empty_label=None
    )
    # Free text, not a list: an organisation may have hundreds of klantmanagers.
    klantmanager_naam = django_filters.CharFilter(
        label="Naam klantmanager", method="filter_klantmanager_naam"
    )
    status = django_filters.ChoiceFilter(
        label="Status traject",
        choices=[
            *[(s.value, s.label) for s in Traject.Status if s != Traject.Status.AFGESLOTEN],
            ("afgesloten", "Alleen afgesloten"),
            ("geen", "Zonder traject"),
        ],
        empty_label="Alle",
        method="filter_status",
    )
    signaal = django_filters.ChoiceFilter(
        label="Signaal", choices=Signaal.choices, empty_label="Alle", method="filter_signaal"
    )
    route = django_filters.ChoiceFilter(
        label="Route", choices=Route.choices, empty_label="Alle", method="filter_route"
    )
    trajecttype = django_filters.ModelChoiceFilter(
        label="Trajecttype",
        queryset=Trajecttype.objects.all(),
        empty_label="Alle",
        method="filter_trajecttype",
    )
    fase = django_filters.ModelChoiceFilter(
        label="Huidige fase",
        queryset=Fasetype.objects.select_related("trajecttype"),
        empty_label="Alle",
        method="filter_fase",
    )
    verwijzer = django_filters.ModelChoiceFilter(
        label="Verwijzer", queryset=Organisatie.objects.all(), empty_label="Alle"
    )
    woongemeente = django_filters.ModelChoiceFilter(
        label="Woongemeente",
        queryset=Organisatie.objects.filter(soort=Organisatie.Soort.GEMEENTE),
        empty_label="Alle",
    )
    # Free text, not a list: a large organisation has hundreds of workplaces.
    werkplek = django_filters.CharFilter(label="Werkplek (nu)", method="filter_werkplek")
    doelgroep = django_filters.ModelChoiceFilter(
        label="Doelgroep",
        queryset=Doelgroep.objects.all(),
        field_name="doelgroepen",
        empty_label="Alle",
    )
    sorteer = django_filters.OrderingFilter(
        label="Sorteren op",
        empty_label=None,
        fields=[
            ("achternaam", "naam"),
            ("geboortedatum", "geboortedatum"),
            ("laatste_contact", "contact"),
        ],
        field_labels={
            "naam": "Naam (A-Z)",
            "-naam": "Naam (Z-A)",
            "geboortedatum": "Oudste eerst",
            "-geboortedatum": "Jongste eerst",
            "contact": "Langst geen contact",
            "-contact": "Laatste contact eerst",
        },
    )

    # Filters used less often, behind "Meer filters": closed, the page renders none of their
    # widgets nor reads their choices (trajecttypes, fasetypes, organisations, doelgroepen);
    # opened, htmx fetches them (deelnemers.views.caseload). One in use opens them at once.
    MEER = (
        "klantmanager_naam",
        "route",
        "trajecttype",
        "fase",
        "verwijzer",
        "woongemeente",
        "werkplek",
        "doelgroep",
    )

    class Meta:
        model = Deelnemer
        fields = []
        form = FilterForm

    def __init__(self, data=None, *args, user, **kwargs):
        data = data.copy() if data is not None else {}
        eigen_caseload = user.rol == Rol.KLANTMANAGER
        data.setdefault("klantmanager", "mijn" if eigen_caseload else "alle")
        data.setdefault("sorteer", "naam")
        super().__init__(data, *args, **kwargs)
        self.user = user
        self.filters["klantmanager"].extra["choices"] = [
            *([("mijn", "Mijn caseload")] if eigen_caseload else []),
            ("alle", "Alle klantmanagers"),
        ]

    @property
    def hoofdvelden(self):
        """The bound fields of the main filters, for the template."""
        return [self.form[naam] for naam in self.form.fields if naam not in self.MEER]

    @property
    def meer_velden(self):
        return [self.form[naam] for naam in self.MEER]

    @property
    def meer_in_gebruik(self) -> bool:
        return any(self.data.get(naam) for naam in self.MEER)

    def zoek(self, queryset, name, value):
        value = value.strip()
        if value.isdigit():
            return queryset.filter(bsn=value) if len(value) == 9 else queryset.none()
        for woord in value.split():
            queryset = queryset.filter(
                Q(voornaam__icontains=woord) | Q(achternaam__icontains=woord)
            )
        return queryset

    def filter_klantmanager(self, queryset, name, value):
        if value == "mijn":
            return queryset.filter(klantmanager=self.user)
        return queryset

    def filter_klantmanager_naam(self, queryset, name, value):
        for woord in value.split():
            queryset = queryset.filter(
                Q(klantmanager__first_name__icontains=woord)
                | Q(klantmanager__last_name__icontains=woord)
            )
        return queryset

    def filter_status(self, queryset, name, value):
        ooit = Exists(Traject.objects.filter(deelnemer=OuterRef("pk")))
        if value == "geen":
            return queryset.exclude(ooit)
        if value == "afgesloten":
            return queryset.filter(ooit).exclude(_lopend_traject())
        return queryset.filter(_lopend_traject(status=value))

    def filter_signaal(self, queryset, name, value):
        voorwaarde = signaal_voorwaarden(timezone.localdate())[value]
        return queryset.filter(Exists(Traject.objects.filter(voorwaarde, deelnemer=OuterRef("pk"))))

    def filter_route(self, queryset, name, value):
        return queryset.filter(_lopend_traject(route=value))

    def filter_trajecttype(self, queryset, name, value):
        return queryset.filter(_lopend_traject(trajecttype=value))

    def filter_fase(self, queryset, name, value):
        return queryset.filter(
            _lopend_traject(fasen__fasetype=value, fasen__einddatum__isnull=True)
        )

    def filter_werkplek(self, queryset, name, value):
        vandaag = timezone.localdate()
        plekken = Werkplek.objects.zichtbaar_voor(self.user).filter(naam__icontains=value.strip())
        return queryset.filter(
            Exists(
                Plaatsing.objects.lopend_op(vandaag).filter(
                    deelnemer=OuterRef("pk"), werkplek__in=plekken
                )
            )
        )

from django.urls import path

from .views import besluiten, contracten, financiering, instrumenten, plan, rapportage

app_name = "trajecten"

urlpatterns = [
    path("<int:pk>/plan/", plan.plan, name="plan"),
    path("<int:pk>/plan/nieuwe-versie/", plan.nieuwe_versie, name="plan_nieuwe_versie"),
    path("<int:pk>/plan/<int:versie>/ondertekenen/", plan.ondertekenen, name="plan_ondertekenen"),
    path("<int:pk>/plan/<int:versie>/pdf/", plan.pdf, name="plan_pdf"),
    path(
        "<int:pk>/werkervaringsovereenkomst/",
        plan.werkervaringsovereenkomst,
        name="werkervaringsovereenkomst",
    ),
    path("<int:pk>/instrumenten/nieuw/", instrumenten.nieuw, name="instrument_nieuw"),
    path("<int:pk>/contracten/nieuw/", contracten.contract_nieuw, name="contract_nieuw"),
    path(
        "<int:pk>/contracten/<int:contract>/beeindigen/",
        contracten.contract_beeindigen,
        name="contract_beeindigen",
    ),
    path("<int:pk>/nazorg/<int:moment>/", contracten.nazorg, name="nazorg"),
    path("<int:pk>/financiering/", financiering.vastleggen, name="financiering"),
    # Per participant, not per trajectory: ESF accounts for a person's hours in a year.
    path("deelnemer/<int:pk>/esf-urenstaat/", financiering.esf_urenstaat, name="esf_urenstaat"),
    path("<int:pk>/rapportages/nieuw/", rapportage.nieuw, name="rapportage_nieuw"),
    path("<int:pk>/rapportages/<int:rapportage>/", rapportage.detail, name="rapportage"),
    path(
        "<int:pk>/rapportages/<int:rapportage>/bewerken/",
        rapportage.bewerken,
        name="rapportage_bewerken",
    ),
    path("<int:pk>/rapportages/<int:rapportage>/pdf/", rapportage.pdf, name="rapportage_pdf"),
    *[
        path(
            f"<int:pk>/{soort.replace('_', '-')}/", besluiten.besluit, {"soort": soort}, name=soort
        )
        for soort in besluiten.BESLUITEN
    ],
]

"""The functioneel beheerder in the admin (/beheer/): configures his own organisation, and
cannot reach other organisations' users, workplaces or his own powers from there."""

from django.contrib.auth.models import Permission
from django.forms import MultiWidget
from django.urls import reverse
from django.utils import timezone

from reintegratie.accounts.models import Gebruiker, Organisatie, Rol
from reintegratie.audit.models import AuditRecord
from werkplekken.models import Werkplek

from .factories import GebruikerFactory


def formulier(response):
    """The POST data of an admin change form as the page offers it, unchanged."""
    form = response.context["adminform"].form
    data = {}
    for naam, veld in form.fields.items():
        if veld.disabled:
            continue
        waarde = form[naam].value()
        if isinstance(veld.widget, MultiWidget):
            for i, deel in enumerate(veld.widget.decompress(waarde)):
                data[f"{naam}_{i}"] = "" if deel is None else str(deel)
        elif isinstance(waarde, bool):
            if waarde:
                data[naam] = "on"
        elif isinstance(waarde, list | tuple):
            data[naam] = [getattr(w, "pk", w) for w in waarde]
        else:
            data[naam] = "" if waarde is None else waarde
    return data


def wijzig(model, pk):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[pk])


def bestaat_niet(response):
    """The admin's answer for an object that does not exist: back to the index, no form."""
    return response.status_code == 302 and response.url == reverse("admin:index")


# Users


def test_beheerder_ziet_alleen_gebruikers_van_eigen_organisatie(client, wereld, beheerder):
    response = client.get(reverse("admin:accounts_gebruiker_changelist"))
    assert response.status_code == 200
    getoond = set(response.context["cl"].result_list)
    assert wereld.gebruikers[Rol.KLANTMANAGER] in getoond
    assert wereld.buitenstaander not in getoond
    assert wereld.gebruikers[Rol.KETENPARTNER] not in getoond  # of the verwijzer


def test_beheerder_opent_geen_gebruiker_van_andere_organisatie(client, wereld, beheerder):
    buitenstaander = wereld.buitenstaander
    assert bestaat_niet(client.get(wijzig(Gebruiker, buitenstaander.pk)))
    assert bestaat_niet(client.post(wijzig(Gebruiker, buitenstaander.pk), {"rol": Rol.BEHEERDER}))
    wachtwoord = reverse("admin:auth_user_password_change", args=[buitenstaander.pk])
    assert client.get(wachtwoord).status_code == 404
    response = client.post(
        wachtwoord,
        {"usable_password": "true", "password1": "Overname-2024!", "password2": "Overname-2024!"},
    )
    assert response.status_code == 404
    buitenstaander.refresh_from_db()
    assert not buitenstaander.check_password("Overname-2024!")


def test_beheerder_kent_zichzelf_geen_rechten_toe(client, wereld, beheerder):
    rechten = set(beheerder.user_permissions.values_list("pk", flat=True))
    url = wijzig(Gebruiker, beheerder.pk)
    data = formulier(client.get(url))
    alle_rechten = list(Permission.objects.values_list("pk", flat=True))
    data.update(
        is_superuser="on",
        user_permissions=alle_rechten,
        organisatie=wereld.vreemd.pk,
        rol=Rol.KLANTMANAGER,
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    beheerder.refresh_from_db()
    assert not beheerder.is_superuser
    assert beheerder.is_staff
    assert beheerder.organisatie == wereld.eigen
    assert beheerder.rol == Rol.BEHEERDER
    assert set(beheerder.user_permissions.values_list("pk", flat=True)) == rechten


def test_beheerder_maakt_collega_geen_superuser(client, wereld, beheerder):
    klantmanager = wereld.gebruikers[Rol.KLANTMANAGER]
    url = wijzig(Gebruiker, klantmanager.pk)
    data = formulier(client.get(url))
    data.update(
        is_superuser="on",
        is_staff="on",
        user_permissions=list(Permission.objects.values_list("pk", flat=True)),
        organisatie=wereld.vreemd.pk,
        first_name="Anders",
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    klantmanager.refresh_from_db()
    assert klantmanager.first_name == "Anders"  # the edit itself went through
    assert not klantmanager.is_superuser
    assert not klantmanager.is_staff
    assert klantmanager.organisatie == wereld.eigen
    assert not klantmanager.user_permissions.exists()


def test_beheerder_verwijdert_zichzelf_niet(client, beheerder):
    url = reverse("admin:accounts_gebruiker_delete", args=[beheerder.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Gebruiker.objects.filter(pk=beheerder.pk).exists()


def nieuwe_gebruiker(wereld, username, rol):
    return {
        "username": username,
        "usable_password": "true",
        "password1": "Nieuw-wachtwoord-2024",
        "password2": "Nieuw-wachtwoord-2024",
        "first_name": "Nieuwe",
        "last_name": "Collega",
        "organisatie": wereld.vreemd.pk,
        "rol": rol,
    }


def test_nieuwe_gebruiker_komt_in_eigen_organisatie(client, wereld, beheerder):
    response = client.post(
        reverse("admin:accounts_gebruiker_add"),
        nieuwe_gebruiker(wereld, "nieuwe_km", Rol.KLANTMANAGER),
    )
    assert response.status_code == 302
    nieuw = Gebruiker.objects.get(username="nieuwe_km")
    assert nieuw.organisatie == wereld.eigen
    assert nieuw.rol == Rol.KLANTMANAGER
    assert not nieuw.is_staff
    assert not nieuw.is_superuser


def test_nieuwe_beheerder_mag_in_beheer(client, wereld, beheerder):
    response = client.post(
        reverse("admin:accounts_gebruiker_add"),
        nieuwe_gebruiker(wereld, "nieuwe_beheerder", Rol.BEHEERDER),
    )
    assert response.status_code == 302
    nieuw = Gebruiker.objects.get(username="nieuwe_beheerder")
    assert nieuw.organisatie == wereld.eigen
    assert nieuw.is_staff
    assert not nieuw.is_superuser


def test_filter_toont_geen_andere_organisaties(client, beheerder):
    response = client.get(reverse("admin:accounts_gebruiker_changelist"))
    assert "organisatie" not in response.context["cl"].list_filter


# Workplaces


def test_begeleider_is_trajectbegeleider_van_eigen_organisatie(client, wereld, beheerder):
    vreemde_begeleider = GebruikerFactory(rol=Rol.TRAJECTBEGELEIDER, organisatie=wereld.vreemd)
    response = client.get(wijzig(Werkplek, wereld.werkplek.pk))
    assert response.status_code == 200
    keuzes = set(response.context["adminform"].form.fields["begeleider"].queryset)
    assert wereld.gebruikers[Rol.TRAJECTBEGELEIDER] in keuzes
    assert wereld.gebruikers[Rol.KLANTMANAGER] not in keuzes
    assert vreemde_begeleider not in keuzes


def test_beheerder_opent_geen_werkplek_van_andere_organisatie(client, wereld, beheerder):
    assert bestaat_niet(client.get(wijzig(Werkplek, wereld.vreemde_werkplek.pk)))
    response = client.get(reverse("admin:werkplekken_werkplek_changelist"))
    getoond = set(response.context["cl"].result_list)
    assert getoond == {wereld.werkplek}


def test_nieuwe_werkplek_komt_in_eigen_organisatie(client, wereld, beheerder):
    response = client.post(
        reverse("admin:werkplekken_werkplek_add"),
        {
            "naam": "Fietsenmakerij",
            "organisatie": wereld.vreemd.pk,
            "soort": Werkplek.Soort.INTERN,
            "werksoort": "productie",
            "capaciteit": 5,
            "begeleider": wereld.gebruikers[Rol.TRAJECTBEGELEIDER].pk,
            "actief": "on",
        },
    )
    assert response.status_code == 302
    assert Werkplek.objects.get(naam="Fietsenmakerij").organisatie == wereld.eigen


# Configuration


def test_beheerder_beheert_doelstellingen(client, beheerder):
    assert client.get(reverse("admin:trajecten_doelstelling_changelist")).status_code == 200
    assert client.get(reverse("admin:trajecten_doelstelling_add")).status_code == 200


def test_beheerder_wijzigt_geen_andere_organisatie(client, wereld, beheerder):
    url = wijzig(Organisatie, wereld.vreemd.pk)
    assert client.get(url).status_code == 200  # the ketenpartner registry is readable
    response = client.post(
        url, {"naam": "Overgenomen", "soort": Organisatie.Soort.GEMEENTE, "plaats": "Elders"}
    )
    assert response.status_code in (403, 404)
    wereld.vreemd.refresh_from_db()
    assert wereld.vreemd.naam == "Werkbedrijf Vreemd"
    assert wereld.vreemd.soort == Organisatie.Soort.WERKBEDRIJF


def test_beheerder_wijzigt_eigen_organisatie_en_voegt_toe(client, wereld, beheerder):
    url = wijzig(Organisatie, wereld.eigen.pk)
    data = formulier(client.get(url))
    data["plaats"] = "Enschede"
    assert client.post(url, data).status_code == 302
    wereld.eigen.refresh_from_db()
    assert wereld.eigen.plaats == "Enschede"
    response = client.post(
        reverse("admin:accounts_organisatie_add"),
        {"naam": "Nieuwe Werkgever", "soort": Organisatie.Soort.WERKGEVER, "plaats": ""},
    )
    assert response.status_code == 302
    assert Organisatie.objects.filter(naam="Nieuwe Werkgever").exists()


def test_beheerder_verwijdert_geen_organisatie(client, wereld, beheerder):
    nieuw = Organisatie.objects.create(naam="Leeg", soort=Organisatie.Soort.WERKGEVER)
    url = reverse("admin:accounts_organisatie_delete", args=[nieuw.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Organisatie.objects.filter(pk=nieuw.pk).exists()


def test_beheerder_zet_tweestapsverificatie_niet_uit(client, wereld, beheerder):
    """The beheerder's own accounts are what the second factor protects: switching it off
    is the superuser's decision."""
    url = wijzig(Organisatie, wereld.eigen.pk)
    data = formulier(client.get(url))
    data.pop("tweestaps_verplicht", None)  # an unchecked box: what switching it off posts
    data["plaats"] = "Hengelo"
    assert client.post(url, data).status_code == 302
    wereld.eigen.refresh_from_db()
    assert wereld.eigen.plaats == "Hengelo"
    assert wereld.eigen.tweestaps_verplicht is True


def _wachtwoord_zetten(client, gebruiker):
    url = reverse("admin:auth_user_password_change", args=[gebruiker.pk])
    return client.post(
        url,
        {
            "password1": "Overgenomen-wachtwoord-9",
            "password2": "Overgenomen-wachtwoord-9",
            "usable_password": "true",
        },
    )


def test_beheerder_zet_geen_wachtwoord_van_een_gebruikt_account(client, wereld, beheerder):
    """With the password and a reset of the second factor, the beheerder would be that
    klantmanager, and read her files: an account in use changes its own password."""
    km = wereld.gebruikers[Rol.KLANTMANAGER]
    km.last_login = timezone.now()
    km.save()
    assert _wachtwoord_zetten(client, km).status_code == 403
    km.refresh_from_db()
    assert not km.check_password("Overgenomen-wachtwoord-9")


def test_beheerder_zet_het_eerste_wachtwoord_en_dat_wordt_gelogd(client, wereld, beheerder):
    nieuw = GebruikerFactory(organisatie=wereld.eigen, rol=Rol.KLANTMANAGER, last_login=None)
    assert _wachtwoord_zetten(client, nieuw).status_code == 302
    nieuw.refresh_from_db()
    assert nieuw.check_password("Overgenomen-wachtwoord-9")
    assert AuditRecord.objects.filter(
        gebruiker=nieuw, actie=AuditRecord.Actie.WACHTWOORD_GEWIJZIGD
    ).exists()

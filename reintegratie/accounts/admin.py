from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_totp.models import TOTPDevice

from reintegratie.audit.models import AuditRecord
from reintegratie.audit.verwerking import log_gebeurtenis

from . import tweestaps
from .models import Gebruiker, Organisatie, Rol

# A functioneel beheerder (staff, not superuser) configures his own organisation only; the
# powers that reach beyond it (superuser, staff, permissions, groups) stay with the
# superusers created from the command line.
ALLEEN_SUPERUSER = {"is_superuser", "groups", "user_permissions"}


@admin.register(Organisatie)
class OrganisatieAdmin(admin.ModelAdmin):
    list_display = ["naam", "soort", "plaats"]
    list_filter = ["soort"]
    search_fields = ["naam", "plaats"]

    # Every beheerder reads the ketenpartner registry and may add to it; he changes only
    # his own organisation, and removes none (users, workplaces and cases hang on them).
    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return request.user.is_superuser or obj is None or obj.pk == request.user.organisatie_id

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    # Whether an organisation's users need a second factor is the security officer's call
    # (the system's superuser), not that of the beheerder whose accounts it protects.
    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ()
        return ("tweestaps_verplicht",)


@admin.register(Gebruiker)
class GebruikerAdmin(UserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "organisatie",
        "rol",
        "is_active",
        "tweestaps_ingesteld",
    ]
    list_filter = ["rol", "organisatie", "is_active"]
    list_select_related = ["organisatie"]
    actions = ["tweestaps_herstellen"]
    fieldsets = [
        *UserAdmin.fieldsets,
        ("Organisatie en rol", {"fields": ["organisatie", "rol"]}),
    ]
    add_fieldsets = [
        *UserAdmin.add_fieldsets,
        ("Organisatie en rol", {"fields": ["first_name", "last_name", "organisatie", "rol"]}),
    ]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        if request.user.organisatie_id is None:
            return qs.none()
        # Scoping the queryset scopes get_object, so the change, password, history and
        # delete views of other organisations' users answer 404.
        return qs.filter(organisatie_id=request.user.organisatie_id, is_superuser=False)

    def get_changelist_instance(self, request):
        # The list only: whether each user has a confirmed app, in the list's one query.
        changelist = super().get_changelist_instance(request)
        changelist.queryset = changelist.queryset.annotate(
            heeft_app=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        )
        return changelist

    @admin.display(description="tweestaps ingesteld", boolean=True)
    def tweestaps_ingesteld(self, obj):
        return getattr(obj, "heeft_app", None)

    @admin.action(
        description="Tweestapsverificatie herstellen (app en back-upcodes wissen)",
        permissions=["change"],
    )
    def tweestaps_herstellen(self, request, queryset):
        """The second factor of the selected users is removed: each enrols a new app at his
        next log-in. ``queryset`` is this admin's, so a beheerder reaches only the users of
        his own organisation (another's are not listed, and their ids are filtered out). Not
        his own account: that takes another beheerder, so a thief with his session cannot
        enrol his own phone."""
        hersteld = 0
        for gebruiker in queryset.exclude(pk=request.user.pk):
            if not tweestaps.herstel(gebruiker):
                continue
            hersteld += 1
            # The account concerned, and (same request id) the beheerder who did it.
            log_gebeurtenis(
                request,
                AuditRecord.Actie.TWEESTAPS_HERSTELD,
                gebruiker=gebruiker,
                omschrijving="Tweestapsverificatie hersteld door een functioneel beheerder",
            )
            log_gebeurtenis(
                request,
                AuditRecord.Actie.TWEESTAPS_HERSTELD,
                omschrijving="Tweestapsverificatie van een ander account hersteld",
            )
        if queryset.filter(pk=request.user.pk).exists():
            self.message_user(
                request,
                "Uw eigen tweestapsverificatie herstelt een andere beheerder.",
                messages.WARNING,
            )
        self.message_user(
            request,
            f"Tweestapsverificatie hersteld voor {hersteld} gebruiker(s); zij stellen bij de "
            "volgende keer inloggen een nieuwe app in.",
            messages.SUCCESS,
        )

    def get_list_filter(self, request):
        if request.user.is_superuser:
            return self.list_filter
        return [f for f in self.list_filter if f != "organisatie"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (naam, {**opties, "fields": [f for f in opties["fields"] if f not in ALLEEN_SUPERUSER]})
            for naam, opties in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return readonly
        readonly += ["is_staff", "organisatie"]
        if obj is not None and obj.pk == request.user.pk:
            readonly.append("rol")
        return readonly

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.pk == request.user.pk:
            return False
        return super().has_delete_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        """A beheerder sets the first password of an account that was never used; after
        that only its user (Wachtwoord wijzigen) or a superuser does. Otherwise the beheerder
        who also resets the second factor could log in as any colleague and read the files
        that colleague reads. Logged."""
        gebruiker = self.get_object(request, unquote(id))
        if gebruiker is not None and not request.user.is_superuser and gebruiker.last_login:
            raise PermissionDenied("Alleen de gebruiker zelf wijzigt het wachtwoord.")
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302 and gebruiker is not None:
            log_gebeurtenis(
                request,
                AuditRecord.Actie.WACHTWOORD_GEWIJZIGD,
                gebruiker=gebruiker,
                omschrijving="Wachtwoord ingesteld in het beheer",
            )
        return response

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            if not change:
                obj.organisatie_id = request.user.organisatie_id
            if not change or "rol" in form.changed_data:
                # The admin is the beheerder's workplace: only beheerders enter it.
                obj.is_staff = obj.rol == Rol.BEHEERDER
        super().save_model(request, obj, form, change)

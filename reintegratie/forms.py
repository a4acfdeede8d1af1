"""Form conventions shared by every app: Dutch date inputs, NL Design System classes, and a
maximum length for free text."""

import html

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe

# Free text (the model's TextFields: a plan's afspraken, a report's bevindingen, a journal
# entry) has no maximum of its own. Without one a pasted or scripted million characters is
# saved and then rendered on every page and PDF that shows it (seconds per request). 5,000
# characters is some three A4 pages: more than any field here needs, and what does not fit
# belongs in a document, not in a text box.
MAX_TEKST_LENGTE = 5000


def _getal(n: int) -> str:
    """An integer with Dutch thousands separators: 5.000, 1.000.000."""
    return f"{n:,}".replace(",", ".")


class TekstLengteValidator(MaxLengthValidator):
    """Django's MaxLengthValidator with the numbers written the Dutch way."""

    def __call__(self, value):
        lengte = len(value)
        if lengte > self.limit_value:
            raise ValidationError(
                self.message,
                code=self.code,
                params={"limit_value": _getal(self.limit_value), "show_value": _getal(lengte)},
            )


TE_LANG = "Dit veld mag hoogstens %(limit_value)s tekens bevatten (nu %(show_value)s)."


def is_sleutel(waarde) -> bool:
    """Whether a posted key is a whole number of a sane length. Checked before the database
    sees it: SQLite cannot even compare an integer of 50 digits (OverflowError, a 500)."""
    tekst = str(waarde)
    return tekst.isdecimal() and len(tekst) <= 18


class Sleutelkeuze(forms.ModelChoiceField):
    """A model choice that refuses an insane key with its own message, as an unknown one."""

    def to_python(self, value):
        if value not in self.empty_values and not is_sleutel(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class Sleutelkeuzes(forms.ModelMultipleChoiceField):
    """The same for a multiple choice."""

    def _check_values(self, value):
        for pk in value:
            if not is_sleutel(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


def _escape(tekst) -> str:
    """As Django's conditional_escape, a quarter of its time per call: a large organisation's
    pick list escapes 4,000 strings."""
    if hasattr(tekst, "__html__"):
        return tekst.__html__()
    return html.escape(str(tekst))


class Keuzelijst(forms.Select):
    """A select whose options are written here, not by a template each: Django's own widget
    renders one template per option, which for a large organisation's staff (2,000 people,
    twice on a dossier) took most of a second. Flat lists only; the same HTML otherwise."""

    def render(self, name, value, attrs=None, renderer=None):
        gekozen = set(self.format_value(value))
        opties = []
        for keuze, label in self.choices:
            if isinstance(label, (list, tuple)):
                raise ValueError("Keuzelijst toont geen groepen van keuzes.")
            waarde = "" if keuze is None else str(keuze)
            opties.append(
                f'<option value="{_escape(waarde)}"'
                f"{' selected' if waarde in gekozen else ''}>{_escape(label)}</option>"
            )
        return format_html(
            "<select{}>{}</select>",
            flatatt(self.build_attrs(self.attrs, {**(attrs or {}), "name": name})),
            mark_safe("".join(opties)),  # each part escaped above
        )


class DatumInput(forms.DateInput):
    """A native date picker; the browser shows it in the user's (Dutch) locale."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class NLDesignFormMixin:
    """Adds the Utrecht component classes to the widgets, so templates stay plain, and gives
    every text field without a maximum length MAX_TEKST_LENGTE.

    Only the fields the form has when this ``__init__`` returns: a subclass that adds text
    fields afterwards gives them a ``max_length`` itself.
    """

    # CharFields whose cleaned value is not text: a length says nothing about them.
    geen_tekst = (forms.JSONField, forms.UUIDField)

    widget_classes = {
        # Before RadioSelect, of which it is a subclass.
        forms.CheckboxSelectMultiple: "utrecht-checkbox utrecht-checkbox--html-input",
        forms.RadioSelect: "utrecht-radio-button utrecht-radio-button--html-input",
        forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
        forms.Select: "utrecht-select utrecht-select--html-select",
        forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = next(
                (c for t, c in self.widget_classes.items() if isinstance(widget, t)),
                "utrecht-textbox utrecht-textbox--html-input",
            )
            widget.attrs.setdefault("class", css)
            if (
                isinstance(field, forms.CharField)
                and not isinstance(field, self.geen_tekst)
                and field.max_length is None
            ):
                field.max_length = MAX_TEKST_LENGTE
                field.validators.append(TekstLengteValidator(MAX_TEKST_LENGTE, message=TE_LANG))
                if not widget.is_hidden:
                    widget.attrs.setdefault("maxlength", str(MAX_TEKST_LENGTE))

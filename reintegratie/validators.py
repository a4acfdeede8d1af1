"""Dutch identifiers with Dutch messages: localflavor does the checking, we do the wording."""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from localflavor.nl.forms import NLZipCodeField as NLZipCodeFormField
from localflavor.nl.models import NLZipCodeField
from localflavor.nl.validators import NLBSNFieldValidator, NLZipCodeFieldValidator


@deconstructible
class BSNValidator(NLBSNFieldValidator):
    """Nine digits that pass the elfproef (and are not all zero)."""

    def __call__(self, value):
        if not re.fullmatch(r"\d{9}", value or ""):
            raise ValidationError("Een BSN bestaat uit precies 9 cijfers.", code="invalid")
        try:
            super().__call__(value)
        except ValidationError:
            raise ValidationError(
                "Dit BSN doorstaat de elfproef niet; controleer de cijfers.", code="invalid"
            ) from None


@deconstructible
class PostcodeValidator(NLZipCodeFieldValidator):
    def __call__(self, value):
        try:
            super().__call__(value)
        except ValidationError:
            raise ValidationError("Vul een postcode in als 1234 AB.", code="invalid") from None


class PostcodeFormField(NLZipCodeFormField):
    """Accepts 7607ab or 7607 AB, stores 7607 AB."""

    default_validators = [PostcodeValidator()]


class Postcode(NLZipCodeField):
    """A Dutch postcode, normalised to ``1234 AB``, with a Dutch message when it is not one."""

    validators = [PostcodeValidator()]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PostcodeFormField, **kwargs})

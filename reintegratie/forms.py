"""Form conventions shared by every app: Dutch date inputs and NL Design System classes."""

from django import forms


class DatumInput(forms.DateInput):
    """A native date picker; the browser shows it in the user's (Dutch) locale."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class NLDesignFormMixin:
    """Adds the Utrecht component classes to the widgets, so templates stay plain."""

    widget_classes = {
        forms.CheckboxSelectMultiple: "utrecht-checkbox utrecht-checkbox--html-input",
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

"""Forms of the clinic summary's pages: questions for the visit and importing a diary file.

(The period form of the summary itself is diary.report.ReportForm.)
"""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from diary.export import MAX_IMPORT_BYTES


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Your question or concern"),
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": _("Write the question first."),
            "max_length": _("Keep it under 300 characters: the summary has room for a line or two."),
        },
    )

    def clean_text(self) -> str:
        text = " ".join(self.cleaned_data["text"].split())
        if not text:
            raise forms.ValidationError(_("Write the question first."))
        return text


class QuestionDoneForm(forms.Form):
    done = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1", empty_value=None)


class QuestionMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("The diary file (.json) exported from a LEMS diary"),
        error_messages={"required": _("Choose the file to import."), "empty": _("The file is empty.")},
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is too large to be a diary export (more than 50 MB)."))
        return upload

from __future__ import annotations

from django import forms

from accounts.models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name"]

    def clean_display_name(self) -> str:
        return " ".join(self.cleaned_data["display_name"].split())

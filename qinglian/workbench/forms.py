from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PersonForm(forms.Form):
    region_code = forms.CharField(
        label=_("Village or villager group code"),
        max_length=15,
        help_text=_("12 digits for a village, 15 for a villager group."),
    )
    name = forms.CharField(label=_("Name"), max_length=40)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        help_text=_("18 characters. Only a masked form is kept."),
    )
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    is_party_member = forms.BooleanField(label=_("Party member"), required=False)

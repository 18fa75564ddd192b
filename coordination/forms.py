"""Core forms: sign-in and personal settings."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import User


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Sign in"), css_class="w-100"))


class ProfileForm(forms.ModelForm):
    # The in-app notifications are always on; this chooses whether the daily digest is also emailed.
    email_reminders = forms.TypedChoiceField(
        label=_("Reminders"),
        choices=[
            (True, _("Daily email digest and in-app notifications")),
            (False, _("In-app notifications only")),
        ],
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
        help_text=_("One email a day at most, only when something is due soon or overdue."),
    )

    class Meta:
        model = User
        # Vietnamese names are written family name first.
        fields = ["last_name", "first_name", "email", "position", "language", "email_reminders"]
        labels = {"last_name": _("Family and middle name"), "first_name": _("Given name")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))

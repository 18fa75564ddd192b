"""Core forms: sign-in and personal settings, and the bridge from a service call to a form's errors."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .locking import ConflictError, current_version
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


# --- Calling a service from a form ----------------------------------------------------------------------


def form_errors_from(form, error):
    """Put a service's ValidationError on the form: each message on its field when the form has that field,
    the rest (and an error not keyed by field) on top of the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def call_service_into_form(form, service, /, *, conflict_message=None, conflict_instance=None, **kwargs):
    """Call `service(**kwargs)` for a bound, valid form; return True when it went through.

    A ValidationError becomes form errors (`form_errors_from`); a ConflictError (optimistic locking) becomes
    an error on top of the form, worded by `conflict_message` or by the exception. Either way the form stays
    bound to what the user typed, so the page re-renders with their input. With `conflict_instance`, the
    form's hidden `version` moves on to the stored one: the next save, made after the user has seen the
    conflict, is a deliberate choice and goes through.
    """
    try:
        service(**kwargs)
    except ConflictError as conflict:
        form.add_error(None, str(conflict_message or conflict))
        if conflict_instance is not None:
            data = form.data.copy()
            data[form.add_prefix("version")] = current_version(conflict_instance)
            form.data = data
        return False
    except ValidationError as error:
        form_errors_from(form, error)
        return False
    return True

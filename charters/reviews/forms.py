"""Forms of the review pages: create a review, edit its texts, return it, request a PDF."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from coordination.widgets import ChoiceLabelsMixin, DateInput

from .models import KINDS_WITH_GIVEN_PERIOD, AnnualReview, ReportFormat, ReviewKind
from .text import signers_parse, signers_text

TEXTAREA = {"rows": 8, "class": "review-text"}


class ReviewCreateForm(ChoiceLabelsMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Kind"), choices=ReviewKind.choices, initial=ReviewKind.ANNUAL)
    period_start = forms.DateField(
        label=_("Period from"),
        required=False,
        widget=DateInput,
        help_text=_("For a review of a given period or a mid-term review."),
    )
    period_end = forms.DateField(label=_("Period to"), required=False, widget=DateInput)
    idempotency_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_token", uuid.uuid4().hex)

    def clean(self):
        data = super().clean()
        if data.get("kind") in KINDS_WITH_GIVEN_PERIOD:
            start, end = data.get("period_start"), data.get("period_end")
            if not start:
                self.add_error("period_start", _("Give the first day of the period under review."))
            if not end:
                self.add_error("period_end", _("Give the last day of the period under review."))
            if start and end and start > end:
                self.add_error("period_end", _("The period cannot end before it starts."))
            if start and not 2000 <= start.year <= 2100:
                self.add_error("period_start", _("The date is out of range."))
            if end and not 2000 <= end.year <= 2100:
                self.add_error("period_end", _("The date is out of range."))
        else:
            data["period_start"] = data["period_end"] = None
        return data


class ReviewEditForm(ChoiceLabelsMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    signers = forms.CharField(
        label=_("Signers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 9}),
        help_text=_(
            "One block per signer, blocks separated by a blank line: the title lines as printed "
            '(e.g. "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), then the signer\'s name on the last line. '
            "Two or three signers print side by side, four in two rows."
        ),
    )

    class Meta:
        model = AnnualReview
        fields = [
            "number",
            "symbol",
            "place",
            "issued_on",
            "summary",
            "introduction",
            "general_assessment",
            "results",
            "shortcomings",
            "causes",
            "conference_conclusions",
            "charter_decision",
            "charter_decision_note",
            "next_tasks",
            "recommendations",
            "signers",
            "recipients",
        ]
        widgets = {
            "issued_on": DateInput(),
            "introduction": forms.Textarea(attrs={"rows": 3}),
            "general_assessment": forms.Textarea(attrs={"rows": 5}),
            "conference_conclusions": forms.Textarea(attrs={"rows": 5}),
            "charter_decision_note": forms.Textarea(attrs={"rows": 3}),
            "results": forms.Textarea(attrs={"rows": 16}),
            "shortcomings": forms.Textarea(attrs=TEXTAREA),
            "causes": forms.Textarea(attrs={"rows": 5}),
            "next_tasks": forms.Textarea(attrs=TEXTAREA),
            "recommendations": forms.Textarea(attrs={"rows": 5}),
            "recipients": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "results": _('Paragraphs separated by line breaks; a line starting with "1." prints as a sub-heading.'),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk:
            self.initial["version"] = self.instance.version
            self.initial["signers"] = signers_text(self.instance.signers)

    def clean_signers(self):
        try:
            return signers_parse(self.cleaned_data.get("signers", ""))
        except ValueError as error:
            if str(error) == "count":
                raise forms.ValidationError(_("A report has at most four signers.")) from error
            raise forms.ValidationError(
                _("Each signer needs at least a title line and the name, blocks separated by a blank line.")
            ) from error


class SignedCopyForm(forms.Form):
    """The secretariat records a party's approval given on paper."""

    agency = forms.TypedChoiceField(label=_("Party agency"), coerce=int)
    signed_copy = forms.FileField(label=_("Signed copy (PDF)"))
    signed_on = forms.DateField(
        label=_("Signed on"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    comment = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(agency.pk, agency.name) for agency in agencies]


class ReviewReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the approved review is reopened"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReviewReturnForm(ChoiceLabelsMixin, forms.Form):
    reason = forms.CharField(label=_("What needs correcting"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReportRequestForm(ChoiceLabelsMixin, forms.Form):
    with_appendix = forms.BooleanField(label=_("Add the appendix listing the year's petitions"), required=False)
    format = forms.ChoiceField(
        label=_("Format"),
        choices=ReportFormat.choices,
        initial=ReportFormat.PDF,
        required=False,
        widget=forms.RadioSelect,
    )

    def clean_format(self):
        return self.cleaned_data.get("format") or ReportFormat.PDF

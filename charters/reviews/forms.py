"""Forms of the review pages: create a review, edit its texts, return it, request a PDF."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from coordination.widgets import ChoiceLabelsMixin, DateInput

from .models import AnnualReview, ReviewKind

TEXTAREA = {"rows": 8, "class": "review-text"}


class ReviewCreateForm(ChoiceLabelsMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Kind"), choices=ReviewKind.choices, initial=ReviewKind.ANNUAL)
    idempotency_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_token", uuid.uuid4().hex)


class ReviewEditForm(ChoiceLabelsMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = AnnualReview
        fields = [
            "number",
            "symbol",
            "place",
            "issued_on",
            "summary",
            "introduction",
            "results",
            "shortcomings",
            "causes",
            "next_tasks",
            "recommendations",
            "recipients",
        ]
        widgets = {
            "issued_on": DateInput(),
            "introduction": forms.Textarea(attrs={"rows": 3}),
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


class ReviewReturnForm(ChoiceLabelsMixin, forms.Form):
    reason = forms.CharField(label=_("What needs correcting"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReportRequestForm(ChoiceLabelsMixin, forms.Form):
    with_appendix = forms.BooleanField(label=_("Add the appendix listing the year's petitions"), required=False)

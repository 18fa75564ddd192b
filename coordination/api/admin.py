"""Read-API tokens in the admin: an administrator issues one (the secret is shown once, on the page that
answers the form, never stored or put in a message cookie) and revokes them with an action."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import ApiToken
from .services import api_token_create, api_token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["agency", "created_by"]
    search_fields = ["name", "prefix", "agency__name"]
    autocomplete_fields = ["agency"]
    fields = ["agency", "name"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["agency", "name", "prefix", "created_by", "created_at", "last_used_at", "revoked_at"]

    def get_fields(self, request, obj=None):
        return self.fields if obj is None else self.get_readonly_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the audit log refers to the token

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing of a token changes but its revocation (the action)
        token, secret = api_token_create(
            actor=request.user, agency=form.cleaned_data["agency"], name=form.cleaned_data["name"]
        )
        obj.pk, obj.prefix, obj.secret_hash, obj.created_at = (
            token.pk,
            token.prefix,
            token.secret_hash,
            token.created_at,
        )
        request._api_token_secret = secret

    def response_add(self, request, obj, post_url_continue=None):
        secret = getattr(request, "_api_token_secret", None)
        if secret is None:
            return super().response_add(request, obj, post_url_continue)
        context = {
            **self.admin_site.each_context(request),
            "title": _("API token created"),
            "opts": self.opts,
            "token": obj,
            "secret": secret,
        }
        response = TemplateResponse(request, "coordination/api_token_secret.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        count = sum(api_token_revoke(actor=request.user, token=token) for token in queryset)
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count) % {"count": count},
            messages.SUCCESS,
        )

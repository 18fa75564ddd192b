"""Issue, revoke and list read-API tokens: `manage.py api_tokens create|revoke|list`.

api_tokens create --agency 12 --name "Cổng thông tin tỉnh" [--by admin]   prints the secret once
api_tokens revoke 7 [--by admin]
api_tokens list [--agency 12] [--all]
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from coordination.models import Agency

from ...models import ApiToken
from ...services import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "Issue, revoke or list the tokens of the read API (/api/v1/)."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        create = commands.add_parser("create", help="Issue a token for an agency; prints the secret once.")
        create.add_argument("--agency", type=int, required=True, help="Id of the agency the token reads for.")
        create.add_argument("--name", required=True, help="Which system uses it.")
        create.add_argument("--by", help="Username of the administrator issuing it (recorded in the audit log).")
        revoke = commands.add_parser("revoke", help="Revoke a token (it answers 401 from then on).")
        revoke.add_argument("token_id", type=int)
        revoke.add_argument("--by", help="Username of the administrator revoking it.")
        listing = commands.add_parser("list", help="List tokens (active ones unless --all).")
        listing.add_argument("--agency", type=int)
        listing.add_argument("--all", action="store_true", help="Include revoked tokens.")

    def handle(self, *args, action, **options):
        actor = self._actor(options.get("by"))
        if action == "create":
            agency = Agency.objects.select_related("unit").filter(pk=options["agency"]).first()
            if agency is None:
                raise CommandError(f"No agency with id {options['agency']}.")
            token, secret = api_token_create(actor=actor, agency=agency, name=options["name"])
            self.stdout.write(f"Token {token.pk} ({token.prefix}…) for {agency}.")
            self.stdout.write("Secret (shown once, only its hash is stored):")
            self.stdout.write(secret)
        elif action == "revoke":
            token = ApiToken.objects.select_related("agency__unit").filter(pk=options["token_id"]).first()
            if token is None:
                raise CommandError(f"No token with id {options['token_id']}.")
            if api_token_revoke(actor=actor, token=token):
                self.stdout.write(f"Token {token.pk} revoked.")
            else:
                self.stdout.write(f"Token {token.pk} was already revoked on {token.revoked_at:%Y-%m-%d %H:%M}.")
        else:
            tokens = ApiToken.objects.select_related("agency").order_by("agency__name", "name", "id")
            if options.get("agency"):
                tokens = tokens.filter(agency_id=options["agency"])
            if not options.get("all"):
                tokens = tokens.filter(revoked_at__isnull=True)
            for token in tokens:
                state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
                used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
                self.stdout.write(f"{token.pk}\t{token.prefix}…\t{token.agency}\t{token.name}\t{state}\tused {used}")

    def _actor(self, username):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username}.")
        return user

"""`manage.py suggestions train|evaluate [--province CODE | --unit CODE]`: train the suggestion models (what the
nightly job does) or measure them on a held-out, time-ordered split (top-1 and top-3 accuracy, time, memory)."""

import json

from django.core.management.base import BaseCommand, CommandError

from coordination.models import AdministrativeUnit
from voters import suggestions


class Command(BaseCommand):
    help = "Train or evaluate the petitions' field and agency suggestions (per province)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["train", "evaluate"])
        parser.add_argument("--province", help="code of one province (default: every province with history)")
        parser.add_argument("--unit", help="evaluate on one unit's own history only")
        parser.add_argument("--test-share", type=float, default=0.2, help="newest share held out (default 0.2)")

    def _unit(self, code):
        unit = AdministrativeUnit.objects.filter(code=code).first()
        if unit is None:
            raise CommandError(f"No unit with code {code}")
        return unit

    def handle(self, *args, action, province=None, unit=None, test_share=0.2, **options):
        if unit and action == "evaluate":
            target = self._unit(unit)
            rows = suggestions.history(unit=target)
            self._report(f"unit {target.code} {target.name}", suggestions.evaluate(rows, test_share))
            return
        provinces = [self._unit(province)] if province else suggestions.provinces_to_train()
        if unit:
            provinces = [suggestions.province_of(self._unit(unit))]
        for target in provinces:
            if action == "train":
                stored = suggestions.suggestion_model_train(province=target)
                if stored is None:
                    self.stdout.write(f"{target.code} {target.name}: too little history, no model")
                else:
                    self.stdout.write(f"{target.code} {target.name}: v{stored.version}, {stored.n_samples} petitions")
                    self._report(f"{target.code} held-out", stored.metrics)
            else:
                rows = suggestions.history(province=target)
                self._report(f"province {target.code} {target.name}", suggestions.evaluate(rows, test_share))

    def _report(self, label, metrics):
        self.stdout.write(f"{label}: {json.dumps(metrics, ensure_ascii=False)}")

"""`manage.py suggestions train|evaluate|curve [--province CODE | --unit CODE]`: train the suggestion models (what
the nightly job does), measure them on a held-out, time-ordered split (top-1 and top-3 accuracy, wall and CPU
time, peak memory), or draw the learning curve (accuracy against the number of recent petitions learned from)."""

import json
import time

from django.core.management.base import BaseCommand, CommandError

from coordination.models import AdministrativeUnit
from voters import suggestions


class Command(BaseCommand):
    help = "Train or evaluate the petitions' field and agency suggestions (per province)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["train", "evaluate", "curve"])
        parser.add_argument("--province", help="code of one province (default: every province with history)")
        parser.add_argument("--unit", help="evaluate on one unit's own history only")
        parser.add_argument("--test-share", type=float, default=0.2, help="newest share held out (default 0.2)")
        parser.add_argument(
            "--max-train",
            type=int,
            default=None,
            help="most recent petitions read per province (default SUGGESTIONS_MAX_TRAIN; 0: all)",
        )
        parser.add_argument(
            "--sizes", default="5000,20000,50000,100000", help="curve: training sizes (default 5000,20000,50000,100000)"
        )
        parser.add_argument("--test-size", type=int, default=5000, help="curve: newest petitions held out (5000)")

    def _unit(self, code):
        unit = AdministrativeUnit.objects.filter(code=code).first()
        if unit is None:
            raise CommandError(f"No unit with code {code}")
        return unit

    def handle(self, *args, action, province=None, unit=None, test_share=0.2, max_train=None, **options):
        started, cpu = time.perf_counter(), time.process_time()
        if unit and action == "evaluate":
            target = self._unit(unit)
            rows = suggestions.history(unit=target, limit=max_train)
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
            elif action == "evaluate":
                rows = suggestions.history(province=target, limit=max_train)
                self._report(f"province {target.code} {target.name}", suggestions.evaluate(rows, test_share))
            else:
                sizes = sorted(int(size) for size in options["sizes"].split(",") if size.strip())
                test_size = options["test_size"]
                rows = suggestions.history(province=target, limit=max(sizes) + test_size)
                if len(rows) <= test_size:
                    self.stdout.write(f"{target.code} {target.name}: {len(rows)} petitions, too few for a curve")
                    continue
                for point in suggestions.learning_curve(rows, sizes, test_size):
                    self._report(f"curve {target.code} {target.name}", point)
        self.stdout.write(
            f"total: {len(provinces)} provinces, {time.perf_counter() - started:.1f} s wall, "
            f"{time.process_time() - cpu:.1f} s CPU, peak RSS {suggestions.peak_rss_mb()} MB"
        )

    def _report(self, label, metrics):
        self.stdout.write(f"{label}: {json.dumps(metrics, ensure_ascii=False, default=str)}")

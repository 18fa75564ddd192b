"""App config of the benchmark: the load generator and the benchmark commands (`make bench`)."""

from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "bench"
    verbose_name = "Benchmark"

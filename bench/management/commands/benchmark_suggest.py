"""manage.py benchmark_suggest: time the suggestion endpoint as a clerk's page calls it.

Signs `--user` in with the test client and asks `/petitions/suggest/` for `--calls` petition texts (varied, as a
clerk types them), after one first call that loads the province's model (reported apart). Prints one BENCH_JSON
line: how many calls answered a suggestion, median and p95 wall time, median CPU time of the process per call
(on a busy machine a better guide than the wall time to a quiet machine's), the cold first call, and the peak RSS.
Nothing is written to the database but the test client's session.
"""

import json
import resource
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.test import Client, override_settings
from django.urls import reverse

from coordination.models import User

TEXTS = [
    "Cử tri đề nghị sửa chữa tuyến đường liên xã bị xuống cấp, nhiều ổ gà, mùa mưa ngập sâu",
    "Đề nghị xây thêm phòng học cho trường tiểu học, lớp học quá tải, thiếu giáo viên",
    "Cử tri phản ánh tình trạng thiếu thuốc bảo hiểm y tế tại trạm y tế xã",
    "Đề nghị sớm cấp giấy chứng nhận quyền sử dụng đất cho các hộ dân đã sử dụng ổn định",
    "Cử tri đề nghị nâng mức trợ cấp cho người cao tuổi, rà soát hộ nghèo đúng đối tượng",
    "Đề nghị xử lý ô nhiễm môi trường từ bãi rác, mùi hôi ảnh hưởng sức khỏe người dân",
    "Đề nghị tăng cường tuần tra, xử lý tình trạng đua xe trái phép vào ban đêm",
    "Cử tri kiến nghị hỗ trợ vốn vay ưu đãi cho hộ sản xuất nông nghiệp bị thiệt hại do bão",
    "Đề nghị bồi thường, hỗ trợ tái định cư cho các hộ dân bị ảnh hưởng bởi dự án mở rộng đường",
    "Đề nghị lắp đặt hệ thống đèn chiếu sáng và mương thoát nước tại khu dân cư",
]


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Command(BaseCommand):
    help = "Time the petition suggestion endpoint (median and p95 over --calls calls) for one clerk."

    def add_arguments(self, parser):
        parser.add_argument("--user", default="danang.hdnd.clerk", help="a clerk (default danang.hdnd.clerk)")
        parser.add_argument("--calls", type=int, default=60)

    def handle(self, *args, user, calls, **options):
        account = User.objects.filter(username=user).first()
        if account is None:
            raise CommandError(f"No user {user}")
        with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
            client = Client()
            client.force_login(account)
            url = reverse("voters:suggest")
            started = time.perf_counter()
            first = client.get(url, {"content": TEXTS[0]}).json()["suggestion"]
            cold_ms = (time.perf_counter() - started) * 1000
            walls, cpus, answered = [], [], 0
            for index in range(calls):
                # Varied like a clerk's typing: a text, a longer or shorter form of it.
                text = TEXTS[index % len(TEXTS)]
                text = text[: len(text) - (index % 3) * 7]
                started, cpu = time.perf_counter(), cpu_seconds()
                response = client.get(url, {"content": text})
                walls.append((time.perf_counter() - started) * 1000)
                cpus.append((cpu_seconds() - cpu) * 1000)
                answered += response.json()["suggestion"] is not None
        walls.sort()
        result = {
            "user": user,
            "calls": calls,
            "answered": answered,
            "model_version": first["version"] if first else None,
            "cold_first_ms": round(cold_ms, 1),
            "median_ms": round(statistics.median(walls), 1),
            "p95_ms": round(walls[max(0, int(len(walls) * 0.95) - 1)], 1),
            "max_ms": round(walls[-1], 1),
            "median_cpu_ms": round(statistics.median(cpus), 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
        self.stdout.write("BENCH_JSON " + json.dumps(result, ensure_ascii=False))

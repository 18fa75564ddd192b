"""manage.py benchmark_report: time the report PDF (a typical 15–20 page report, and with 1,000 petitions appended).

Builds a throwaway unit, charter, review with a realistic narrative and the petitions inside a transaction,
renders each variant `--runs` times in this process (median wall time), prints the peak RSS after each
variant, and rolls everything back. Nothing is written to the database or MEDIA_ROOT.
"""

import datetime
import random
import resource
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import transaction

from charters.models import Article, Charter, CharterParty, CharterStatus
from charters.reviews.report import review_pdf
from charters.reviews.services import review_create, review_update
from coordination.models import (
    AdministrativeUnit,
    Agency,
    AgencyKind,
    CoordinationArea,
    Membership,
    Role,
    Term,
    UnitLevel,
    User,
)
from voters.models import Field, Petition, Status

PARAGRAPHS = [
    "Thường trực HĐND, UBND và Ban Thường trực Ủy ban MTTQ Việt Nam thành phố đã chủ động triển khai nghiêm túc "
    "Quy chế phối hợp, bảo đảm nguyên tắc và yêu cầu phối hợp; phát huy tính chủ động, sáng tạo và nỗ lực thực "
    "hiện tốt phần việc của mình. Công tác phối hợp luôn bám sát Nghị quyết của Thành ủy, những vấn đề cử tri "
    "quan tâm, bức xúc; duy trì tốt chế độ trao đổi thông tin, tạo sự thống nhất trong giải quyết các vấn đề "
    "phát sinh.",
    "Việc chuẩn bị các kỳ họp được thực hiện chặt chẽ từ khâu xây dựng chương trình, thẩm tra tờ trình, dự thảo "
    "nghị quyết đến tổ chức kỳ họp. UBND thành phố đã chỉ đạo các sở, ngành chuẩn bị chu đáo nội dung trình; "
    "Thường trực HĐND tổ chức các cuộc họp liên tịch, thống nhất nội dung, thời gian và phân công chuẩn bị.",
    "Hoạt động tiếp xúc cử tri được đổi mới theo hướng tiếp xúc theo chuyên đề, theo ngành, giới; định hướng để "
    "cử tri phát biểu về xây dựng địa phương. Ý kiến, kiến nghị của cử tri được tổng hợp đầy đủ, chuyển đến cơ "
    "quan có thẩm quyền giải quyết, đồng thời theo dõi, đôn đốc việc trả lời, giải quyết.",
    "Công tác giám sát, phản biện xã hội có nhiều đổi mới, có trọng tâm, trọng điểm; các kiến nghị sau giám sát "
    "được theo dõi, đôn đốc thực hiện. Phiên giải trình được tổ chức bài bản, nội dung sát với những vấn đề cử "
    "tri và dư luận quan tâm, qua đó làm rõ trách nhiệm của cơ quan, người đứng đầu.",
    "Tuy nhiên, việc gửi tài liệu phục vụ kỳ họp có lúc còn chậm so với quy định, ảnh hưởng đến thời gian "
    "nghiên cứu, thẩm tra; một số nội dung trả lời kiến nghị cử tri còn chung chung, chưa nêu rõ lộ trình và "
    "thời gian giải quyết; việc theo dõi thực hiện kiến nghị sau giám sát có lúc chưa thường xuyên.",
]


def _narrative(rng, headings, paragraphs_each):
    blocks = []
    for index, heading in enumerate(headings, start=1):
        blocks.append(f"{index}. {heading}")
        blocks.extend(rng.choice(PARAGRAPHS) for _ in range(paragraphs_each))
    return "\n".join(blocks)


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the report PDF: typical report and with an appendix of petitions (median of runs, peak RSS)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=3)
        parser.add_argument("--petitions", type=int, default=1000)
        parser.add_argument("--paragraphs", type=int, default=8, help="Paragraphs per narrative sub-heading.")
        parser.add_argument("--output", help="Also save the last PDF of each variant here (a path prefix).")

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                self._run(options)
                raise Rollback
        except Rollback:
            pass

    def _run(self, options):
        rng = random.Random(2025)  # noqa: S311 - benchmark data
        unit = AdministrativeUnit.objects.create(code="BENCH-1", name="Thành phố Thử Tải", level=UnitLevel.PROVINCE)
        kinds = [AgencyKind.HDND, AgencyKind.UBND, AgencyKind.MTTQ]
        agencies = {
            kind: Agency.objects.create(unit=unit, kind=kind, name=f"{label} thành phố Thử Tải")
            for kind, label in zip(
                kinds, ["Thường trực HĐND", "UBND", "Ban Thường trực Ủy ban MTTQ Việt Nam"], strict=True
            )
        }
        department = Agency.objects.create(unit=unit, kind=AgencyKind.OTHER, name="Sở Xây dựng thành phố Thử Tải")
        term = Term.objects.filter(start_year=2021).first() or Term.objects.create(
            name="2021–2026",
            start_year=2021,
            end_year=2026,
            start_date=datetime.date(2021, 7, 1),
            end_date=datetime.date(2026, 6, 30),
        )
        charter = Charter.objects.create(
            number="35/QCPH-HĐND-UBND-MTTQ",
            title="Quy chế phối hợp công tác",
            unit=unit,
            term=term,
            status=CharterStatus.IN_FORCE,
            signed_on=datetime.date(2021, 9, 1),
        )
        for order, agency in enumerate(agencies.values()):
            CharterParty.objects.create(
                charter=charter, agency=agency, signer_name="Nguyễn Văn An", signer_position="Chủ tịch", order=order
            )
        for number, area in enumerate(CoordinationArea.objects.order_by("order")[:7], start=1):
            Article.objects.create(charter=charter, number=number, title=area.name, area=area)
        fields = [choice.value for choice in Field]
        Petition.objects.bulk_create(
            [
                Petition(
                    unit=unit,
                    originating_agency=agencies[AgencyKind.HDND],
                    received_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=index % 360),
                    content=rng.choice(PARAGRAPHS)[: rng.randint(120, 400)],
                    field=rng.choice(fields),
                    status=Status.FORWARDED,
                    lead_agency=department,
                    due_date=datetime.date(2025, 3, 1) + datetime.timedelta(days=index % 300),
                )
                for index in range(options["petitions"])
            ],
            batch_size=500,
        )
        # The services authorize their actor: the review is drafted by the HĐND office's secretariat (rolled back).
        secretariat = User.objects.create(username="bench-report-secretariat")
        Membership.objects.create(user=secretariat, agency=agencies[AgencyKind.HDND], role=Role.SECRETARIAT)
        review = review_create(actor=secretariat, charter=charter, year=2025, today=datetime.date(2026, 1, 20))
        paragraphs = options["paragraphs"]
        review = review_update(
            actor=secretariat,
            review=review,
            version=review.version,
            number="15",
            issued_on=datetime.date(2026, 2, 5),
            results=review.results + "\n" + _narrative(rng, [a.title for a in charter.articles.all()], paragraphs),
            shortcomings=_narrative(rng, ["Về chuẩn bị kỳ họp", "Về tiếp xúc cử tri", "Về giám sát"], paragraphs),
            causes=_narrative(rng, ["Nguyên nhân khách quan", "Nguyên nhân chủ quan"], paragraphs // 2 or 1),
            next_tasks=_narrative(rng, ["Nhiệm vụ trọng tâm", "Giải pháp"], paragraphs),
        )
        data = review.versions.get(number=review.version).data
        for label, appendix in (("typical report", False), (f"with {options['petitions']} petitions", True)):
            times, pages = [], 0
            for _run in range(options["runs"]):
                started = time.perf_counter()
                pdf, pages = review_pdf(review, data, with_appendix=appendix)
                times.append(time.perf_counter() - started)
            if options["output"]:
                with open(f"{options['output']}-{'appendix' if appendix else 'typical'}.pdf", "wb") as handle:
                    handle.write(pdf)
            peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            self.stdout.write(
                f"{label}: {pages} pages, {len(pdf) // 1024} KiB, median {statistics.median(times):.2f} s "
                f"(runs: {', '.join(f'{t:.2f}' for t in times)}), peak RSS so far {peak_mb:.0f} MB"
            )

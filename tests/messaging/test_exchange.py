"""The provincial exchange (R-MSG-3): case steps and reviews pushed through the outbox in
the provincial fields, in the transaction of their step; the fake province (a real HTTP
server on 127.0.0.1) dedups by key and acknowledges; a failing province is retried and
the push parked; the reconciliation counts what a hand count finds."""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta
from io import StringIO
from urllib.request import urlopen

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from onewindow.cases import services
from onewindow.cases.models import Case
from onewindow.core import jobs
from onewindow.core.scope import Scope, scope_for
from onewindow.evaluation import scheme
from onewindow.evaluation.models import Review
from onewindow.evaluation.services import review_case
from onewindow.messaging import exchange, selectors_exchange, worker
from onewindow.messaging.gateways import province, signing
from onewindow.messaging.models import Attempt, Message
from onewindow.messaging.outbox import quiet_end
from tests.cases.conftest import all_required, desk  # noqa: F401
from tests.catalog.conftest import cat  # noqa: F401
from tests.messaging.conftest import PROVINCE_SECRET, control
from tests.plans import index_plan

pytestmark = pytest.mark.django_db


def pushes(**kw):
    return Message.objects.filter(channel="province", **kw).order_by("pk")


def delivered_case(desk):  # noqa: F811
    case = services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
    )
    services.case_accept(actor=desk.clerk, case=case)
    services.case_start_review(actor=desk.approver, case=case)
    services.case_decide(actor=desk.approver, case=case, approve=True, note="符合条件")
    services.case_make_ready(actor=desk.approver, case=case)
    services.case_deliver(actor=desk.clerk, case=case, method="window")
    case.refresh_from_db()
    return case


def held(gateway) -> dict:
    with urlopen(gateway.url + "/province/records", timeout=5) as answer:
        return json.loads(answer.read())["records"]


def test_r_msg_3_each_case_step_and_review_is_one_push_in_the_provincial_fields(desk, gateway):  # noqa: F811
    case = delivered_case(desk)
    steps = list(pushes(record_type="case"))
    assert [p.params["action"] for p in steps] == [
        "intake",
        "accept",
        "start_review",
        "approve",
        "make_ready",
        "deliver",
    ]
    last = steps[-1].params
    assert last["projectNo"] == case.number and last["taskCode"] == desk.matter.code
    assert (last["handleState"], last["handleStateName"]) == ("09", "已送达")
    assert (last["applyFrom"], last["areaCode"]) == ("1", desk.linxia_center.region.code)
    assert steps[0].params["handleState"] == "01" and steps[1].params["handleState"] == "04"
    review = review_case(case=case, level=2, channel="qr", text="等候时间太长", reasons=[])
    (pushed,) = pushes(record_type="review")
    assert pushed.key == f"province:review:{review.pk}"
    assert pushed.params["satisfaction"] == 2 and pushed.params["satisfactionName"] == "不满意"
    assert (pushed.params["pf"], pushed.params["writingEvaluation"]) == ("3", "等候时间太长")
    assert pushed.params["projectNo"] == case.number

    # sent, signed, and acknowledged by the province
    at = quiet_end(timezone.now())
    done = worker.run_once(worker="w", now=at)
    assert done.counts["sent"] >= 7
    assert pushes().exclude(state="sent").count() == 0
    got = [r for r in gateway.sent("province") if r["ok"]]
    assert len(got) == 7
    for request in got:
        body = request["body"]
        params = {**province.signed_params(body), "Signature": body["Signature"]}
        assert signing.verify(params, PROVINCE_SECRET)
    records = held(gateway)
    assert set(records) == set(pushes().values_list("key", flat=True))
    assert records[pushed.key]["dataType"] == "evaluation"
    assert {m.receipt for m in pushes()} == {r["ackId"] for r in records.values()}


def test_r_msg_3_a_step_rolled_back_pushes_nothing(desk):  # noqa: F811
    with pytest.raises(RuntimeError), transaction.atomic():
        services.case_intake(
            actor=desk.clerk,
            listing=desk.listing,
            applicant=desk.applicant,
            materials=all_required(desk),
        )
        assert pushes().count() == 1
        raise RuntimeError
    assert pushes().count() == 0


def test_r_msg_3_a_push_repeated_is_not_duplicated_at_the_province(desk, gateway):  # noqa: F811
    case = services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
    )
    (first,) = pushes()
    # the same record pushed again: one row
    with transaction.atomic():
        again = exchange.push_case(case, key=first.key, action="intake")
    assert again.pk == first.pk and pushes().count() == 1
    at = quiet_end(timezone.now())
    assert worker.run_once(worker="w", now=at).counts["sent"] >= 1
    first.refresh_from_db()
    # a worker killed after sending and before recording sends it again: the province
    # keeps one record and acknowledges the repeat with the same ackId
    Message.objects.filter(pk=first.pk).update(state="pending", next_at=at)
    assert worker.run_once(worker="w2", now=at).counts == {"sent": 1}
    repeat = pushes().get(pk=first.pk)
    assert repeat.receipt == first.receipt
    assert [r["body"]["dataKey"] for r in gateway.sent("province")] == [first.key, first.key]
    assert list(held(gateway)) == [first.key]
    assert Attempt.objects.filter(message=first).count() == 2


def test_r_msg_3_a_failing_province_is_retried_with_backoff_then_parked(desk, gateway):  # noqa: F811
    services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
    )
    (push,) = pushes()
    control(gateway, fail=-1)
    at, waits = quiet_end(timezone.now()), []
    for _ in range(5):
        worker.run_once(worker="w", now=at)
        push.refresh_from_db()
        if push.state == "pending":
            waits.append((push.next_at - at).total_seconds())
            at = push.next_at
    assert waits == [30, 60, 120, 240]
    assert (push.state, push.attempts, push.last_error) == ("parked", 5, "HTTP 503")
    assert held(gateway) == {}
    lines = {line.kind: line for line in selectors_exchange.reconciliation(scope=Scope.all())}
    assert (lines["case"].parked, lines["case"].acknowledged) == (1, 0)
    control(gateway, fail=0)
    assert worker.run_once(worker="w", now=at + timedelta(days=1)).counts == {}


def test_r_msg_3_reconciliation_counts_equal_a_hand_count(desk, gateway, client):  # noqa: F811
    case = delivered_case(desk)
    review_case(case=case, level=5, channel="web")
    at = quiet_end(timezone.now())
    worker.run_once(worker="w", now=at)
    assert pushes(state="sent").count() == 7  # acknowledged

    def intake():
        return services.case_intake(
            actor=desk.clerk,
            listing=desk.listing,
            applicant=desk.applicant,
            materials=all_required(desk),
        )

    control(gateway, fail=-1)
    failing = intake()  # tried once and failed: sent, not acknowledged
    at = quiet_end(timezone.now())
    assert worker.run_once(worker="w", now=at).counts.get("failed", 0) >= 1
    assert pushes(record_id=failing.pk).get().attempts == 1
    control(gateway, fail=0)
    intake()  # pending: not tried yet
    parked = intake()
    Message.objects.filter(record_type="case", record_id=parked.pk).update(
        state="parked", attempts=5, failures=5
    )
    # a case and a review with no push at all: written around the hooks
    other = intake()
    Message.objects.filter(record_type="case", record_id=other.pk).delete()
    Review.objects.create(
        kind="unsolicited", subject="center", channel="web", level=4, center=desk.linxia_center
    )
    rows = list(pushes())
    hand = Counter()
    for m in rows:
        if m.state == "sent":
            hand[(m.record_type, "acknowledged")] += 1
        elif m.state == "parked":
            hand[(m.record_type, "parked")] += 1
        elif m.attempts:
            hand[(m.record_type, "unacknowledged")] += 1
        else:
            hand[(m.record_type, "pending")] += 1
    pushed_cases = {m.record_id for m in rows if m.record_type == "case"}
    pushed_reviews = {m.record_id for m in rows if m.record_type == "review"}
    hand[("case", "unpushed")] = Case.objects.exclude(pk__in=pushed_cases).count()
    hand[("review", "unpushed")] = Review.objects.exclude(pk__in=pushed_reviews).count()
    assert hand[("case", "acknowledged")] == 6 and hand[("review", "acknowledged")] == 1
    assert hand[("case", "unacknowledged")] == 1 and hand[("case", "pending")] == 1
    assert hand[("case", "parked")] == 1 and hand[("case", "unpushed")] == 1
    assert hand[("review", "unpushed")] == 1
    lines = selectors_exchange.reconciliation(scope=scope_for(desk.county_admin))
    for line in lines[:2]:
        for name in selectors_exchange.COLUMNS:
            assert getattr(line, name) == hand[(line.kind, name)], (line.kind, name)
    total = lines[-1]
    assert total.pushes == len(rows)

    # the staff page, from the workspace, for the center's administrator only
    client.force_login(desk.county_admin)
    assert reverse("messaging:exchange") in client.get(reverse("workspace")).content.decode()
    page = client.get(reverse("messaging:exchange")).content.decode()
    assert "省级平台已确认" in page and "未推送的记录" in page
    client.force_login(desk.clerk)
    assert client.get(reverse("messaging:exchange")).status_code == 404
    client.force_login(desk.kangle_admin)  # another county: none of these
    other_lines = selectors_exchange.reconciliation(scope=scope_for(desk.kangle_admin))
    assert other_lines[-1].pushes == 0

    # the command pushes the records that have none; the report then counts none
    out = StringIO()
    call_command("exchange_report", "--push-missing", stdout=out)
    assert "补推：办件信息 1 条，好差评 1 条" in out.getvalue()
    lines = selectors_exchange.reconciliation(scope=Scope.all())
    assert lines[-1].unpushed == 0


def test_r_msg_3_the_periodic_jobs_push_what_the_province_lacks(desk, gateway):  # noqa: F811
    (job,) = [job for job in jobs.registry() if job.name == "exchange-push-missing"]
    assert job.command == ("exchange_report", "--push-missing")
    assert job.schedule.every == timedelta(hours=1)
    case = delivered_case(desk)
    review = review_case(case=case, level=4, channel="web")
    at = quiet_end(timezone.now())
    worker.run_once(worker="w", now=at)
    assert len(held(gateway)) == pushes().count() == 7
    # records the province lacks: a review with no push (as the sweep's default
    # reviews are), and the case's pushes lost (as for records older than the exchange)
    pushes(record_type="review").delete()
    pushes(record_type="case").delete()
    gateway.reset()
    (outcome,) = jobs.run_due(now=at, only=["exchange-push-missing"], holder="t")
    assert outcome.status == "ok", outcome.output
    assert "补推：办件信息 1 条，好差评 1 条" in outcome.output
    # pushes are never held by the quiet hours: due at once
    assert worker.run_once(worker="w", now=timezone.now()).counts == {"sent": 2}
    kinds = {r["dataType"]: r["data"] for r in held(gateway).values()}
    assert kinds["project"]["projectNo"] == case.number
    assert kinds["evaluation"]["projectNo"] == case.number
    assert pushes(record_type="review").get().record_id == review.pk
    # not again within the hour; its next turn finds nothing left to push
    later = at + timedelta(minutes=30)
    assert jobs.run_due(now=later, only=["exchange-push-missing"], holder="t") == []
    later = at + timedelta(hours=2)
    (outcome,) = jobs.run_due(now=later, only=["exchange-push-missing"], holder="t")
    assert "补推：办件信息 0 条，好差评 0 条" in outcome.output


@pytest.mark.parametrize("level", sorted(scheme.LEVELS))
def test_r_msg_3_a_reviews_satisfaction_maps_to_level_1_to_5(desk, level):  # noqa: F811
    review = Review(
        kind="unsolicited",
        subject="center",
        channel="pad",
        level=level,
        center=desk.linxia_center,
        text="好",
    )
    review.created_at = timezone.now()
    review.save()
    fields = exchange.review_fields(review)
    assert fields["satisfaction"] == level and 1 <= fields["satisfaction"] <= 5
    assert fields["satisfactionName"] == scheme.LEVELS[level]
    assert fields["pf"] == "4"  # 政务大厅平板
    with pytest.raises(ValueError):
        exchange.satisfaction(0)
    with pytest.raises(ValueError):
        exchange.satisfaction(6)


def test_r_msg_3_whether_a_record_was_pushed_is_read_from_the_index():
    """What the province lacks is found through the pushes' index, not by reading the
    whole outbox once per case or review."""
    for unpushed, records in (
        (exchange.unpushed_cases, Case.objects.all()),
        (exchange.unpushed_reviews, Review.objects.all()),
    ):
        plan = index_plan(*unpushed(records).query.sql_with_params())
        assert "message_record" in plan, plan

"""R-EVAL-1: every review page offers the reasons its service accepts, from the one
table of forms (``scheme.FORMS``): the pad, the QR page of a visit, the review page of a
case taken in at a window and of one applied for online, the general review and the
supervisor's spot check. Each page's offered reasons are posted back and accepted."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from onewindow.cases.models import Case
from onewindow.evaluation import scheme, services
from onewindow.evaluation.models import Review
from onewindow.hall.selectors import ticket_token
from tests.evaluation.conftest import concluded_case, finish_visit


def offered(html: str) -> tuple[list[str], list[str]]:
    """The reason codes a page offers: (bad, good)."""

    def box(fieldset_id: str) -> list[str]:
        match = re.search(rf'id="{fieldset_id}"(.*?)</fieldset>', html, re.S)
        assert match, f"no {fieldset_id} on the page"
        return re.findall(r'name="reasons" value="([a-z_]+)"', match.group(1))

    return box("bad-reasons"), box("good-reasons")


def post_each(client: Client, url: str, page: str, extra_bad: dict, extra_good: dict) -> None:
    """Post the page's bad reasons with a bad level and its good ones with a good level;
    ``extra_*`` carry what the page needs besides (its subject, the next ticket …)."""
    bad, good = offered(page)
    assert bad and good
    for level, codes, extra in ((1, bad, extra_bad), (5, good, extra_good)):
        response = client.post(url, {"level": level, "reasons": codes, **extra})
        body = response.content.decode()
        assert response.status_code in (200, 302), body
        assert "勾选的原因不正确" not in body
        assert Review.objects.order_by("-pk").first().reasons == codes


def test_r_eval_1_every_review_page_accepts_the_reasons_it_offers(ev):
    # The pad at the window (一次一评): two visits, one review each.
    _, key = services.pad_pair(actor=ev.county_admin, window=ev.w1)
    pad = Client()
    pad_url = reverse("portal:review_pad", args=[ev.w1.pk])
    pad.get(f"{pad_url}?key={key}")
    first = finish_visit(ev)
    page = pad.get(pad_url).content.decode()
    bad, good = offered(page)
    assert (bad, good) == (
        list(scheme.FORMS[("visit", "offline")].bad),
        list(scheme.FORMS[("visit", "offline")].good),
    )
    r = pad.post(pad_url, {"ticket": first.pk, "level": 2, "reasons": bad})
    assert r.status_code == 200 and Review.objects.get(ticket=first).reasons == bad
    second = finish_visit(ev)
    r = pad.post(pad_url, {"ticket": second.pk, "level": 4, "reasons": good})
    assert r.status_code == 200 and Review.objects.get(ticket=second).reasons == good

    # The QR code on the ticket (一次一评).
    for level_codes in ("bad", "good"):
        ticket = finish_visit(ev)
        url = reverse("portal:review_by_token", args=[ticket_token(ticket)])
        bad, good = offered(Client().get(url).content.decode())
        codes, level = (bad, 1) if level_codes == "bad" else (good, 5)
        assert Client().post(url, {"level": level, "reasons": codes}).status_code == 200
        assert Review.objects.get(ticket=ticket).reasons == codes

    # A case (一事一评) taken in at a window, and one applied for online.
    for channel in (Case.Channel.WINDOW, Case.Channel.WEB):
        pages = []
        for level in (1, 5):
            case = concluded_case(ev)
            Case.objects.filter(pk=case.pk).update(channel=channel)
            url = reverse("portal:review_by_token", args=[case.token])
            page = Client().get(url).content.decode()
            pages.append(page)
            bad, good = offered(page)
            codes = bad if level == 1 else good
            response = Client().post(url, {"level": level, "reasons": codes})
            assert response.status_code == 200, response.content.decode()
            assert Review.objects.get(case=case).reasons == codes
        if channel == Case.Channel.WINDOW:
            assert all("系统不好用" not in p and 'value="system"' not in p for p in pages)
        else:
            assert all('value="system"' in p for p in pages)

    # The general review (综合点评) on the public page, and the supervisor's spot check.
    url = reverse("portal:unsolicited")
    page = Client().get(url, {"center": ev.linxia_center.pk}).content.decode()
    subject = {"center": ev.linxia_center.pk, "subject": "center"}
    post_each(Client(), url, page, subject, subject)
    sup = Client()
    sup.force_login(ev.county_supervisor)
    url = reverse("evaluation:spot_check")
    page = sup.get(url, {"center": ev.linxia_center.pk}).content.decode()
    checked = {**subject, "text": "暗访记录"}
    post_each(sup, url, page, checked, checked)


def test_r_eval_1_a_reason_the_page_does_not_offer_is_refused_and_nothing_is_filed(ev):
    case = concluded_case(ev)  # taken in at a window
    url = reverse("portal:review_by_token", args=[case.token])
    r = Client().post(url, {"level": 1, "reasons": ["system"]})
    assert r.status_code == 422 and "勾选的原因不正确" in r.content.decode()
    api = f"/api/v1/evaluation/by-token/{case.token}"
    r = Client().post(api, {"level": 1, "reasons": ["system"]}, content_type="application/json")
    assert r.status_code == 422 and r.json()["fields"]["reasons"]
    # A good reason with a bad level is not what the page offers with that level either.
    r = Client().post(url, {"level": 1, "reasons": ["polite"]})
    assert r.status_code == 422
    assert not Review.objects.exists()
    form = Client().get(f"{api}/form").json()
    assert form["where"] == "offline"
    assert "system" not in {r["code"] for r in form["bad_reasons"]}
    assert {"code": "unclear", "label": "一次告知不清楚，多跑了路"} in form["bad_reasons"]
    assert Client().get("/api/v1/evaluation/by-token/nope/form").status_code == 404
    r = Client().post(api, {"level": 1, "reasons": ["unclear"]}, content_type="application/json")
    assert r.status_code == 201 and r.json()["reason_labels"] == ["一次告知不清楚，多跑了路"]


def test_r_eval_1_the_form_of_each_channel_comes_from_one_table():
    visit = scheme.form_for(scheme.VISIT)
    assert visit is scheme.FORMS[(scheme.VISIT, scheme.OFFLINE)]
    assert "system" not in scheme.form_for(scheme.CASE, case_channel="window").reason_codes
    assert "system" not in scheme.form_for(scheme.CASE, case_channel="agent").reason_codes
    assert "system" in scheme.form_for(scheme.CASE, case_channel="web").reason_codes
    assert "system" in scheme.form_for(scheme.CASE, case_channel="terminal").reason_codes
    terminal = scheme.form_for(scheme.UNSOLICITED, "terminal")
    assert terminal.where == scheme.OFFLINE and "wait_long" in terminal.reason_codes
    for form in scheme.FORMS.values():
        assert set(form.bad).isdisjoint(form.good)
        assert all(code in scheme.REASON_LABELS for code in form.reason_codes)
        assert form.reasons(1) == form.bad_reasons and form.reasons(5) == form.good_reasons

"""R-CIT-2 on EVERY public page, in one browser session: in elder mode (长辈版) the body
text is ≥ 18 pt (24 px) and every visible text too, a page's top heading ≥ 30 pt (40 px),
line spacing ≥ 1.3, every control ≥ 60×60 px, no page wider than the phone, and nothing
moves on its own (no running animation, no autoplaying media); outside elder mode the
controls are ≥ 44×44 px. The portal's pages on a 375 px phone, the terminal's at
1080×1920."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from onewindow.cases.services import files as file_services
from onewindow.complaints.models import Complaint
from onewindow.complaints.services.registration import complaint_file
from onewindow.hall import selectors as hall_selectors
from onewindow.hall import services as hall_services
from onewindow.portal import prefs
from onewindow.portal.citizens import services as citizen_services
from tests.cases.conftest import desk  # noqa: F401  (a listed matter)
from tests.catalog.conftest import cat  # noqa: F401
from tests.e2e.conftest import screenshot_path
from tests.files.conftest import PDF_BYTES, upload
from tests.hall.conftest import hall  # noqa: F401
from tests.portal.conftest import ALICE, CITIZEN_PASSWORD, a_case, claim, register

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

# Every visible text's size, the top heading's, the body's line spacing, the controls
# smaller than `target` px, running animations and autoplaying media.
MEASURE = """(target) => {
  const out = {text: [], targets: [], h1: null, moving: [], width: document.documentElement.scrollWidth};
  const seen = el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const body = getComputedStyle(document.body);
  out.body = parseFloat(body.fontSize);
  out.ratio = parseFloat(body.lineHeight) / parseFloat(body.fontSize);
  const h1 = document.querySelector('main h1, #main h1');
  if (h1 && seen(h1)) out.h1 = parseFloat(getComputedStyle(h1).fontSize);
  for (const el of document.querySelectorAll('body *')) {
    if (!seen(el) || el.closest('svg, .visually-hidden, .sr-only, .k-qr')) continue;
    const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    if (own && parseFloat(getComputedStyle(el).fontSize) < 24) out.text.push(el.tagName + '.' + el.className + ':' + el.textContent.trim().slice(0, 16));
    // A link inside a sentence is exempt (WCAG 2.5.8's inline exception): shown inline
    // in a block whose text is more than the link's own.
    const block = el.closest('p, li, td, dd, div, nav, section');
    const inline = el.tagName === 'A' && getComputedStyle(el).display === 'inline' && block &&
      block.textContent.trim().length > el.textContent.trim().length + 1;
    if (!inline && el.matches('a, button, input:not([type=hidden]):not([type=radio]):not([type=checkbox]), select, summary, textarea')) {
      const r = el.getBoundingClientRect();
      if (r.height < target - 0.5 || r.width < target - 0.5) out.targets.push(el.tagName + ':' + (el.textContent || el.name || '').trim().slice(0, 16) + ` ${Math.round(r.width)}x${Math.round(r.height)}`);
    }
  }
  out.moving = document.getAnimations().filter(a => a.playState === 'running').map(a => String(a.animationName || a.constructor.name));
  for (const m of document.querySelectorAll('video[autoplay], audio[autoplay], marquee')) out.moving.push(m.tagName);
  return out;
}"""


@pytest.fixture(autouse=True)
def _open_hall(settings):
    settings.ONEWINDOW_HALL_ENFORCE_HOURS = False
    settings.ONEWINDOW_TERMINAL_DEVICES = ""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(hall, desk):  # noqa: F811
    hall.cat_a.matters.add(desk.matter)
    desk.ticket = hall_services.ticket_issue(center=desk.linxia_center, category=desk.cat_a)
    desk.case = a_case(desk, ALICE, submit=True)
    file_services.document_attach(  # a stored material, offered again on the draft below
        actor=None,
        case=a_case(desk, ALICE, submit=False),
        material=desk.materials["经营者居民身份证"].pk,
        upload=upload("马阿丽身份证（正反面）.pdf", PDF_BYTES),
    )
    desk.draft = a_case(desk, ALICE, submit=False)
    desk.complaint = complaint_file(
        center=desk.linxia_center,
        source=Complaint.Source.WEB,
        subject="窗口排队时间长",
        content="上午排队一个多小时，希望增加窗口。",
        name=ALICE["name"],
        phone=ALICE["phone"],
    )
    desk.account = register(ALICE)
    claim(desk.account, ALICE["phone"])
    desk.inquiry = citizen_services.citizen_ask(
        account=desk.account, matter=desk.matter, center=desk.linxia_center, question="要带什么？"
    )
    return desk


def portal_pages(w) -> dict[str, str]:
    center = w.linxia_center.pk
    ticket = hall_selectors.ticket_token(w.ticket)
    return {
        "home": f"/?center={center}",
        "search": f"{reverse('portal:matter_list')}?q=个体",
        "guide": reverse("portal:matter_detail", args=[w.matter.pk]),
        "bundles": reverse("portal:bundle_list"),
        "progress": reverse("portal:progress"),
        "progress_case": reverse("portal:progress_token", args=[w.case.token]),
        "apply_list": reverse("portal:apply_list"),
        "apply_new": reverse("portal:apply_new", args=[w.listing.pk]),
        "apply_draft": reverse("portal:apply_token", args=[w.draft.token]),
        "booking": f"{reverse('portal:book')}?center={center}",
        "checkin": reverse("portal:checkin"),
        "queue": f"{reverse('portal:queue')}?center={center}",
        "ticket": reverse("portal:ticket_status", args=[ticket]),
        "review": reverse("portal:unsolicited"),
        "review_ranking": reverse("portal:review_ranking"),
        "complaint": reverse("portal:complaint_file"),
        "complaint_lookup": reverse("portal:complaint_lookup"),
        "complaint_track": reverse("portal:complaint_track", args=[w.complaint.token]),
        "login": reverse("portal:citizen_login"),
        "register": reverse("portal:citizen_register"),
        "my_affairs": reverse("portal:my_affairs"),
        "consult_ask": reverse("portal:consult_ask", args=[w.matter.pk]),
        "consult_detail": reverse("portal:consult_detail", args=[w.inquiry.pk]),
    }


def terminal_pages(w) -> dict[str, str]:
    c = w.linxia_center.pk
    return {
        "terminal": reverse("portal:terminal", args=[c]),
        "terminal_take": reverse("portal:terminal_take", args=[c, w.cat_a.pk]),
        "terminal_checkin": reverse("portal:terminal_checkin", args=[c]),
        "terminal_guides": reverse("portal:terminal_guides", args=[c]) + "?q=个体",
        "terminal_guide": reverse("portal:terminal_guide", args=[c, w.matter.pk]),
        "terminal_progress": reverse("portal:terminal_progress", args=[c]),
        "terminal_review": reverse("portal:terminal_review", args=[c]),
        "terminal_complaint": reverse("portal:terminal_complaint", args=[c]),
        "terminal_print": reverse("portal:terminal_print", args=[c]),
        "terminal_materials": reverse("portal:terminal_materials", args=[c]),
    }


def test_r_cit_2_every_public_page_meets_the_elder_numbers(world, browser, live_server):
    client = Client()
    client.post("/my/login/", {"phone": ALICE["phone"], "password": CITIZEN_PASSWORD})
    session = client.cookies["sessionid"].value
    context = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 812})
    context.set_default_timeout(15_000)
    context.add_cookies(
        [
            {"name": prefs.ELDER_COOKIE, "value": "1", "url": live_server.url},
            {"name": "sessionid", "value": session, "url": live_server.url},
        ]
    )
    page = context.new_page()
    failures: dict[str, dict] = {}

    def walk(pages: dict[str, str], *, width: int, height: int, elder: bool) -> None:
        page.set_viewport_size({"width": width, "height": height})
        for name, path in pages.items():
            response = page.goto(live_server.url + path)
            assert response is not None and response.status < 400, (
                name,
                response and response.status,
            )
            page.wait_for_load_state("load")
            assert ("elder" in (page.get_attribute("html", "class") or "")) == elder, name
            got = page.evaluate(MEASURE, 60 if elder else 44)
            bad = {}
            if got["width"] > width:
                bad["width"] = got["width"]
            if got["targets"]:
                bad["targets"] = got["targets"][:12]
            if got["moving"]:
                bad["moving"] = got["moving"][:5]
            if elder:
                if got["body"] < 24 or got["ratio"] < 1.3:
                    bad["body"] = (got["body"], round(got["ratio"], 2))
                if got["h1"] is not None and got["h1"] < 40:
                    bad["h1"] = got["h1"]
                if got["text"]:
                    bad["text"] = got["text"][:12]
                shot = screenshot_path(f"r_cit_2_elder_{name}_{width}")
                page.screenshot(path=str(shot), full_page=name in ("apply_draft", "my_affairs"))
            if bad:
                failures[f"{name}{'' if elder else ' (normal)'}"] = bad

    try:
        walk(portal_pages(world), width=375, height=812, elder=True)
        walk(terminal_pages(world), width=1080, height=1920, elder=True)
        context.clear_cookies()
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        walk(portal_pages(world), width=375, height=812, elder=False)
        walk(terminal_pages(world), width=1080, height=1920, elder=False)
    finally:
        context.close()
    assert not failures, "\n".join(f"{name}: {bad}" for name, bad in failures.items())


# --- 200% zoom ----------------------------------------------------------------------------

# At 200% browser zoom a CSS pixel is two device pixels, so a 1366×768 window lays out
# like a 683×384 CSS px viewport at deviceScaleFactor 2 (a 1366 px viewport with
# deviceScaleFactor 2 would be a sharper screen, not zoom). The check: no horizontal
# scroll; every main action (link, button, field in <main>) inside the width, not
# clipped by its own box, not covered by another action; the header with fixed or
# sticky bars taking at most a third of the short viewport.
ZOOM_VIEWPORT = {"width": 683, "height": 384}
ZOOM_MEASURE = """() => {
  const root = document.documentElement, out = {scroll: [root.scrollWidth, root.clientWidth],
    outside: [], clipped: [], overlap: [], bars: 0};
  const seen = el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    // checkVisibility: not inside a closed <details> either (its content keeps a box)
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' &&
      (!el.checkVisibility || el.checkVisibility()); };
  const name = el => el.tagName + ':' + (el.textContent || el.name || el.id || '').trim().slice(0, 14);
  const actions = Array.from(document.querySelectorAll(
    'main a, main button, main input:not([type=hidden]), main select, main textarea, main summary'
  )).filter(el => seen(el) && !el.closest('.visually-hidden, .sr-only'));
  for (const el of actions) {
    const r = el.getBoundingClientRect();
    if (r.left < -1 || r.right > root.clientWidth + 1) out.outside.push(name(el) + ` ${Math.round(r.left)}..${Math.round(r.right)}`);
    if (el.matches('a, button, summary') && (el.scrollWidth > el.clientWidth + 2 || el.scrollHeight > el.clientHeight + 2) &&
        ['hidden', 'clip'].includes(getComputedStyle(el).overflowX)) out.clipped.push(name(el));
  }
  const boxes = actions.filter(el => !(el.tagName === 'A' && getComputedStyle(el).display === 'inline'))
    .map(el => [el, el.getBoundingClientRect()]);
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [a, p] = boxes[i], [b, q] = boxes[j];
    if (a.contains(b) || b.contains(a)) continue;
    const w = Math.min(p.right, q.right) - Math.max(p.left, q.left), h = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
    if (w > 2 && h > 2) out.overlap.push(name(a) + ' / ' + name(b) + ` ${Math.round(p.top)},${Math.round(p.left)} ${Math.round(q.top)},${Math.round(q.left)}`);
  }
  const h1 = document.querySelector('main h1');
  out.h1top = h1 ? h1.getBoundingClientRect().top : 0;
  const header = document.querySelector('.site-header');
  out.header = header ? header.getBoundingClientRect().height : 0;
  for (const el of document.querySelectorAll('body *')) {
    const pos = getComputedStyle(el).position;
    if ((pos === 'fixed' || pos === 'sticky') && seen(el)) out.bars += el.getBoundingClientRect().height;
  }
  return out;
}"""


def zoom_pages(w) -> dict[str, str]:
    """The citizen's main paths."""
    center = w.linxia_center.pk
    return {
        "home": f"/?center={center}",
        "search": f"{reverse('portal:matter_list')}?q=个体",
        "guide": reverse("portal:matter_detail", args=[w.matter.pk]),
        "take_ticket": f"{reverse('portal:queue')}?center={center}",
        "ticket": reverse("portal:ticket_status", args=[hall_selectors.ticket_token(w.ticket)]),
        "book": f"{reverse('portal:book')}?center={center}",
        "progress": reverse("portal:progress"),
        "progress_case": reverse("portal:progress_token", args=[w.case.token]),
        "my_affairs": reverse("portal:my_affairs"),
        "ask": reverse("portal:consult_ask", args=[w.matter.pk]),
    }


def _elder_menu(page, mode: str) -> dict:
    """The elder header's 菜单 opens the other entries, each a 60 px target on screen."""
    bad = {}
    page.get_by_text("菜单", exact=True).click()
    links = page.locator(".header-menu-list a")
    names = links.all_inner_texts()
    if "工作人员登录" not in names or "办事指南" not in names:
        bad["menu"] = names
    for link in links.all():
        box = link.bounding_box()
        if box["height"] < 59.5 or box["x"] < 0 or box["x"] + box["width"] > ZOOM_VIEWPORT["width"]:
            bad.setdefault("menu_targets", []).append((link.inner_text(), box))
    page.screenshot(path=str(screenshot_path(f"r_cit_2_zoom200_{mode}_menu_open")))
    page.get_by_text("菜单", exact=True).click()
    return bad


def test_r_cit_2_main_paths_at_200_percent_zoom_in_normal_and_elder_mode(
    world, browser, live_server
):
    """200% zoom emulated as a 683×384 CSS px viewport at deviceScaleFactor 2 (what 200%
    zoom of a 1366×768 window does to layout), signed in, in normal and elder mode: no
    horizontal overflow, no main action outside the width, clipped or covered, the page's
    heading begins on the first screen, and the header with any fixed bar takes at most a
    third of the height (in elder mode one row: the switch, 朗读 and a 菜单 holding the
    other entries and the staff's sign-in)."""
    client = Client()
    client.post("/my/login/", {"phone": ALICE["phone"], "password": CITIZEN_PASSWORD})
    session = client.cookies["sessionid"].value
    context = browser.new_context(
        locale="zh-CN", viewport=ZOOM_VIEWPORT, device_scale_factor=2, screen=ZOOM_VIEWPORT
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    failures: dict[str, dict] = {}
    try:
        for elder in (False, True):
            cookies = [{"name": "sessionid", "value": session, "url": live_server.url}]
            if elder:
                cookies.append({"name": prefs.ELDER_COOKIE, "value": "1", "url": live_server.url})
            context.clear_cookies()
            context.add_cookies(cookies)
            for name, path in zoom_pages(world).items():
                response = page.goto(live_server.url + path)
                assert response is not None and response.status < 400, (name, response.status)
                page.wait_for_load_state("load")
                assert ("elder" in (page.get_attribute("html", "class") or "")) == elder
                if name == "my_affairs":
                    assert world.draft.number in page.inner_text("main"), "not signed in"
                got = page.evaluate(ZOOM_MEASURE)
                bad = {}
                if got["scroll"][0] > got["scroll"][1]:
                    bad["scroll"] = got["scroll"]
                for key in ("outside", "clipped", "overlap"):
                    if got[key]:
                        bad[key] = got[key][:8]
                if got["h1top"] > ZOOM_VIEWPORT["height"] - 24:  # the page starts on screen 1
                    bad["h1top"] = got["h1top"]
                # the header and any fixed bar together keep to a third of the height
                if got["bars"] + got["header"] > ZOOM_VIEWPORT["height"] / 3:
                    bad["header"] = (got["header"], got["bars"])
                mode = "elder" if elder else "normal"
                if elder and name == "home":
                    bad.update(_elder_menu(page, mode))
                if name in ("home", "search", "guide", "my_affairs", "book", "ask"):
                    page.screenshot(
                        path=str(screenshot_path(f"r_cit_2_zoom200_{mode}_{name}")), full_page=True
                    )
                if bad:
                    failures[f"{name} ({mode})"] = bad
    finally:
        context.close()
    assert not failures, "\n".join(f"{name}: {bad}" for name, bad in failures.items())

"""Demo examples of the newer case features, made through the case services as the
demo staff would make them, with dates relative to the day of loading.

At 临夏县 (and a few online applications at 临夏市 and 康乐县):

- online applications (R-CASE-8): a draft, applications waiting for pre-review, one
  returned to the citizen with the reason, one past its pre-review date, one passed to
  window intake, and one nobody took in within five working days that the sweep deemed
  accepted;
- two "one thing" applications (R-CASE-7): 退休一件事 in progress (the housing fund
  part done on the spot and waiting, the pension part in review at its department, in
  parallel) and 新生儿出生一件事 delivered at once at the window;
- certification by pledge (R-CASE-5) at the market regulation department: a pending
  verification, an overdue one beside one found truthful, and one found false, so the
  applicant has a false-pledge record;
- a case in a special procedure (expert review) with its clocks paused (R-CASE-4);
- the AB roles (R-CASE-9) of 临夏县市场监督管理局: a second approver, away on training,
  whose B is lxx-approver; one of the away approver's cases already decided by the B
  (recorded as the stand-in's step), another waiting in the B's queue;
- urgings (督办催办) by the supervisor: one answered by the department, one not yet;
- an assisted project (帮办代办, R-CASE-10) of a demo enterprise with guidance notes
  and its case linked;
- files in the applicants' file store (R-CASE-6): small generated PDFs uploaded by a
  citizen on their link and by the window clerk at intake.

Everything goes through the services (``cases/services``, ``org/services``), acting as
the demo accounts, with the services' ``now=`` to date the steps back; at the end the
real sweep runs, so the deadlines' warnings are as it leaves them. Applicants are
invented (valid identity numbers and credit codes, marked as demo data). The step is
skipped once it has been made (its audit record ``demo.case_extras`` is there).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from onewindow.cases import services as case_services
from onewindow.cases.models import (
    Applicant,
    ApplicantDocument,
    AssistedProject,
    BundleApplication,
    Case,
    CaseEvent,
    FalsePledge,
    PledgeCheck,
    ProjectNote,
    SpecialProcedure,
    Urging,
)
from onewindow.cases.selectors.bundle_plan import bundle_plan
from onewindow.cases.services import assisted, bundles, files, online, pledges, supervision
from onewindow.cases.sweep import sweep
from onewindow.catalog.models import Bundle, Listing, Material
from onewindow.core import pdf
from onewindow.core.audit import audit_record
from onewindow.core.calendar import calendar_for
from onewindow.core.idnumber import make as make_id_number
from onewindow.core.models import AuditEvent
from onewindow.core.roles import Role
from onewindow.demo import data, staff_numbers
from onewindow.demo import hall_data as hd
from onewindow.demo.cases import COUNTY_SHORT, credit_code
from onewindow.files.models import StoredFile
from onewindow.org import services as org_services
from onewindow.org.models import Center, Department, StaffProfile

User = get_user_model()

MARK = "demo.case_extras"
SEED = "onewindow-demo-case-extras-2026"
LINXIA = "622921"
OTHERS = ("622901", "622922")  # 临夏市, 康乐县
# The second approver of 临夏县市场监督管理局, away while the demo runs.
AWAY_USERNAME = "lxx-approver2"
AWAY_NAME = "马彦明"
# Identity numbers of the invented persons end in 9xx (the simulated ones use 1xx–8xx);
# credit codes use serials the simulated enterprises do not.
PERSON_SEQ = 900
ENTERPRISE_SERIAL = 70_000_000

# The models whose rows the step makes (their growth is what it reports).
COUNTED = (
    Applicant,
    Case,
    CaseEvent,
    BundleApplication,
    PledgeCheck,
    FalsePledge,
    SpecialProcedure,
    Urging,
    AssistedProject,
    ProjectNote,
    ApplicantDocument,
    StoredFile,
    StaffProfile,
)


# --- a small generated PDF -----------------------------------------------------------------


def demo_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF with the title and lines, rendered by WeasyPrint with the CJK font
    embedded (as the case notices are), marked as a demo file. Where PDF rendering is
    unavailable (no Pango) a plain placeholder PDF stands in, so the demo still loads."""
    body = "".join(f"<p>{escape(line)}</p>" for line in lines)
    html = (
        "<html><head><style>@page{size:A4;margin:22mm}"
        "body{font-family:'Noto Sans CJK SC',sans-serif;font-size:11pt;line-height:1.7}"
        "h1{font-size:17pt;font-weight:normal;text-align:center;margin-bottom:14pt}"
        ".mark{color:#999;font-size:9pt;margin-top:28pt}</style></head><body>"
        f"<h1>{escape(title)}</h1>{body}"
        "<p class='mark'>演示文件：临夏州一窗通演示数据，非真实材料。</p></body></html>"
    )
    try:
        return pdf.html_to_pdf(html)
    except pdf.PdfUnavailable:
        return pdf.placeholder_pdf(
            [
                "OneWindow demo file (Linxia demo data, not a real document).",
                "PDF rendering is unavailable on this server: install Pango",
                "(scripts/ensure-system-deps.sh run) to see the rendered sample.",
            ]
        )


def _upload(name: str, title: str, lines: list[str]) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, demo_pdf(title, lines), content_type="application/pdf")


# --- the loader -----------------------------------------------------------------------------


class _Extras:
    def __init__(self, now: datetime):
        self.now = now
        self.today = timezone.localdate(now)
        self.tz = timezone.get_current_timezone()
        self.rng = random.Random(SEED)
        self.people = 0
        self.firms = 0
        self.numbers: list[str] = []

    # --- places, people and moments ------------------------------------------------------

    def user(self, username: str):
        return self.users[username]

    def listing(self, center: Center, matter: str) -> Listing:
        listing = (
            Listing.objects.public()
            .select_related("matter__current_version", "department", "center__region")
            .filter(center=center, matter__name=matter)
            .order_by("pk")
            .first()
        )
        if listing is None:
            raise LookupError(f"{center.name}没有“{matter}”的实施清单")
        return listing

    def back(self, center: Center, n: int) -> date:
        """The day ``n`` working days before today at the center (0: today)."""
        cal = self.cals[center.pk]
        day = self.today
        for _ in range(n):
            day -= timedelta(days=1)
            while not cal.is_workday(day):
                day -= timedelta(days=1)
        return day

    def ahead(self, center: Center, n: int) -> date:
        return self.cals[center.pk].add_working_days(self.today, n).date

    def at(self, center: Center, n: int, hour: int, minute: int) -> datetime:
        """A moment ``n`` (at least 1) working days ago at the given time."""
        moment = datetime.combine(self.back(center, n), time(hour, minute), tzinfo=self.tz)
        return min(moment, self.now - timedelta(minutes=30))

    def recent(self, minutes: int) -> datetime:
        """A moment today, ``minutes`` before now (seconds instead, just after midnight)."""
        moment = self.now - timedelta(minutes=minutes)
        if timezone.localdate(moment) != self.today:
            moment = self.now - timedelta(seconds=minutes)
        return moment

    def person(self, county: str, born: date, *, name: str = "") -> dict:
        """An invented resident of the county, as a form gives them: name, valid identity
        number, phone, address."""
        rng = self.rng
        self.people += 1
        name = name or rng.choice(hd.SURNAMES) + rng.choice(hd.GIVEN)
        street = rng.choice(("解放路", "团结路", "河州大道", "滨河路", "建设路", "新华街"))
        return {
            "kind": Applicant.Kind.PERSON,
            "name": name,
            "phone": f"171{rng.randrange(10**8):08d}",
            "id_number": make_id_number(f"{county}{born:%Y%m%d}{PERSON_SEQ + self.people:03d}"),
            "address": f"{COUNTY_SHORT[county]}{street}{rng.randint(1, 300)}号{data.DEMO_MARK}",
        }

    def firm(self, county: str, name: str) -> dict:
        """An invented enterprise of the county, as a form gives it."""
        rng = self.rng
        self.firms += 1
        boss = rng.choice(hd.SURNAMES) + rng.choice(hd.GIVEN)
        place = rng.choice(("工业园区", "河州大道", "北塬路", "折桥路"))
        return {
            "kind": Applicant.Kind.ENTERPRISE,
            "name": f"{name}{data.DEMO_MARK}",
            "phone": f"171{rng.randrange(10**8):08d}",
            "credit_code": credit_code(county, ENTERPRISE_SERIAL + self.firms * 104_729),
            "address": f"{COUNTY_SHORT[county]}{place}{rng.randint(1, 200)}号{data.DEMO_MARK}",
            "legal_representative": boss,
        }

    @staticmethod
    def register(info: dict) -> Applicant:
        """一表申请 at the window: the applicant registered (or found) through the service."""
        firm = info["kind"] == Applicant.Kind.ENTERPRISE
        profile = (
            {"enterprise_name": info["name"], "legal_representative": info["legal_representative"]}
            if firm
            else {"applicant_name": info["name"]}
        )
        return case_services.applicant_record(
            kind=info["kind"],
            name=info["name"],
            phone=info["phone"],
            id_number=info.get("id_number", ""),
            credit_code=info.get("credit_code", ""),
            address=info["address"],
            profile=profile,
        )

    @staticmethod
    def values(info: dict, **extra) -> dict:
        """What the applicant writes in a form's usual fields, and the matter's own."""
        values = {"phone": info["phone"], "address": info["address"]}
        if info["kind"] == Applicant.Kind.ENTERPRISE:
            values.update(
                enterprise_name=info["name"],
                credit_code=info["credit_code"],
                legal_representative=info["legal_representative"],
            )
        else:
            values.update(applicant_name=info["name"], id_number=info["id_number"])
        return {**values, **extra}

    def bank(self) -> str:
        return f"622848{self.rng.randrange(10**13):013d}"

    @staticmethod
    def form(fields: list[dict], values: dict) -> dict:
        """The form's own keys from ``values``; a required key without a value is an
        error in this module (the catalog changed), not something to leave empty."""
        form = {}
        for f in fields or []:
            key = f.get("key")
            value = values.get(key, "")
            if value:
                form[key] = str(value)
            elif f.get("required"):
                raise LookupError(f"演示数据缺少申请表“{f.get('label') or key}”的内容")
        return form

    @staticmethod
    def required(listing: Listing, *, pledged=(), skip=()) -> dict[int, dict]:
        """Every required material the applicant gives (shared ones are fetched by the
        departments); those named in ``pledged`` by a signed pledge instead."""
        given = {}
        for m in listing.matter.current_version.materials.order_by("order", "id"):
            if m.requirement != Material.Requirement.REQUIRED or m.source == Material.Source.SHARED:
                continue
            if m.name not in skip:
                given[m.pk] = {"by_pledge": True, "pledged": True} if m.name in pledged else {}
        return given

    @staticmethod
    def material(listing: Listing, name: str) -> Material:
        return listing.matter.current_version.materials.get(name=name)

    @staticmethod
    def department_approver(department: Department):
        profile = (
            StaffProfile.objects.filter(
                department=department, active=True, away=False, user__groups__name=Role.APPROVER
            )
            .select_related("user")
            .order_by("pk")
            .first()
        )
        return profile.user if profile is not None else None

    def keep(self, case: Case) -> Case:
        self.numbers.append(case.number)
        return case

    # --- window cases ----------------------------------------------------------------------

    def window_case(
        self,
        *,
        clerk,
        listing: Listing,
        info: dict,
        applicant: Applicant,
        at: datetime,
        materials: dict | None = None,
        accept: bool = True,
        **extra,
    ) -> Case:
        """收件 by an authorised clerk of the center (and 受理 a few minutes later)."""
        version = listing.matter.current_version
        case = case_services.case_intake(
            actor=clerk,
            listing=listing,
            applicant=applicant,
            materials=self.required(listing) if materials is None else materials,
            form_data=self.form(version.form_fields, self.values(info, **extra)),
            now=at,
        )
        self.keep(case)
        if accept:
            case = case_services.case_accept(actor=clerk, case=case, now=at + timedelta(minutes=9))
        return case

    @staticmethod
    def approve(case: Case, *, approver, at: datetime, delivered_by=None, delivered=None) -> Case:
        """准予, to the unified window 20 minutes later, and out (出件) when ``delivered``."""
        case = case_services.case_decide(
            actor=approver,
            case=case,
            approve=True,
            note="经审查，申请材料齐全，符合法定条件，准予许可。",
            now=at,
        )
        case = case_services.case_make_ready(
            actor=approver, case=case, now=at + timedelta(minutes=20)
        )
        if delivered is not None:
            case = case_services.case_deliver(actor=delivered_by, case=case, now=delivered)
        return case

    # --- online applications (R-CASE-8) ---------------------------------------------------

    def online(
        self,
        center: Center,
        matter: str,
        info: dict,
        *,
        at: datetime,
        submit: bool = True,
        pledged=(),
        **extra,
    ) -> Case:
        listing = self.listing(center, matter)
        version = listing.matter.current_version
        applicant = {k: v for k, v in info.items() if k != "legal_representative"}
        case = online.online_draft_create(
            listing=listing,
            applicant=applicant,
            materials=self.required(listing, pledged=pledged),
            form_data=self.form(version.form_fields, self.values(info, **extra)),
            submit=submit,
            now=at,
        )
        return self.keep(case)

    def online_applications(self) -> None:
        lx, clerk = self.linxia, self.user("lxx-clerk")

        # Received seven working days ago and never taken in: the sweep's rule (行政许可法
        # §32) made it accepted from the day it was received, the day after its date.
        deemed = self.online(
            lx,
            "最低生活保障审核确认",
            self.person(LINXIA, date(1971, 4, 18)),
            at=self.at(lx, 7, 11, 30),
            bank_account=self.bank(),
            family_size="4",
        )
        deemed.refresh_from_db()
        sweep_at = datetime.combine(
            deemed.intake_due + timedelta(days=1), time(0, 5), tzinfo=self.tz
        )
        online.online_deem_accept_overdue(now=min(sweep_at, self.now))

        # A draft saved last night, not sent yet.
        self.online(
            lx,
            "高龄老人生活补贴申领",
            self.person(LINXIA, date(1941, 5, 12)),
            at=self.at(lx, 1, 20, 15),
            submit=False,
            bank_account=self.bank(),
        )

        # Sent this morning, with the file of a material uploaded on the citizen's link.
        info = self.person(LINXIA, date(1990, 11, 3))
        listing = self.listing(lx, "失业保险金申领")
        sent = self.recent(50)
        case = self.online(
            lx, "失业保险金申领", info, at=sent, submit=False, bank_account=self.bank()
        )
        files.document_attach(
            actor=None,
            case=case,
            material=self.material(listing, "解除或终止劳动关系的证明"),
            upload=_upload(
                "解除劳动合同证明.pdf",
                "解除劳动合同证明书",
                [
                    f"{info['name']}同志（公民身份号码：{info['id_number'][:6]}********"
                    f"{info['id_number'][-4:]}）于2021年3月入职本单位。",
                    "经双方协商一致，本单位与其解除劳动合同，"
                    "已依法支付经济补偿并办理社会保险减员手续。",
                    "特此证明。",
                    "临夏县河州建材有限公司（演示）",
                ],
            ),
            now=min(sent + timedelta(minutes=1), self.now),
        )
        # Just after midnight ``sent`` is seconds ago: the steps after it stay in the past.
        online.online_submit(case=case, now=min(sent + timedelta(minutes=2), self.now))

        # Sent yesterday evening: pre-review due today.
        self.online(
            lx,
            "城乡居民基本养老保险待遇申领",
            self.person(LINXIA, date(1964, 2, 27)),
            at=self.at(lx, 1, 21, 30),
            bank_account=self.bank(),
        )

        # Returned by the window with what to fix; back with the citizen as a draft.
        case = self.online(
            lx,
            "门诊慢特病待遇认定",
            self.person(LINXIA, date(1958, 8, 9)),
            at=self.at(lx, 2, 10, 20),
            disease="高血压（3级）",
        )
        online.online_prereview_return(
            actor=clerk,
            case=case,
            reason=(
                "1. 诊断证明须由二级及以上定点医疗机构出具，所附诊断证明为乡镇卫生院出具；"
                "2. 请补充近6个月内的检查报告。请修改后重新提交。"
            ),
            now=self.at(lx, 1, 9, 40),
        )

        # Sent three working days ago and not pre-reviewed yet: past its pre-review date.
        self.online(
            lx,
            "户口迁移（省内迁入）",
            self.person(LINXIA, date(1993, 6, 21)),
            at=self.at(lx, 3, 16, 5),
            move_from=f"甘肃省兰州市七里河区西津西路{data.DEMO_MARK}",
            move_to=f"临夏县韩集镇韩集社区{data.DEMO_MARK}",
        )

        # Passed pre-review: waiting for the window to take it in.
        case = self.online(
            lx,
            "异地就医备案",
            self.person(LINXIA, date(1952, 1, 30)),
            at=self.at(lx, 2, 20, 40),
            medical_place="兰州市",
        )
        online.online_prereview_pass(
            actor=clerk,
            case=case,
            note="材料齐全，转窗口受理。",
            now=self.at(lx, 1, 9, 15),
        )

        # Two more counties.
        lxs, kl = self.centers["622901"], self.centers["622922"]
        self.online(
            lxs,
            "个体工商户设立登记",
            self.person("622901", date(1988, 9, 14)),
            at=self.at(lxs, 1, 15, 20),
            business_name="临夏市八坊手抓羊肉馆",
            business_address=f"临夏市八坊街道王寺街社区{data.DEMO_MARK}",
            business_scope="餐饮服务（不含生食类食品制售）",
            capital="8",
        )
        self.online(
            lxs,
            "食品经营许可（新办）",
            self.firm("622901", "临夏市河州八坊餐饮管理有限公司"),
            at=self.at(lxs, 3, 10, 5),
            pledged=("经营场所使用证明",),
            business_address=f"临夏市红园路{data.DEMO_MARK}",
            food_items="热食类食品制售、冷食类食品制售",
        )
        self.online(
            kl,
            "高龄老人生活补贴申领",
            self.person("622922", date(1944, 12, 2)),
            at=self.at(kl, 1, 19, 0),
            bank_account=self.bank(),
        )
        self.online(
            kl,
            "城乡居民基本养老保险待遇申领",
            self.person("622922", date(1965, 7, 7)),
            at=self.at(kl, 4, 9, 50),
            bank_account=self.bank(),
        )

    # --- "one thing" applications (R-CASE-7) ------------------------------------------------

    def bundle_application(self, code: str, info: dict, at: datetime, **extra):
        clerk = self.user("lxx-clerk")
        bundle = Bundle.objects.get(code=code)
        plan = bundle_plan(bundle=bundle, center=self.linxia)
        app = bundles.bundle_intake(
            actor=clerk,
            bundle=bundle,
            center=self.linxia,
            applicant=self.register(info),
            materials={item.field_id: {} for item in plan.materials if item.required},
            form_data=self.form(plan.fields, self.values(info, **extra)),
            now=at,
        )
        app = bundles.bundle_accept(actor=clerk, app=app, now=at + timedelta(minutes=14))
        parts = list(Case.objects.filter(bundle_application=app).order_by("pk"))
        for part in parts:
            self.keep(part)
        return app, parts

    def on_the_spot(self, case: Case, at: datetime) -> Case:
        """A matter decided at the window by a clerk authorised to decide it."""
        clerk = self.user("lxx-clerk")
        case = case_services.case_start_review(actor=clerk, case=case, now=at)
        return self.approve(case, approver=clerk, at=at + timedelta(minutes=2))

    def bundle_applications(self) -> None:
        lx = self.linxia
        # 退休一件事: the housing fund part done on the spot and waiting; the pension
        # part in review at its department at the same time.
        at = self.at(lx, 2, 10, 10)
        _, parts = self.bundle_application(
            "tuixiu",
            self.person(LINXIA, date(1966, 3, 8)),
            at,
            bank_account=self.bank(),
            enterprise_name=f"临夏县河州建材有限公司{data.DEMO_MARK}",
        )
        for part in parts:
            if part.guide_version.promised_days == 0:
                self.on_the_spot(part, at + timedelta(minutes=18))
            else:
                approver = self.department_approver(part.department)
                if approver is not None:
                    case_services.case_start_review(
                        actor=approver, case=part, now=self.at(lx, 1, 9, 30)
                    )

        # 新生儿出生一件事: four matters on the spot, delivered together.
        at = self.at(lx, 6, 9, 50)
        born = self.back(lx, 16)
        app, parts = self.bundle_application(
            "xinshenger-chusheng",
            self.person(LINXIA, date(1996, 10, 5)),
            at,
            child_name="马小雨",
            child_birth_date=born.isoformat(),
            birth_cert_number=f"Q62{self.rng.randrange(10**7):07d}",
        )
        for n, part in enumerate(parts):
            self.on_the_spot(part, at + timedelta(minutes=18 + 4 * n))
        bundles.bundle_deliver(
            actor=self.user("lxx-clerk"), app=app, method="window", now=at + timedelta(minutes=55)
        )

    # --- certification by pledge (R-CASE-5) ---------------------------------------------------

    def pledge_checks(self) -> None:
        lx, clerk, approver = self.linxia, self.user("lxx-w03"), self.user("lxx-approver")
        shop = self.listing(lx, "个体工商户设立登记")
        food = self.listing(lx, "食品经营许可（新办）")

        def shop_case(info, n: int) -> Case:
            surname = info["name"][0]
            return self.window_case(
                clerk=clerk,
                listing=shop,
                info=info,
                applicant=self.register(info),
                at=self.at(lx, n, 9, 40),
                materials=self.required(shop, pledged=("经营场所使用证明",)),
                business_name=f"临夏县{surname}记清真拉面馆",
                business_address=f"临夏县韩集镇河州大道{self.rng.randint(1, 300)}号"
                f"{data.DEMO_MARK}",
                business_scope="餐饮服务（不含生食类食品制售）",
                capital="10",
            )

        # Decided two working days ago: the verification is pending.
        case = shop_case(self.person(LINXIA, date(1989, 5, 2)), 3)
        case = case_services.case_start_review(
            actor=approver, case=case, now=self.at(lx, 3, 14, 35)
        )
        self.approve(
            case,
            approver=approver,
            at=self.at(lx, 2, 10, 5),
            delivered_by=clerk,
            delivered=self.at(lx, 1, 15, 10),
        )

        # Decided 25 working days ago: one pledge verified as true, the other overdue.
        info = self.firm(LINXIA, "临夏县穆氏清真食品有限公司")
        case = self.window_case(
            clerk=clerk,
            listing=food,
            info=info,
            applicant=self.register(info),
            at=self.at(lx, 27, 10, 0),
            materials=self.required(
                food, pledged=("食品安全管理制度目录及食品安全管理人员名单", "经营场所使用证明")
            ),
            business_address=f"临夏县土桥镇土桥村{data.DEMO_MARK}",
            food_items="预包装食品销售（含冷藏冷冻食品）、散装食品销售",
        )
        case = case_services.case_start_review(
            actor=approver, case=case, now=self.at(lx, 27, 15, 0)
        )
        self.approve(
            case,
            approver=approver,
            at=self.at(lx, 25, 11, 0),
            delivered_by=clerk,
            delivered=self.at(lx, 24, 10, 30),
        )
        check = PledgeCheck.objects.get(
            case=case, material__name="食品安全管理制度目录及食品安全管理人员名单"
        )
        pledges.pledge_check_record(
            actor=approver,
            check=check,
            truthful=True,
            note="经现场检查，食品安全管理制度和食品安全管理人员配备与承诺一致，承诺属实。",
            now=self.at(lx, 8, 10, 0),
        )

        # Decided 20 working days ago; the site visit found the pledge false.
        case = shop_case(self.person(LINXIA, date(1985, 12, 19)), 21)
        case = case_services.case_start_review(
            actor=approver, case=case, now=self.at(lx, 21, 15, 0)
        )
        self.approve(
            case,
            approver=approver,
            at=self.at(lx, 20, 10, 0),
            delivered_by=clerk,
            delivered=self.at(lx, 19, 16, 0),
        )
        pledges.pledge_check_record(
            actor=approver,
            check=PledgeCheck.objects.get(case=case),
            truthful=False,
            note=(
                "经现场核查，申请人承诺的经营场所为他人自住住宅，申请人未取得房屋使用权，"
                "也未取得有利害关系业主的同意，承诺内容与实际情况不符"
            ),
            now=self.at(lx, 3, 16, 30),
        )

    # --- a special procedure (R-CASE-4) ---------------------------------------------------------

    def special_procedure(self) -> None:
        lx, approver = self.linxia, self.user("lxx-approver")
        info = self.firm(LINXIA, "临夏县济康大药房有限公司")
        case = self.window_case(
            clerk=self.user("lxx-w03"),
            listing=self.listing(lx, "药品零售企业经营许可"),
            info=info,
            applicant=self.register(info),
            at=self.at(lx, 6, 10, 0),
            business_address=f"临夏县韩集镇河州大道{data.DEMO_MARK}",
        )
        case = case_services.case_start_review(actor=approver, case=case, now=self.at(lx, 5, 9, 20))
        supervision.case_special_start(
            actor=approver,
            case=case,
            kind=SpecialProcedure.Kind.EXPERT,
            reason=(
                "申请经营范围含中药饮片和处方药，按规定组织药学专家对质量管理制度、"
                "营业场所和仓库布局进行评审"
            ),
            planned_end=self.ahead(lx, 4),
            now=self.at(lx, 3, 10, 0),
        )
        self.expert_case = case

    # --- AB roles (R-CASE-9) --------------------------------------------------------------------

    def backups(self) -> None:
        lx, leader = self.linxia, self.user("lxx-leader")
        approver, chief = self.user("lxx-approver"), self.user("lxx-chief")
        away = (
            User.objects.filter(username=AWAY_USERNAME).first()
            or org_services.staff_create(
                actor=self.user("lxx-admin"),
                username=AWAY_USERNAME,
                full_name=AWAY_NAME,
                password=None,
                roles={Role.APPROVER},
                staff_no=staff_numbers.extra(1),
                department=self.market,
                title="食品药品许可股审批员",
                posting_started=date(2022, 9, 1),
            ).user
        )
        clerk = self.user("lxx-w02")
        food = self.listing(lx, "食品经营许可（新办）")
        company = self.listing(lx, "有限责任公司设立登记")

        info = self.firm(LINXIA, "临夏县尹集农家乐餐饮有限公司")
        waiting = self.window_case(
            clerk=clerk,
            listing=food,
            info=info,
            applicant=self.register(info),
            at=self.at(lx, 1, 10, 0),
            business_address=f"临夏县尹集镇尹集村{data.DEMO_MARK}",
            food_items="热食类食品制售",
        )
        case_services.case_start_review(actor=away, case=waiting, now=self.at(lx, 1, 14, 40))
        info = self.firm(LINXIA, "临夏县莲花商贸有限公司")
        decided = self.window_case(
            clerk=clerk,
            listing=company,
            info=info,
            applicant=self.register(info),
            at=self.at(lx, 1, 11, 0),
            business_scope="日用百货、农副产品销售",
            capital="100",
        )
        decided = case_services.case_start_review(
            actor=away, case=decided, now=self.at(lx, 1, 15, 0)
        )

        profiles = {
            p.user_id: p for p in StaffProfile.objects.filter(user__in=[away, approver, chief])
        }
        for a, b in ((away, approver), (approver, chief), (chief, approver)):
            org_services.staff_set_backup(
                actor=leader, profile=profiles[a.pk], backup=profiles[b.pk]
            )
        org_services.staff_set_away(
            actor=leader,
            profile=profiles[away.pk],
            away=True,
            until=self.ahead(lx, 5),
            reason="参加省市场监管局食品安全审查员培训",
            today=self.today,
        )
        # The B decides one of the away approver's cases (its history says so).
        decided = case_services.case_decide(
            actor=approver,
            case=decided,
            approve=True,
            note="经审查，申请材料齐全，符合法定条件，准予登记。",
            now=self.now - timedelta(minutes=3),
        )
        case_services.case_make_ready(
            actor=approver, case=decided, now=self.now - timedelta(minutes=1)
        )
        self.away_case = waiting

    # --- urgings (督办催办) -----------------------------------------------------------------------

    def urgings(self) -> None:
        lx, supervisor = self.linxia, self.user("lxx-supervisor")
        answered = case_services.case_urge(
            actor=supervisor,
            case=self.expert_case,
            message="该件已进入专家评审，请承办部门说明评审安排和预计办结时间。",
            reply_by=self.ahead(lx, 3),
        )
        case_services.urging_answer(
            actor=self.user("lxx-approver"),
            urging=answered,
            answer=(
                "已邀请州药品检验所两名专家开展评审，预计评审结束后3个工作日内作出决定，"
                "特别程序期间时限依法暂停。"
            ),
        )
        case_services.case_urge(
            actor=supervisor,
            case=self.away_case,
            message=f"承办人{AWAY_NAME}离岗培训，该件由B角办理，请在承诺时限内办结，不得超期。",
            reply_by=self.ahead(lx, 1),
        )

    # --- an assisted project (R-CASE-10) -----------------------------------------------------------

    def assisted_project(self) -> None:
        lx, agent, clerk = self.linxia, self.user("lxx-agent"), self.user("lxx-clerk")
        info = self.firm(LINXIA, "临夏县河州清真牛羊肉食品有限公司")
        enterprise = self.register(info)
        project = assisted.project_create(
            actor=agent,
            applicant=enterprise,
            name="年屠宰加工20万只牛羊及冷链物流建设项目",
            team=AssistedProject.Team.INVESTMENT,
            agent=agent,
            description=(
                "在临夏县北塬工业园区新建屠宰加工车间、冷库和冷链物流中心，"
                "涉及立项备案、规划、施工许可、消防验收、排水许可等审批事项。"
            ),
            investment=Decimal("18600"),
        )
        for text in (
            "与企业负责人对接，梳理项目审批事项清单和办理顺序，明确代办员和联系方式。",
            "指导企业准备建设工程消防验收申请材料，提示竣工验收报告须加盖五方责任主体印章。",
            "预约住建、市场监管部门联合踏勘，告知排水许可须在通水前办理。",
        ):
            assisted.project_note_add(actor=agent, project=project, text=text)
        listing = self.listing(lx, "建设工程消防验收")
        report = self.material(listing, "工程竣工验收报告")
        at = self.at(lx, 2, 9, 30)
        case = self.window_case(
            clerk=clerk,
            listing=listing,
            info=info,
            applicant=enterprise,
            at=at,
            materials=self.required(listing, skip=(report.name,)),
            accept=False,
            project_name="河州清真牛羊肉屠宰加工车间及冷库",
        )
        files.document_attach(
            actor=clerk,
            case=case,
            material=report,
            upload=_upload(
                "工程竣工验收报告.pdf",
                "工程竣工验收报告",
                [
                    "工程名称：河州清真牛羊肉屠宰加工车间及冷库",
                    f"建设单位：{info['name']}",
                    "验收结论：工程质量合格，同意竣工验收。",
                    "建设、勘察、设计、施工、监理单位（盖章）",
                ],
            ),
            now=at + timedelta(minutes=4),
        )
        case = case_services.case_accept(actor=clerk, case=case, now=at + timedelta(minutes=15))
        assisted.project_link_case(actor=agent, project=project, case=case)
        assisted.project_note_add(
            actor=agent,
            project=project,
            text=f"消防验收申请已在综合窗口受理（办件{case.number}），跟踪住建部门审查进度。",
        )

    def load(self) -> int:
        if AuditEvent.objects.filter(action=MARK).exists():
            return 0
        self.centers = {
            c.region.code: c
            for c in Center.objects.filter(region__code__in=(LINXIA, *OTHERS)).select_related(
                "region"
            )
        }
        names = (
            "admin",
            "lxx-admin",
            "lxx-clerk",
            "lxx-approver",
            "lxx-chief",
            "lxx-agent",
            "lxx-supervisor",
            "lxx-leader",
            "lxx-w02",
            "lxx-w03",
        )
        self.users = {u.username: u for u in User.objects.filter(username__in=names)}
        if (
            len(self.centers) < 1 + len(OTHERS)
            or len(self.users) < len(names)
            or not Case.objects.filter(center=self.centers[LINXIA]).exists()
        ):
            return 0
        self.cals = {c.pk: calendar_for(center=c) for c in self.centers.values()}
        before = [model.objects.count() for model in COUNTED]
        self.linxia = self.centers[LINXIA]
        self.market = self.user("lxx-approver").staff_profile.department

        self.online_applications()
        self.bundle_applications()
        self.pledge_checks()
        self.special_procedure()
        self.backups()
        self.urgings()
        self.assisted_project()
        # The sweep, as it runs every few minutes: warnings of the running cases.
        sweep(now=self.now)

        audit_record(
            actor=self.user("admin"),
            action=MARK,
            target=self.linxia,
            center=self.linxia,
            after={"cases": sorted(set(self.numbers))},
            note="载入演示数据：网上申请、一件事、告知承诺核查、特别程序、AB角、督办、"
            "帮办代办和申请人材料库的示例（非真实数据）",
        )
        after = [model.objects.count() for model in COUNTED]
        return sum(b - a for a, b in zip(before, after, strict=True)) + 1


def load_demo_case_extras(*, now: datetime | None = None) -> int:
    """Add the examples of the newer case features (once); return how many rows were
    made (0 when they are there already, or without the demo network and cases)."""
    with transaction.atomic():
        return _Extras(now or timezone.now()).load()


def extra_case_numbers() -> list[str]:
    """The numbers of the cases the examples made (they are not simulated history)."""
    record = AuditEvent.objects.filter(action=MARK).order_by("pk").first()
    return list((record.after or {}).get("cases", [])) if record is not None else []

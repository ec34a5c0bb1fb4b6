"""The demo matter catalog of Linxia, as plain Python data.

Standard matters (标准事项) of the demo's department lines with their standard guides
(R-CAT-5): conditions, materials, steps, limits, fees, visits, online depth, FAQ and
the fields of the application form. Every guide is written to pass the guide lint
(R-CAT-6): no catch-all or vague clauses.

Levels: ``prefecture`` matters are listed at the prefecture center; ``county``
matters at the eight county centers, each implemented by the county body of its
line; ``township`` matters are devolved to the township centers and implemented by
the county body. The standard guide of every matter is kept by the prefecture body
of its line, one standard for all eight counties (R-CAT-10).

Codes (基本编码) are derived from the order of this file: add new matters at the end
of their line's block only if the demo database is rebuilt.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# --- building blocks ------------------------------------------------------------------------

MATERIAL_TYPES: tuple[tuple[str, str], ...] = (
    ("id_card", "居民身份证"),
    ("household_register", "居民户口簿"),
    ("business_licence", "营业执照"),
    ("marriage_cert", "结婚证"),
    ("property_cert", "不动产权证书"),
    ("birth_cert", "出生医学证明"),
    ("house_contract", "房屋买卖合同"),
    ("authorization", "授权委托书及受托人居民身份证"),
    ("site_proof", "经营场所使用证明"),
    ("social_security_card", "社会保障卡"),
    ("photo", "近期免冠彩色证件照片"),
    ("retirement_approval", "职工退休审批表"),
)


def mat(
    name: str,
    form: str = "original",
    copies: int = 1,
    *,
    type: str = "",  # noqa: A002 - the material type code
    when: str = "",
    shared: str = "",
    pledge: bool = False,
    note: str = "",
    electronic: bool = False,
) -> dict:
    """A material: required unless ``when`` states the case it is needed in; ``shared``
    names the department it is fetched from (the applicant does not hand it in)."""
    return {
        "name": name,
        "form": "electronic" if electronic else form,
        "copies": copies,
        "material_type": type,
        "requirement": "conditional" if when else "required",
        "condition": when,
        "source": "shared" if shared else "applicant",
        "shared_from": shared,
        "pledge_allowed": pledge,
        "paper_needed": not (shared or electronic),
        "note": note,
    }


def step(name: str, description: str, days: int = 0) -> dict:
    return {"name": name, "description": description, "days": days}


def faq(question: str, answer: str) -> dict:
    return {"question": question, "answer": answer}


def fld(key: str, label: str, kind: str = "text", required: bool = True) -> dict:
    return {"key": key, "label": label, "type": kind, "required": required}


def output(key: str, label: str) -> dict:
    """A field the matter itself produces (the credit code a registration issues): in the
    guide's form, never asked of the applicant, filled when the matter is decided."""
    return {"key": key, "label": label, "type": "text", "required": False, "output": True}


ID_CARD = mat("申请人居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。")
AGENT = mat(
    "授权委托书及受托人居民身份证",
    "original",
    type="authorization",
    when="委托他人代为办理的",
)
HOUSEHOLD = mat("申请人居民户口簿", "original", type="household_register")

PERSON = (
    fld("applicant_name", "申请人姓名"),
    fld("id_number", "公民身份号码", "id_number"),
    fld("phone", "联系电话", "phone"),
    fld("address", "现住址"),
)
ENTERPRISE = (
    fld("enterprise_name", "企业（单位）名称"),
    fld("credit_code", "统一社会信用代码"),
    fld("legal_representative", "法定代表人（负责人）姓名"),
    fld("phone", "联系电话", "phone"),
    fld("address", "住所（经营场所）"),
)
BANK = fld("bank_account", "本人社会保障卡金融账户或银行账号")


def accept(days: int = 0, what: str = "申请材料") -> dict:
    return step(
        "受理",
        f"窗口核对{what}，材料齐全、符合法定形式的当场受理并出具受理通知书；"
        "材料不齐全的，一次性告知需要补正的全部内容。",
        days,
    )


def review(description: str, days: int) -> dict:
    return step("审查", description, days)


def decide(description: str, days: int) -> dict:
    return step("决定", description, days)


def deliver(description: str = "窗口领取或免费邮寄送达办理结果。") -> dict:
    return step("送达", description, 0)


# --- the matters ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MatterData:
    key: str  # stable name used by bundles and the pending demo changes
    name: str
    line: str  # code of the department line (demo.data.LINES)
    kind: str  # catalog.models.MatterKind
    level: str  # "prefecture" | "county" | "township"
    domain: str
    keywords: str
    legal_basis: str
    conditions: str
    materials: tuple[dict, ...]
    steps: tuple[dict, ...]
    statutory_days: int
    promised_days: int
    visits: int
    online_depth: str
    result: str
    faq: tuple[dict, ...]
    form_fields: tuple[dict, ...]
    fees: str = "不收费"
    limit_unit: str = "working"
    for_persons: bool = True
    for_enterprises: bool = False
    exception_reason: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def is_free(self) -> bool:
        return self.fees == "不收费"


P, C, T = "prefecture", "county", "township"

MATTERS: tuple[MatterData, ...] = (
    # ===== 市场监督管理 =====================================================================
    MatterData(
        key="getihu",
        name="个体工商户设立登记",
        line="market",
        kind="licensing",
        level=C,
        domain="市场准入",
        keywords="个体户 开店 营业执照 开饭店 开小卖部 办执照 yyzz",
        legal_basis="《促进个体工商户发展条例》；《中华人民共和国市场主体登记管理条例》第十九条；"
        "《中华人民共和国市场主体登记管理条例实施细则》",
        conditions="有经营能力的自然人或家庭；有固定的经营场所；经营范围不属于法律、行政法规禁止"
        "个体经营的项目；名称经自主申报，不与同一登记机关已登记的个体工商户名称相同。",
        materials=(
            mat(
                "个体工商户登记（备案）申请书",
                "original",
                note="可在甘肃政务服务网在线填写，窗口可免费打印。",
            ),
            mat("经营者居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"),
            mat(
                "经营场所使用证明",
                "copy",
                type="site_proof",
                pledge=True,
                note="自有房屋提供不动产权证书复印件，租赁房屋提供租赁合同复印件；可书面承诺替代。",
            ),
            AGENT,
        ),
        steps=(
            accept(),
            review("登记机关对申请材料进行形式审查。", 0),
            decide("予以登记，当场核发营业执照（正、副本），同步推送电子营业执照。", 1),
        ),
        statutory_days=3,
        promised_days=1,
        visits=0,
        online_depth="full_online",
        result="个体工商户营业执照",
        faq=(
            faq(
                "个体工商户登记可以全程网上办理吗？",
                "可以。登录甘肃政务服务网或“甘快办”APP，实名认证后在线填报，审核通过后可邮寄纸质执照或领取电子营业执照。",
            ),
            faq(
                "经营场所是租来的，需要提供房东的房产证吗？",
                "不需要。提供租赁合同复印件即可，也可以签署经营场所使用承诺书替代。",
            ),
            faq("个体工商户登记收费吗？", "不收费，营业执照正、副本免费核发。"),
        ),
        form_fields=PERSON
        + (
            output("credit_code", "统一社会信用代码"),  # issued with the licence
            fld("business_name", "个体工商户名称", required=False),
            fld("business_address", "经营场所"),
            fld("business_scope", "经营范围"),
            fld("capital", "资金数额（万元）", "number"),
        ),
    ),
    MatterData(
        key="company",
        name="有限责任公司设立登记",
        line="market",
        kind="licensing",
        level=C,
        domain="市场准入",
        keywords="开公司 注册公司 办营业执照 企业开办 公司注册",
        legal_basis="《中华人民共和国公司法》；《中华人民共和国市场主体登记管理条例》第十九条；"
        "《中华人民共和国市场主体登记管理条例实施细则》",
        conditions="股东符合法定人数；有符合公司章程规定的全体股东认缴的出资额；股东共同制定公司章程；"
        "有公司名称，建立符合有限责任公司要求的组织机构；有公司住所。",
        materials=(
            mat("公司登记（备案）申请书", "original", note="由法定代表人签署。"),
            mat("公司章程", "original", note="由全体股东签署；可使用登记机关提供的章程参考文本。"),
            mat(
                "股东的主体资格证明",
                "copy",
                note="自然人股东提供居民身份证复印件，法人股东提供营业执照复印件。",
            ),
            mat("法定代表人、董事、监事和经理的任职文件", "original"),
            mat(
                "住所使用证明",
                "copy",
                type="site_proof",
                pledge=True,
                note="自有房屋提供不动产权证书复印件，租赁房屋提供租赁合同复印件；可书面承诺替代。",
            ),
            mat(
                "法定代表人居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"
            ),
            AGENT,
        ),
        steps=(
            accept(),
            review("登记机关对申请材料进行形式审查。", 0),
            decide("予以登记，核发营业执照，同步推送电子营业执照和免费刻制的公章。", 1),
        ),
        statutory_days=3,
        promised_days=1,
        visits=0,
        online_depth="full_online",
        result="企业法人营业执照",
        faq=(
            faq(
                "注册资本需要实缴吗？",
                "有限责任公司全体股东认缴的出资额由股东按照公司章程的规定自公司成立之日起五年内缴足，登记时不需要验资。",
            ),
            faq(
                "开办企业一共需要多长时间？",
                "营业执照、公章刻制、发票申领、员工参保登记一网通办，1个工作日内全部办结。",
            ),
        ),
        form_fields=(
            fld("enterprise_name", "企业（单位）名称"),
            output("credit_code", "统一社会信用代码"),  # issued by this registration
            *ENTERPRISE[2:],
            fld("business_scope", "经营范围"),
            fld("capital", "注册资本（万元）", "number"),
        ),
        for_persons=False,
        for_enterprises=True,
    ),
    MatterData(
        key="food_licence",
        name="食品经营许可（新办）",
        line="market",
        kind="licensing",
        level=C,
        domain="市场准入",
        keywords="开饭店 餐馆 饭馆 小吃店 超市 卖食品 食品许可证 拉面馆",
        legal_basis="《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》（国家市场监督管理总局令第78号）",
        conditions="具有与经营的食品品种、数量相适应的食品原料处理和食品加工、销售、贮存场所；"
        "具有与经营的食品品种、数量相适应的经营设备或者设施；有专职或者兼职的食品安全管理人员和保证食品安全的规章制度；"
        "具有合理的设备布局和工艺流程。",
        materials=(
            mat("食品经营许可申请书", "original"),
            mat(
                "营业执照",
                "copy",
                type="business_licence",
                shared="临夏州市场监督管理局（市场主体登记系统）",
            ),
            mat("经营者居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"),
            mat("与食品经营相适应的主要设备设施、经营布局、操作流程的文件", "original"),
            mat("食品安全管理制度目录及食品安全管理人员名单", "original", pledge=True),
            mat(
                "经营场所使用证明",
                "copy",
                type="site_proof",
                pledge=True,
                note="已在营业执照登记时提交的，不再提交。",
            ),
            AGENT,
        ),
        steps=(
            accept(),
            step(
                "现场核查",
                "仅销售预包装食品的免于现场核查；餐饮服务经营者由两名执法人员现场核查场所和设备布局。",
                2,
            ),
            decide("作出准予许可的决定，核发食品经营许可证。", 1),
            deliver(),
        ),
        statutory_days=10,
        promised_days=3,
        visits=1,
        online_depth="online_apply",
        result="食品经营许可证",
        faq=(
            faq(
                "开一家拉面馆需要办哪些证？",
                "需要办理个体工商户营业执照和食品经营许可证；排水接入市政管网的，还需办理城镇污水排入排水管网许可。可通过“我要开饭店”一件事一次申请。",
            ),
            faq(
                "仅销售预包装食品需要办食品经营许可证吗？",
                "不需要，仅销售预包装食品的，向县市场监督管理局备案即可。",
            ),
            faq("食品经营许可证有效期多长？", "有效期为5年。"),
        ),
        form_fields=ENTERPRISE
        + (fld("business_address", "经营场所"), fld("food_items", "经营项目")),
        for_enterprises=True,
    ),
    MatterData(
        key="food_workshop",
        name="食品小作坊登记",
        line="market",
        kind="licensing",
        level=C,
        domain="市场准入",
        keywords="食品小作坊 做馍馍 油饼 手工挂面 粉条 作坊",
        legal_basis="《中华人民共和国食品安全法》第三十六条；《甘肃省食品小作坊小经营店小摊点管理条例》",
        conditions="有固定的生产加工场所，生产区与生活区分开；有与生产加工食品相适应的设备设施；"
        "从业人员持有有效健康证明；生产加工的食品不属于禁止食品小作坊生产加工的品种目录。",
        materials=(
            mat("食品小作坊登记申请表", "original"),
            mat(
                "营业执照",
                "copy",
                type="business_licence",
                shared="临夏州市场监督管理局（市场主体登记系统）",
            ),
            mat("经营者居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"),
            mat("从业人员健康证明", "copy"),
            mat("生产加工场所平面布局图和工艺流程图", "original"),
        ),
        steps=(
            accept(),
            step("现场核查", "两名执法人员对生产加工场所、设备设施和工艺流程进行现场核查。", 3),
            decide("符合条件的予以登记，核发食品小作坊登记证。", 1),
            deliver(),
        ),
        statutory_days=10,
        promised_days=4,
        visits=1,
        online_depth="online_apply",
        result="食品小作坊登记证",
        faq=(
            faq(
                "家里做手工挂面出售，需要办登记证吗？",
                "需要。以销售为目的从事食品生产加工的小作坊应当办理食品小作坊登记证。",
            ),
            faq("登记证有效期多长？", "有效期为3年，期满前30日内申请延续。"),
        ),
        form_fields=PERSON
        + (fld("business_address", "生产加工场所"), fld("food_items", "生产加工品种")),
    ),
    MatterData(
        key="drug_retail",
        name="药品零售企业经营许可",
        line="market",
        kind="licensing",
        level=C,
        domain="市场准入",
        keywords="开药店 药房 药品经营许可证",
        legal_basis="《中华人民共和国药品管理法》第五十二条；《药品经营和使用质量监督管理办法》（国家市场监督管理总局令第84号）",
        conditions="有依法经过资格认定的执业药师；有与所经营药品相适应的营业场所、设备、仓储设施和卫生环境；"
        "有与所经营药品相适应的质量管理机构或者人员；有保证药品质量的规章制度，并符合药品经营质量管理规范要求。",
        materials=(
            mat("药品经营许可证申请表", "original"),
            mat(
                "营业执照",
                "copy",
                type="business_licence",
                shared="临夏州市场监督管理局（市场主体登记系统）",
            ),
            mat("执业药师注册证", "copy"),
            mat("营业场所和仓库平面布置图及房屋产权或使用权证明", "copy"),
            mat("药品质量管理制度文件目录", "original"),
            AGENT,
        ),
        steps=(
            accept(),
            review("对申请材料进行审查，组织两名检查员现场检查。", 8),
            decide("作出准予许可的决定，核发药品经营许可证。", 2),
            deliver(),
        ),
        statutory_days=30,
        promised_days=10,
        visits=1,
        online_depth="online_apply",
        result="药品经营许可证",
        faq=(
            faq(
                "开药店必须有执业药师吗？",
                "必须。药品零售企业应当配备执业药师，负责处方审核和指导合理用药。",
            ),
            faq("药品经营许可证有效期多长？", "有效期为5年。"),
        ),
        form_fields=ENTERPRISE + (fld("business_address", "营业场所"),),
        for_persons=False,
        for_enterprises=True,
    ),
    MatterData(
        key="food_report_reward",
        name="食品安全违法行为举报奖励",
        line="market",
        kind="reward",
        level=P,
        domain="市场监管",
        keywords="举报奖励 食品安全举报 有奖举报",
        legal_basis="《中华人民共和国食品安全法》第一百一十五条；《市场监管领域重大违法行为举报奖励暂行办法》",
        conditions="举报人实名举报；举报的违法行为经查证属实并作出行政处罚决定或移送司法机关；"
        "举报事项在举报前未被市场监督管理部门掌握。",
        materials=(
            mat("举报奖励申请表", "original"),
            mat("举报人居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"),
            mat("举报人本人银行账户信息", "copy"),
        ),
        steps=(
            accept(),
            review("核对举报记录和案件查处结果，确定奖励等次和金额。", 8),
            decide("作出奖励决定并告知举报人。", 2),
            step("发放", "奖励资金转入举报人本人银行账户。", 2),
        ),
        statutory_days=30,
        promised_days=12,
        visits=1,
        online_depth="pre_review",
        result="举报奖励决定书及奖金",
        faq=(
            faq(
                "举报人的信息会被泄露吗？",
                "不会。市场监督管理部门对举报人信息严格保密，奖励发放过程同样保密。",
            ),
            faq(
                "奖金标准是多少？",
                "按《市场监管领域重大违法行为举报奖励暂行办法》确定的三个奖励等次和计算方法计发。",
            ),
        ),
        form_fields=PERSON + (BANK, fld("case_number", "举报登记编号")),
    ),
    MatterData(
        key="metrology",
        name="计量标准器具核准",
        line="market",
        kind="licensing",
        level=P,
        domain="质量计量",
        keywords="计量标准 计量器具 计量考核",
        legal_basis="《中华人民共和国计量法》第六条；《中华人民共和国计量法实施细则》；《计量标准考核办法》",
        conditions="计量标准器具经计量检定合格；具有正常工作所需要的环境条件；"
        "具有称职的保存、维护、使用人员；具有完善的管理制度。",
        materials=(
            mat("计量标准考核（复查）申请书", "original", 2),
            mat("计量标准技术报告", "original"),
            mat("计量标准器及主要配套设备的有效检定或校准证书", "copy"),
            mat("检定或校准人员能力证明", "copy"),
        ),
        steps=(
            accept(),
            step("考核", "组织考评员对计量标准进行书面审查和现场考评。", 12),
            decide("考核合格的，核发计量标准考核证书。", 3),
            deliver(),
        ),
        statutory_days=40,
        promised_days=15,
        visits=1,
        online_depth="online_apply",
        result="计量标准考核证书",
        faq=(
            faq("计量标准考核证书有效期多长？", "有效期为5年，期满前6个月申请复查考核。"),
            faq("考核需要收费吗？", "不收费。"),
        ),
        form_fields=ENTERPRISE + (fld("standard_name", "计量标准名称"),),
        for_persons=False,
        for_enterprises=True,
    ),
    # ===== 公安 ============================================================================
    MatterData(
        key="birth_registration",
        name="出生登记",
        line="police",
        kind="confirmation",
        level=C,
        domain="户籍管理",
        keywords="生孩子 新生儿上户口 报户口 出生上户 落户",
        legal_basis="《中华人民共和国户口登记条例》第七条；《甘肃省公安厅关于进一步深化户籍制度改革的实施意见》",
        conditions="在本县（市）出生的婴儿，由父亲、母亲或者监护人向父亲或母亲户口所在地公安机关申报出生登记。",
        materials=(
            mat(
                "出生医学证明",
                "original",
                type="birth_cert",
                shared="临夏州卫生健康委员会（出生医学证明管理系统）",
                note="医院已签发电子出生医学证明的，窗口通过共享获取。",
            ),
            mat("父亲或母亲的居民户口簿", "original", type="household_register"),
            mat(
                "父亲、母亲的居民身份证",
                "original",
                type="id_card",
                note="窗口核验后当场退还原件。",
            ),
            mat(
                "父母的结婚证",
                "original",
                type="marriage_cert",
                when="父母已办理结婚登记的",
                shared="临夏州民政局（婚姻登记信息系统）",
            ),
            mat("非婚生育说明", "original", when="父母未办理结婚登记的"),
        ),
        steps=(
            accept(),
            decide("核对出生信息，当场办理户口登记，在居民户口簿上增加婴儿户口页。", 0),
        ),
        statutory_days=1,
        promised_days=0,
        visits=1,
        online_depth="online_apply",
        result="居民户口簿（新增婴儿户口页）",
        faq=(
            faq("孩子出生多长时间内要报户口？", "婴儿出生后一个月以内申报出生登记。"),
            faq(
                "可以和医保参保、社保卡一起办吗？",
                "可以，通过“新生儿出生一件事”一次申请，出生登记、医保参保和社会保障卡申领同步办理。",
            ),
        ),
        form_fields=PERSON
        + (
            fld("child_name", "婴儿姓名"),
            fld("child_birth_date", "出生日期", "date"),
            fld("birth_cert_number", "出生医学证明编号"),
        ),
    ),
    MatterData(
        key="id_card",
        name="居民身份证申领（首次、换领、补领）",
        line="police",
        kind="public_service",
        level=C,
        domain="户籍管理",
        keywords="办身份证 身份证丢了 补身份证 换身份证 身份证到期",
        legal_basis="《中华人民共和国居民身份证法》第八条、第十一条、第十三条",
        conditions="居住在中华人民共和国境内的中国公民，户口登记在本县（市），或者在甘肃省内跨县（市）异地申领。",
        materials=(
            mat(
                "申请人居民户口簿",
                "original",
                type="household_register",
                note="首次申领时提交；换领、补领的无需提交。",
            ),
            mat("原居民身份证", "original", type="id_card", when="换领身份证的"),
            mat("监护人居民身份证", "original", when="未满十六周岁的公民申领，由监护人陪同的"),
        ),
        steps=(
            accept(0, "申请人信息"),
            step("采集", "现场采集人像、指纹信息。", 0),
            decide("审核签发，制证。", 8),
            deliver("窗口领取或免费邮寄送达居民身份证。"),
        ),
        statutory_days=60,
        promised_days=10,
        visits=1,
        online_depth="pre_review",
        result="居民身份证",
        fees="《国家发展改革委 财政部关于居民身份证收费标准及有关问题的通知》（发改价格〔2003〕2322号）："
        "申领、换领20元；丢失补领或损坏换领40元；临时居民身份证10元。",
        faq=(
            faq(
                "身份证丢了，能在州内其他县补领吗？",
                "可以，甘肃省内户籍居民可在全省任一公安机关户政窗口异地补领。",
            ),
            faq("办理期间需要乘车怎么办？", "可同时申领临时居民身份证，当场领取。"),
            faq("照片需要自己带吗？", "不需要，窗口现场免费采集人像。"),
        ),
        form_fields=PERSON + (fld("apply_reason", "申领原因"),),
    ),
    MatterData(
        key="hukou_move",
        name="户口迁移（省内迁入）",
        line="police",
        kind="licensing",
        level=C,
        domain="户籍管理",
        keywords="户口迁移 迁户口 落户 投靠 随迁",
        legal_basis="《中华人民共和国户口登记条例》第十条；《甘肃省公安厅关于进一步深化户籍制度改革的实施意见》",
        conditions="在本县（市）有合法稳定住所，或者投靠在本县（市）落户的配偶、父母、子女；甘肃省内迁移实行“一站式”办理，无需迁出地开具准迁证。",
        materials=(
            mat("户口迁移申请表", "original"),
            mat("申请人居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"),
            mat("申请人居民户口簿", "original", type="household_register"),
            mat(
                "本县（市）合法稳定住所证明",
                "copy",
                when="以合法稳定住所申请落户的",
                note="提供不动产权证书或经备案的房屋租赁合同。",
            ),
            mat(
                "亲属关系证明",
                "original",
                when="投靠亲属落户的",
                note="夫妻投靠提供结婚证，父母子女投靠提供出生医学证明或居民户口簿。",
            ),
        ),
        steps=(
            accept(),
            review("核查申请人户籍信息和迁入条件。", 2),
            decide("办理迁入登记，迁出地户口由系统自动注销。", 1),
        ),
        statutory_days=10,
        promised_days=3,
        visits=1,
        online_depth="online_apply",
        result="迁入地居民户口簿",
        faq=(
            faq("省内迁户口需要回原籍开证明吗？", "不需要。甘肃省内迁移由迁入地派出所一站式办理。"),
            faq("租房可以落户吗？", "可以，在本县（市）租赁住房并办理租赁备案的，可申请落户。"),
        ),
        form_fields=PERSON + (fld("move_from", "原户籍地"), fld("move_to", "迁入地址")),
    ),
    MatterData(
        key="seal",
        name="公章刻制备案",
        line="police",
        kind="other_power",
        level=C,
        domain="市场准入",
        keywords="刻章 公章 印章备案 开公司刻章",
        legal_basis="《国务院对确需保留的行政审批项目设定行政许可的决定》；《国务院关于第三批取消中央指定地方实施行政许可事项的决定》（国发〔2017〕7号）",
        conditions="依法登记的企业、个体工商户、社会组织和机关事业单位刻制公章。",
        materials=(
            mat(
                "营业执照",
                "copy",
                type="business_licence",
                shared="临夏州市场监督管理局（市场主体登记系统）",
            ),
            mat(
                "法定代表人居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"
            ),
            AGENT,
        ),
        steps=(
            accept(),
            decide("刻章企业刻制公章后当场通过公章治安管理信息系统备案。", 0),
        ),
        statutory_days=1,
        promised_days=0,
        visits=0,
        online_depth="full_online",
        result="公章及备案信息",
        faq=(
            faq(
                "新开办企业刻章收费吗？",
                "临夏州新开办企业首套公章（公章、财务章、发票专用章、法定代表人名章）由政府购买服务免费刻制。",
            ),
            faq("可以自己选择刻章店吗？", "可以，申请人可自主选择已备案的刻章企业。"),
        ),
        form_fields=ENTERPRISE,
        for_persons=False,
        for_enterprises=True,
    ),
    MatterData(
        key="vehicle_registration",
        name="机动车注册登记",
        line="police",
        kind="licensing",
        level=P,
        domain="交通管理",
        keywords="上牌 买车上牌 新车上牌 机动车登记 车牌",
        legal_basis="《中华人民共和国道路交通安全法》第八条、第九条；《机动车登记规定》（公安部令第164号）",
        conditions="机动车所有人为本州居民或在本州登记的单位；机动车经国家机动车产品主管部门许可生产或依法进口，并经安全技术检验合格。",
        materials=(
            mat(
                "机动车所有人居民身份证",
                "original",
                type="id_card",
                note="单位所有的提供营业执照。",
            ),
            mat("购车发票", "original"),
            mat("机动车整车出厂合格证明或进口凭证", "original"),
            mat(
                "车辆购置税完税证明",
                "electronic",
                shared="国家税务总局临夏回族自治州税务局（车购税电子信息）",
            ),
            mat(
                "机动车交通事故责任强制保险凭证",
                "electronic",
                shared="保险公司（交强险电子保单信息）",
            ),
            AGENT,
        ),
        steps=(
            accept(),
            step("查验", "查验车辆识别代号、外观和安全技术检验结果。", 0),
            decide("确定号牌号码，核发机动车登记证书、号牌和行驶证。", 1),
        ),
        statutory_days=2,
        promised_days=0,
        visits=1,
        online_depth="online_apply",
        result="机动车登记证书、号牌、行驶证",
        fees="《国家发展改革委 财政部关于降低部分行政事业性收费标准的通知》：号牌（含号牌专用固封装置）汽车每副100元、摩托车每副35元；行驶证每本10元；登记证书每本10元。",
        faq=(
            faq(
                "新车上牌可以在4S店办吗？",
                "可以，临夏州已在12家品牌4S店设立新车登记服务站，购车后现场上牌。",
            ),
            faq("号牌可以自己选吗？", "可以，通过“交管12123”APP或窗口自编自选号牌号码。"),
        ),
        form_fields=PERSON
        + (fld("vehicle_vin", "车辆识别代号"), fld("vehicle_model", "车辆品牌型号")),
    ),
    MatterData(
        key="driving_licence",
        name="机动车驾驶证换领、补领",
        line="police",
        kind="licensing",
        level=P,
        domain="交通管理",
        keywords="驾照到期 换驾照 驾照丢了 补驾照 驾驶证",
        legal_basis="《中华人民共和国道路交通安全法》第十九条；《机动车驾驶证申领和使用规定》（公安部令第172号）",
        conditions="驾驶证有效期满前九十日内换领；驾驶证遗失、损毁无法辨认的补领；驾驶证记载信息发生变化的换领。",
        materials=(
            mat("申请人居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"),
            mat(
                "机动车驾驶人身体条件证明",
                "electronic",
                shared="医疗机构（体检信息联网）",
                note="在联网医疗机构体检的，无需提交纸质证明。",
            ),
            mat("原机动车驾驶证", "original", when="换领驾驶证的"),
        ),
        steps=(
            accept(),
            decide("审核后当场制发机动车驾驶证，或制发电子驾驶证。", 0),
        ),
        statutory_days=1,
        promised_days=0,
        visits=0,
        online_depth="full_online",
        result="机动车驾驶证",
        fees="《国家发展改革委 财政部关于降低部分行政事业性收费标准的通知》：驾驶证每本10元。",
        faq=(
            faq(
                "驾照到期换证一定要去车管所吗？",
                "不一定。可通过“交管12123”APP在线申请，驾驶证邮寄到家。",
            ),
            faq("换证需要照片吗？", "联网医疗机构体检时已采集照片，无需另交。"),
        ),
        form_fields=PERSON + (fld("licence_number", "驾驶证档案编号"),),
    ),
    # ===== 人力资源和社会保障 ==================================================================
    MatterData(
        key="resident_pension_enrol",
        name="城乡居民基本养老保险参保登记",
        line="hrss",
        kind="public_service",
        level=T,
        domain="社会保障",
        keywords="农村养老保险 城乡居民养老 交养老保险 参保",
        legal_basis="《中华人民共和国社会保险法》第二十条至第二十二条；《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）",
        conditions="年满16周岁（不含在校学生），非国家机关和事业单位工作人员及不属于职工基本养老保险制度覆盖范围的城乡居民，在户籍地参保。",
        materials=(
            mat("申请人居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"),
            mat(
                "申请人居民户口簿",
                "original",
                type="household_register",
                shared="临夏州公安局（人口信息共享）",
            ),
        ),
        steps=(
            accept(),
            decide("录入参保信息，当场完成参保登记。", 0),
        ),
        statutory_days=1,
        promised_days=0,
        visits=0,
        online_depth="full_online",
        result="城乡居民基本养老保险参保信息",
        faq=(
            faq(
                "每年交多少钱？",
                "甘肃省城乡居民养老保险缴费档次为每年200元至6000元，共13个档次，多缴多得。",
            ),
            faq(
                "在村里能办吗？",
                "可以，在户籍所在地乡镇便民服务中心或村便民服务代办点办理，也可在“甘肃人社”APP办理。",
            ),
        ),
        form_fields=PERSON + (fld("pay_grade", "缴费档次（元/年）", "number"),),
    ),
    MatterData(
        key="resident_pension_benefit",
        name="城乡居民基本养老保险待遇申领",
        line="hrss",
        kind="payment",
        level=C,
        domain="社会保障",
        keywords="领养老金 60岁领养老金 农村养老金 退休",
        legal_basis="《中华人民共和国社会保险法》第二十一条；《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）",
        conditions="参保人年满60周岁，累计缴费满15年，且未领取国家规定的基本养老保障待遇。",
        materials=(
            mat("申请人居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"),
            mat("申请人社会保障卡", "original", type="social_security_card"),
        ),
        steps=(
            accept(),
            review("核对参保缴费记录和待遇领取条件。", 3),
            decide("核定养老金待遇，次月起按月发放至社会保障卡金融账户。", 2),
        ),
        statutory_days=20,
        promised_days=5,
        visits=0,
        online_depth="full_online",
        result="城乡居民基本养老保险待遇核定表",
        faq=(
            faq(
                "年满60岁会自动领取吗？",
                "社保经办机构在参保人年满60周岁前一个月通过短信提醒，本人确认后即可按月领取。",
            ),
            faq("缴费不满15年怎么办？", "可以补缴至满15年后再申请领取。"),
        ),
        form_fields=PERSON + (BANK,),
    ),
    MatterData(
        key="retirement",
        name="企业职工基本养老保险退休待遇核定",
        line="hrss",
        kind="payment",
        level=C,
        domain="社会保障",
        keywords="退休 办退休 退休手续 养老金 退休工资",
        legal_basis="《中华人民共和国社会保险法》第十六条；《国务院关于渐进式延迟法定退休年龄的办法》；《国务院关于完善企业职工基本养老保险制度的决定》（国发〔2005〕38号）",
        conditions="参保职工达到法定退休年龄，累计缴费满15年（按《国务院关于渐进式延迟法定退休年龄的办法》逐步提高的最低缴费年限执行）。",
        materials=(
            mat(
                "职工退休审批表",
                "original",
                2,
                type="retirement_approval",
                note="由用人单位填写并盖章；灵活就业人员本人填写。",
            ),
            mat("申请人居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"),
            mat(
                "职工本人档案",
                "original",
                when="参保职工由用人单位保管档案的",
                note="由存档单位直接移交，个人无需携带。",
            ),
        ),
        steps=(
            accept(),
            review("审核出生时间、参加工作时间和缴费年限。", 5),
            decide("核定基本养老金，次月起按月发放。", 3),
        ),
        statutory_days=20,
        promised_days=8,
        visits=1,
        online_depth="online_apply",
        result="企业职工基本养老保险待遇核定表",
        faq=(
            faq(
                "退休需要本人到现场吗？",
                "通过“甘肃人社”APP或单位网上申报的，本人不需要到现场；首次领取前完成一次人脸识别认证即可。",
            ),
            faq(
                "退休后住房公积金可以取出来吗？",
                "可以，通过“退休一件事”一次申请，同时办理住房公积金退休提取。",
            ),
        ),
        form_fields=PERSON + (BANK, fld("enterprise_name", "用人单位名称", required=False)),
    ),
    MatterData(
        key="unemployment",
        name="失业保险金申领",
        line="hrss",
        kind="payment",
        level=C,
        domain="就业",
        keywords="失业金 失业保险 失业了 下岗",
        legal_basis="《中华人民共和国社会保险法》第四十五条；《失业保险条例》第十四条",
        conditions="失业前用人单位和本人已经缴纳失业保险费满一年；非因本人意愿中断就业；已经进行失业登记，并有求职要求。",
        materials=(
            mat(
                "申请人社会保障卡或居民身份证",
                "original",
                type="id_card",
                note="窗口核验后当场退还原件。",
            ),
            mat(
                "解除或终止劳动关系的证明",
                "copy",
                pledge=True,
                note="用人单位已网上报送减员信息的，无需提交。",
            ),
        ),
        steps=(
            accept(),
            review("核对参保缴费记录和失业原因。", 3),
            decide("核定失业保险金领取期限和标准，按月发放。", 2),
        ),
        statutory_days=20,
        promised_days=5,
        visits=0,
        online_depth="full_online",
        result="失业保险待遇核定通知",
        faq=(
            faq("失业保险金每月多少钱？", "按甘肃省最低工资标准的90%按月发放。"),
            faq(
                "领取失业金期间的医保怎么办？",
                "领取失业保险金期间，由失业保险基金代缴职工基本医疗保险费。",
            ),
        ),
        form_fields=PERSON + (BANK,),
    ),
    MatterData(
        key="social_security_card",
        name="社会保障卡申领",
        line="hrss",
        kind="public_service",
        level=C,
        domain="社会保障",
        keywords="社保卡 办社保卡 补社保卡 新生儿社保卡",
        legal_basis="《中华人民共和国社会保险法》第五十八条；《社会保障卡管理办法》（人社部发〔2023〕35号）",
        conditions="已参加社会保险或领取社会保障待遇的人员，以及本地户籍的城乡居民。",
        materials=(
            mat(
                "申请人居民身份证",
                "original",
                type="id_card",
                note="窗口核验后当场退还原件。",
            ),
            mat(
                "新生儿出生医学证明",
                "original",
                type="birth_cert",
                when="为未办理居民身份证的新生儿申领的",
                shared="临夏州卫生健康委员会（出生医学证明管理系统）",
            ),
            mat("监护人居民身份证", "original", when="为未满十六周岁的未成年人申领的"),
        ),
        steps=(
            accept(),
            decide("在具备即时制卡条件的窗口当场制卡；不具备条件的统一制卡后送达。", 0),
        ),
        statutory_days=20,
        promised_days=0,
        visits=1,
        online_depth="online_apply",
        result="社会保障卡（第三代）",
        faq=(
            faq("社保卡丢了怎么办？", "先通过12333或“甘肃人社”APP挂失，再到窗口补领，即时制卡。"),
            faq(
                "新生儿可以办社保卡吗？",
                "可以，通过“新生儿出生一件事”与出生登记、医保参保一同申请。",
            ),
        ),
        form_fields=PERSON,
    ),
    MatterData(
        key="survivor_benefit",
        name="企业职工丧葬补助金和抚恤金申领",
        line="hrss",
        kind="payment",
        level=C,
        domain="社会保障",
        keywords="丧葬费 抚恤金 老人去世 死亡待遇",
        legal_basis="《中华人民共和国社会保险法》第十七条；《甘肃省人力资源和社会保障厅 甘肃省财政厅关于企业职工基本养老保险参保人员死亡后丧葬补助金和抚恤金的通知》",
        conditions="参加企业职工基本养老保险的个人死亡，其遗属可以申领丧葬补助金和抚恤金。",
        materials=(
            mat(
                "死亡证明",
                "original",
                shared="临夏州卫生健康委员会、临夏州公安局（死亡信息共享）",
                note="火化信息、户籍注销信息已共享的，无需提交。",
            ),
            mat("申领人居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"),
            mat(
                "申领人与死者的亲属关系证明",
                "original",
                note="提供居民户口簿、结婚证或出生医学证明中能证明亲属关系的一项。",
            ),
        ),
        steps=(
            accept(),
            review("核对死亡信息和遗属身份。", 3),
            decide("核定待遇，一次性发放至申领人银行账户。", 2),
        ),
        statutory_days=20,
        promised_days=5,
        visits=1,
        online_depth="online_apply",
        result="丧葬补助金和抚恤金核定表",
        faq=(
            faq(
                "个人账户里的钱可以继承吗？",
                "可以，个人账户余额随丧葬补助金和抚恤金一并发放给遗属。",
            ),
            faq("办理有时间要求吗？", "参保人死亡后应及时申报，以免多发的养老金需要退回。"),
        ),
        form_fields=PERSON
        + (
            BANK,
            fld("deceased_name", "死者姓名"),
            fld("deceased_id_number", "死者公民身份号码", "id_number"),
        ),
    ),
    MatterData(
        key="work_injury",
        name="工伤认定",
        line="hrss",
        kind="confirmation",
        level=P,
        domain="社会保障",
        keywords="工伤 上班受伤 工伤认定 工伤保险",
        legal_basis="《工伤保险条例》第十七条、第二十条；《工伤认定办法》（人力资源和社会保障部令第8号）",
        conditions="职工发生事故伤害或者被诊断、鉴定为职业病，所在单位自事故伤害发生之日或者被诊断、鉴定为职业病之日起30日内提出申请；"
        "用人单位未按期提出的，工伤职工或者其近亲属、工会组织在1年内提出申请。",
        materials=(
            mat("工伤认定申请表", "original", 2),
            mat(
                "与用人单位存在劳动关系的证明",
                "copy",
                note="劳动合同、工资支付记录或社会保险缴费记录中的一项。",
            ),
            mat("医疗诊断证明或者职业病诊断证明书", "copy"),
            mat("受伤职工居民身份证", "copy", type="id_card"),
            AGENT,
        ),
        steps=(
            accept(),
            step(
                "调查核实",
                "对事故伤害进行调查核实，用人单位、职工、工会组织、医疗机构予以协助。",
                14,
            ),
            decide("作出工伤认定决定，书面通知申请人、职工及其用人单位。", 3),
            deliver(),
        ),
        statutory_days=60,
        promised_days=20,
        visits=1,
        online_depth="pre_review",
        result="认定工伤决定书或不予认定工伤决定书",
        faq=(
            faq(
                "单位不给申请工伤怎么办？",
                "受伤职工或其近亲属可以自事故伤害发生之日起1年内直接向州人力资源和社会保障局提出申请。",
            ),
            faq(
                "上下班途中发生交通事故算工伤吗？",
                "在上下班途中受到非本人主要责任的交通事故伤害的，应当认定为工伤。",
            ),
        ),
        form_fields=PERSON
        + (fld("enterprise_name", "用人单位名称"), fld("injury_date", "受伤时间", "date")),
        for_enterprises=True,
    ),
    MatterData(
        key="labour_arbitration",
        name="劳动人事争议仲裁",
        line="hrss",
        kind="adjudication",
        level=P,
        domain="劳动关系",
        keywords="劳动仲裁 拖欠工资 讨薪 辞退赔偿 劳动纠纷",
        legal_basis="《中华人民共和国劳动争议调解仲裁法》第二十九条、第四十三条；《劳动人事争议仲裁办案规则》（人力资源和社会保障部令第33号）",
        conditions="申请人与被申请人之间存在劳动关系或人事关系；有明确的被申请人、具体的仲裁请求和事实、理由；"
        "属于仲裁委员会受理范围和管辖；在仲裁时效一年以内提出。",
        materials=(
            mat("仲裁申请书", "original", 2, note="按被申请人人数提交副本；窗口提供填写示范文本。"),
            mat("申请人居民身份证", "copy", type="id_card"),
            mat(
                "被申请人的营业执照信息或居民身份证信息",
                "copy",
                type="business_licence",
                note="可在国家企业信用信息公示系统打印被申请人登记信息。",
            ),
            mat(
                "证明劳动关系和仲裁请求的证据",
                "copy",
                note="劳动合同、工资条、考勤记录、解除劳动合同通知中申请人持有的证据，逐项列入证据目录。",
            ),
            AGENT,
        ),
        steps=(
            step(
                "受理",
                "仲裁委员会收到仲裁申请之日起5日内，认为符合受理条件的予以受理并通知申请人。",
                5,
            ),
            step("调解", "开庭前先行调解，达成协议的制作调解书。", 10),
            step("开庭审理", "仲裁庭开庭审理，听取当事人陈述和辩论。", 10),
            decide("仲裁庭作出裁决，送达仲裁裁决书。", 5),
        ),
        statutory_days=45,
        promised_days=30,
        limit_unit="natural",
        visits=2,
        online_depth="pre_review",
        result="仲裁调解书或仲裁裁决书",
        exception_reason="《中华人民共和国劳动争议调解仲裁法》第四十三条规定的45日为仲裁庭审理期限，期间须依法送达答辩副本（被申请人答辩期10日）、"
        "通知开庭（开庭5日前书面通知）并组织调解；上述法定程序期间合计已达25日，承诺时限无法压缩至18日以内。",
        faq=(
            faq("申请劳动仲裁收费吗？", "不收费，劳动人事争议仲裁不收取任何费用。"),
            faq(
                "仲裁时效是多长？",
                "劳动争议申请仲裁的时效期间为一年，从当事人知道或者应当知道其权利被侵害之日起计算。",
            ),
            faq("对仲裁裁决不服怎么办？", "可以自收到仲裁裁决书之日起15日内向人民法院提起诉讼。"),
        ),
        form_fields=PERSON
        + (fld("enterprise_name", "被申请人名称"), fld("claims", "仲裁请求", "textarea")),
    ),
    # ===== 自然资源 ============================================================================
    MatterData(
        key="property_first",
        name="国有建设用地使用权及房屋所有权首次登记",
        line="natural_resources",
        kind="confirmation",
        level=C,
        domain="不动产",
        keywords="房产证 首次登记 新房办证 大产权",
        legal_basis="《中华人民共和国民法典》第二百零九条；《不动产登记暂行条例》第二十条；《不动产登记暂行条例实施细则》第十七条、第三十五条",
        conditions="依法取得国有建设用地使用权，房屋已竣工验收，申请人为建设用地使用权人。",
        materials=(
            mat("不动产登记申请书", "original"),
            mat(
                "申请人营业执照",
                "copy",
                type="business_licence",
                shared="临夏州市场监督管理局（市场主体登记系统）",
            ),
            mat("国有建设用地使用权不动产权证书", "original", type="property_cert"),
            mat("建设工程符合规划的证明", "copy", shared="临夏州自然资源局（规划核实系统）"),
            mat("房屋已竣工的证明", "copy", shared="临夏州住房和城乡建设局（竣工验收备案系统）"),
            mat("房地产调查或者测绘报告", "original"),
        ),
        steps=(
            accept(),
            step("审核", "查验申请材料，对房屋进行实地查看。", 3),
            step(
                "公告",
                "按《不动产登记暂行条例实施细则》第十七条，在门户网站和不动产所在地公告15个工作日。",
                15,
            ),
            step("登簿", "公告期满无异议的，记载于不动产登记簿。", 1),
            step("缮证", "缮制并核发不动产权证书。", 1),
        ),
        statutory_days=30,
        promised_days=20,
        visits=1,
        online_depth="online_apply",
        result="不动产权证书",
        fees="《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）：住宅每件80元；非住宅每件550元；每增加一本证书加收证书工本费10元。",
        exception_reason="《不动产登记暂行条例实施细则》第十七条规定，政府组织的集体土地所有权登记以外的首次登记须公告不少于15个工作日，公告期不得压缩；"
        "扣除公告期后，受理、审核、登簿、缮证合计承诺5个工作日，已压缩至法定剩余时限的三分之一。",
        faq=(
            faq(
                "首次登记为什么要公告？",
                "为保护可能存在的权利人的利益，《不动产登记暂行条例实施细则》第十七条规定首次登记前须公告15个工作日。",
            ),
            faq(
                "开发商办完首次登记后，购房人怎么办证？",
                "购房人持房屋买卖合同和居民身份证申请转移登记，可与契税缴纳一窗办理。",
            ),
        ),
        form_fields=ENTERPRISE + (fld("property_address", "不动产坐落"),),
        for_persons=False,
        for_enterprises=True,
    ),
    MatterData(
        key="property_transfer",
        name="国有建设用地使用权及房屋所有权转移登记（买卖）",
        line="natural_resources",
        kind="confirmation",
        level=C,
        domain="不动产",
        keywords="买房 过户 二手房 房产证 不动产登记 卖房",
        legal_basis="《中华人民共和国民法典》第二百零九条、第二百一十四条；《不动产登记暂行条例》第二十条；《不动产登记暂行条例实施细则》第三十八条",
        conditions="房屋已办理不动产首次登记；买卖双方已签订房屋买卖合同并完成网签备案；房屋不存在查封、异议登记。",
        materials=(
            mat("不动产登记申请书", "original", note="窗口现场打印，双方签字确认。"),
            mat("买卖双方居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"),
            mat(
                "房屋买卖合同",
                "original",
                type="house_contract",
                note="网签备案的合同通过系统共享，无需另行打印。",
            ),
            mat("不动产权证书", "original", type="property_cert"),
            mat(
                "契税完税凭证",
                "electronic",
                shared="国家税务总局临夏回族自治州税务局（税费信息共享）",
            ),
            mat(
                "卖方婚姻状况证明",
                "original",
                type="marriage_cert",
                when="卖方已婚的，提供结婚证；配偶须到场或出具书面同意意见",
            ),
            AGENT,
        ),
        steps=(
            accept(0, "申请材料和税费信息"),
            step("审核", "查验权属、查封和抵押状况，核对网签合同。", 1),
            step("登簿", "记载于不动产登记簿。", 1),
            step("缮证", "缮制不动产权证书，同步生成电子证照。", 1),
        ),
        statutory_days=30,
        promised_days=3,
        visits=1,
        online_depth="online_apply",
        result="不动产权证书",
        fees="《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）：住宅每件80元；非住宅每件550元。",
        faq=(
            faq(
                "二手房过户要跑几个窗口？",
                "不动产登记、税费缴纳在不动产登记综合窗口“一窗受理、并行办理”，只需到场一次。",
            ),
            faq(
                "用公积金贷款买房怎么办？",
                "可以选择“我要买房”一件事，不动产登记、契税缴纳和公积金贷款一次申请。",
            ),
            faq("办完后证书可以邮寄吗？", "可以，受理时选择免费邮寄，证书送达到家。"),
        ),
        form_fields=PERSON
        + (
            fld("property_address", "不动产坐落"),
            fld("property_cert_number", "原不动产权证书号"),
            fld("price", "成交价格（元）", "number"),
        ),
    ),
    MatterData(
        key="property_mortgage",
        name="不动产抵押登记（首次登记）",
        line="natural_resources",
        kind="confirmation",
        level=C,
        domain="不动产",
        keywords="抵押登记 房贷 按揭 贷款抵押",
        legal_basis="《中华人民共和国民法典》第四百零二条；《不动产登记暂行条例》第二十条；《不动产登记暂行条例实施细则》第六十五条",
        conditions="抵押人对抵押的不动产享有处分权；抵押当事人已签订书面抵押合同或主债权合同中载明抵押条款。",
        materials=(
            mat("不动产登记申请书", "original"),
            mat("抵押人居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"),
            mat("不动产权证书", "original", type="property_cert"),
            mat(
                "主债权合同和抵押合同",
                "original",
                note="银行已接入不动产登记“互联网+抵押登记”系统的，由银行在线推送。",
            ),
        ),
        steps=(
            accept(),
            step("审核", "查验权属状况和抵押合同。", 1),
            step("登簿", "记载于不动产登记簿，向抵押权人核发不动产登记证明。", 0),
        ),
        statutory_days=30,
        promised_days=1,
        visits=0,
        online_depth="full_online",
        result="不动产登记证明（抵押权）",
        fees="《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）：住宅每件80元，由抵押权人缴纳；小微企业和个体工商户申请抵押登记的免收登记费。",
        faq=(
            faq(
                "办抵押登记需要去不动产登记中心吗？",
                "不需要。与已接入系统的银行签订贷款合同后，银行网点即可代为申请。",
            ),
            faq("抵押登记费谁交？", "由抵押权人（银行）缴纳，购房人不承担。"),
        ),
        form_fields=PERSON
        + (
            fld("property_address", "不动产坐落"),
            fld("loan_amount", "被担保主债权数额（元）", "number"),
        ),
    ),
    MatterData(
        key="property_query",
        name="不动产登记资料查询",
        line="natural_resources",
        kind="public_service",
        level=C,
        domain="不动产",
        keywords="查房产 房产查询 无房证明 查档 不动产查询",
        legal_basis="《不动产登记暂行条例》第二十七条；《不动产登记资料查询暂行办法》（国土资源部令第80号）",
        conditions="权利人查询本人名下不动产登记资料；利害关系人查询与其有利害关系的不动产自然状况和权利状况。",
        materials=(
            mat("不动产登记资料查询申请表", "original", note="窗口现场打印。"),
            mat("查询人居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"),
            mat(
                "存在利害关系的证明",
                "copy",
                when="利害关系人查询的",
                note="如买卖合同、法院受理通知书。",
            ),
        ),
        steps=(
            accept(),
            decide("当场出具查询结果。", 0),
        ),
        statutory_days=1,
        promised_days=0,
        visits=0,
        online_depth="full_online",
        result="不动产登记资料查询结果证明",
        faq=(
            faq(
                "可以在手机上查本人名下的房产吗？",
                "可以，通过“甘快办”APP实名认证后在线查询并下载查询结果证明。",
            ),
            faq("查询收费吗？", "不收费。"),
        ),
        form_fields=PERSON + (fld("query_purpose", "查询目的"),),
    ),
    MatterData(
        key="land_dispute",
        name="土地权属争议调处",
        line="natural_resources",
        kind="adjudication",
        level=C,
        domain="不动产",
        keywords="土地纠纷 地界纠纷 土地争议 宅基地纠纷",
        legal_basis="《中华人民共和国土地管理法》第十四条；《土地权属争议调查处理办法》（国土资源部令第17号）",
        conditions="申请人与争议的土地有直接利害关系；有明确的请求处理对象、具体的处理请求和事实根据；争议的土地在本县（市）行政区域内。",
        materials=(
            mat("土地权属争议调处申请书", "original", 2, note="按对方当事人人数提交副本。"),
            mat("申请人居民身份证", "copy", type="id_card"),
            mat(
                "土地权属来源证明",
                "copy",
                note="土地承包合同、宅基地批准文件或不动产权证书中申请人持有的一项。",
            ),
        ),
        steps=(
            accept(5),
            step("调查", "调查取证、现场勘测，组织当事人调解。", 30),
            decide("调解不成的，提出调查处理意见报县（市）人民政府作出处理决定。", 20),
            deliver(),
        ),
        statutory_days=180,
        promised_days=60,
        limit_unit="natural",
        visits=2,
        online_depth="info",
        result="土地权属争议调解书或处理决定书",
        faq=(
            faq(
                "土地权属争议可以直接起诉吗？",
                "不可以。土地所有权和使用权争议应当先由人民政府处理，对处理决定不服的，可以自接到处理决定通知之日起30日内向人民法院起诉。",
            ),
            faq("调处收费吗？", "不收费。"),
        ),
        form_fields=PERSON
        + (fld("land_location", "争议土地位置"), fld("claims", "处理请求", "textarea")),
    ),
    MatterData(
        key="land_preexam",
        name="建设项目用地预审与选址意见书核发",
        line="natural_resources",
        kind="licensing",
        level=P,
        domain="投资建设",
        keywords="用地预审 选址意见书 项目用地",
        legal_basis="《中华人民共和国土地管理法》第五十二条；《中华人民共和国城乡规划法》第三十六条；《建设项目用地预审管理办法》（国土资源部令第68号）",
        conditions="以划拨方式提供国有土地使用权的建设项目；符合国土空间规划和用途管制要求；符合节约集约用地要求。",
        materials=(
            mat("建设项目用地预审与选址申请表", "original"),
            mat("建设项目用地预审与选址申请报告", "original"),
            mat("项目建议书批复文件或项目可行性研究报告", "copy"),
            mat("建设项目用地界址图", "electronic"),
        ),
        steps=(
            accept(),
            review("审查规划符合性、用地规模和节约集约用地情况。", 5),
            decide("核发建设项目用地预审与选址意见书。", 2),
            deliver(),
        ),
        statutory_days=20,
        promised_days=7,
        visits=1,
        online_depth="online_apply",
        result="建设项目用地预审与选址意见书",
        faq=(
            faq(
                "用地预审和选址意见书还要分开办吗？",
                "不需要，两项已合并为一项，一次申请，核发一本证书。",
            ),
            faq("有效期多长？", "有效期为3年，自批准之日起计算。"),
        ),
        form_fields=ENTERPRISE
        + (fld("project_name", "项目名称"), fld("land_area", "拟用地面积（公顷）", "number")),
        for_persons=False,
        for_enterprises=True,
    ),
    MatterData(
        key="rural_planning",
        name="乡村建设规划许可证核发（农村村民住宅）",
        line="natural_resources",
        kind="licensing",
        level=T,
        domain="农村建房",
        keywords="农村盖房 建房 宅基地建房 规划许可 翻建房子",
        legal_basis="《中华人民共和国城乡规划法》第四十一条；《中华人民共和国土地管理法》第六十二条；《甘肃省城乡规划条例》",
        conditions="在乡、村庄规划区内使用原有宅基地或经批准的新宅基地建设住宅；建设方案符合村庄规划和农房建设风貌要求。",
        materials=(
            mat(
                "农村宅基地和建房（规划许可）申请表",
                "original",
                note="与宅基地申请使用同一张表，一表申请。",
            ),
            mat("申请人居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"),
            mat("申请人居民户口簿", "original", type="household_register"),
            mat("农房建设设计图或选用的通用图集编号", "copy"),
        ),
        steps=(
            accept(),
            step("现场踏勘", "乡镇组织自然资源所、农业综合服务中心和村干部到现场核实。", 5),
            decide("核发乡村建设规划许可证。", 2),
            deliver(),
        ),
        statutory_days=20,
        promised_days=7,
        visits=1,
        online_depth="pre_review",
        result="乡村建设规划许可证",
        faq=(
            faq(
                "宅基地审批和规划许可要分别跑吗？",
                "不需要，在乡镇便民服务中心一个窗口一表申请，同步办理。",
            ),
            faq(
                "房子盖好后还需要验收吗？",
                "需要，竣工后向乡镇申请验收，验收合格后可申请不动产登记。",
            ),
        ),
        form_fields=PERSON
        + (fld("house_location", "建房地址"), fld("house_area", "建筑面积（平方米）", "number")),
    ),
    # ===== 住房和城乡建设 =======================================================================
    MatterData(
        key="construction_permit",
        name="建筑工程施工许可证核发",
        line="housing",
        kind="licensing",
        level=C,
        domain="投资建设",
        keywords="施工许可证 开工 建筑施工许可 盖楼",
        legal_basis="《中华人民共和国建筑法》第七条、第八条；《建筑工程施工许可管理办法》（住房和城乡建设部令第18号，2021年修正）",
        conditions="已办理建筑工程用地批准手续；已取得建设工程规划许可证；已确定施工企业；有满足施工需要的资金安排、施工图纸及技术资料；"
        "有保证工程质量和安全的具体措施。",
        materials=(
            mat("建筑工程施工许可证申请表", "original"),
            mat("建设工程规划许可证", "copy", shared="临夏州自然资源局（规划许可信息）"),
            mat("中标通知书或直接发包批准文件", "copy"),
            mat("施工合同", "copy"),
            mat("建设资金已落实承诺书", "original"),
            mat("施工图设计文件审查合格书", "electronic", shared="甘肃省施工图联合审查系统"),
        ),
        steps=(
            accept(),
            review("审查用地、规划、施工企业和施工图审查信息。", 1),
            decide("核发建筑工程施工许可证（电子证照）。", 1),
        ),
        statutory_days=7,
        promised_days=2,
        visits=0,
        online_depth="full_online",
        result="建筑工程施工许可证",
        faq=(
            faq(
                "哪些工程不需要办理施工许可证？",
                "工程投资额在30万元以下或者建筑面积在300平方米以下的建筑工程，可以不申请办理施工许可证。",
            ),
            faq(
                "施工许可证有电子证照吗？",
                "有，电子证照与纸质证书具有同等效力，可在甘肃政务服务网下载。",
            ),
        ),
        form_fields=ENTERPRISE
        + (fld("project_name", "工程名称"), fld("project_address", "建设地址")),
        for_persons=False,
        for_enterprises=True,
    ),
    MatterData(
        key="presale_permit",
        name="商品房预售许可",
        line="housing",
        kind="licensing",
        level=C,
        domain="房地产",
        keywords="预售许可证 预售证 期房 卖楼",
        legal_basis="《中华人民共和国城市房地产管理法》第四十五条；《城市房地产开发经营管理条例》第二十三条；《城市商品房预售管理办法》",
        conditions="已交付全部土地使用权出让金，取得土地使用权证书；持有建设工程规划许可证和施工许可证；"
        "按提供预售的商品房计算，投入开发建设的资金达到工程建设总投资的25%以上，并已经确定施工进度和竣工交付日期。",
        materials=(
            mat("商品房预售许可申请表", "original"),
            mat("房地产开发企业营业执照和资质证书", "copy", type="business_licence"),
            mat(
                "土地使用权证书",
                "copy",
                type="property_cert",
                shared="临夏州自然资源局（不动产登记信息）",
            ),
            mat("建设工程规划许可证和施工许可证", "copy"),
            mat("工程施工合同及投入开发建设资金达到25%以上的证明", "copy"),
            mat("商品房预售方案", "original"),
        ),
        steps=(
            accept(),
            step("现场查勘", "查勘工程形象进度。", 2),
            decide("核发商品房预售许可证。", 1),
            deliver(),
        ),
        statutory_days=10,
        promised_days=3,
        visits=1,
        online_depth="online_apply",
        result="商品房预售许可证",
        faq=(
            faq("预售资金怎么监管？", "预售资金全部存入监管账户，按工程进度拨付，保障购房人权益。"),
            faq("可以分期申请预售许可吗？", "可以，按栋申请，每栋须达到预售条件。"),
        ),
        form_fields=ENTERPRISE + (fld("project_name", "项目名称"),),
        for_persons=False,
        for_enterprises=True,
    ),
    MatterData(
        key="drainage_permit",
        name="城镇污水排入排水管网许可",
        line="housing",
        kind="licensing",
        level=C,
        domain="市政公用",
        keywords="排水许可 污水排放 开饭店排水 餐饮排水 洗车店",
        legal_basis="《城镇排水与污水处理条例》第二十一条；《城镇污水排入排水管网许可管理办法》（住房和城乡建设部令第21号）",
        conditions="排水户从事餐饮、洗车、洗浴、美容美发、汽车修理经营，向城镇排水设施排放污水；"
        "排水接管位置符合县（市）城镇排水专项规划，已设置隔油池、沉淀池预处理设施和检测井。",
        materials=(
            mat("城镇污水排入排水管网许可申请表", "original"),
            mat(
                "营业执照",
                "copy",
                type="business_licence",
                shared="临夏州市场监督管理局（市场主体登记系统）",
            ),
            mat("经营者居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"),
            mat(
                "排水户内部排水管网、预处理设施和接入位置示意图",
                "original",
                pledge=True,
                note="餐饮、洗车个体工商户可书面承诺替代，现场核查时补看。",
            ),
        ),
        steps=(
            accept(),
            step("现场核查", "核查隔油池、沉淀池预处理设施和接管位置。", 2),
            decide("核发城镇污水排入排水管网许可证。", 1),
        ),
        statutory_days=15,
        promised_days=3,
        visits=0,
        online_depth="full_online",
        result="城镇污水排入排水管网许可证",
        faq=(
            faq(
                "开饭馆必须办排水许可吗？",
                "餐饮经营向城镇排水管网排放污水的，应当办理；可通过“我要开饭店”一件事一并申请。",
            ),
            faq("许可证有效期多长？", "有效期为5年。"),
        ),
        form_fields=ENTERPRISE + (fld("business_address", "经营场所"),),
        for_enterprises=True,
    ),
    MatterData(
        key="signboard",
        name="户外招牌设置审批",
        line="housing",
        kind="licensing",
        level=C,
        domain="市政公用",
        keywords="招牌 门头 牌匾 店招 广告牌",
        legal_basis="《城市市容和环境卫生管理条例》第十一条；《甘肃省城市市容和环境卫生管理办法》",
        conditions="在城市建成区临街建筑物外立面设置店铺招牌；招牌位置、尺寸和样式符合县（市）城市户外招牌设置导则。",
        materials=(
            mat("户外招牌设置申请表", "original"),
            mat(
                "营业执照",
                "copy",
                type="business_licence",
                shared="临夏州市场监督管理局（市场主体登记系统）",
            ),
            mat("经营者居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"),
            mat("招牌设计效果图", "original", note="标明尺寸、材质和安装位置。"),
        ),
        steps=(
            accept(),
            decide("对照设置导则审查效果图，符合的当场批准。", 1),
        ),
        statutory_days=20,
        promised_days=1,
        visits=0,
        online_depth="full_online",
        result="户外招牌设置审批意见书",
        faq=(
            faq(
                "招牌样式有统一要求吗？",
                "有，县（市）城市户外招牌设置导则规定了各街区的尺寸和样式，窗口提供导则文本和效果图示例。",
            ),
            faq(
                "更换招牌内容需要重新审批吗？", "仅更换招牌文字、尺寸和位置不变的，不需要重新审批。"
            ),
        ),
        form_fields=ENTERPRISE + (fld("business_address", "经营场所"),),
        for_enterprises=True,
    ),
    MatterData(
        key="fire_acceptance",
        name="建设工程消防验收",
        line="housing",
        kind="licensing",
        level=C,
        domain="投资建设",
        keywords="消防验收 消防 竣工验收",
        legal_basis="《中华人民共和国消防法》第十三条；《建设工程消防设计审查验收管理暂行规定》（住房和城乡建设部令第58号）",
        conditions="特殊建设工程竣工验收合格；已完成工程竣工验收消防查验；有符合要求的消防设施检测报告。",
        materials=(
            mat("特殊建设工程消防验收申请表", "original"),
            mat("工程竣工验收报告", "copy"),
            mat("涉及消防的建设工程竣工图纸", "electronic"),
        ),
        steps=(
            accept(),
            step("现场评定", "组织现场抽样检查和功能测试。", 4),
            decide("出具消防验收意见。", 2),
            deliver(),
        ),
        statutory_days=15,
        promised_days=6,
        visits=1,
        online_depth="online_apply",
        result="特殊建设工程消防验收意见书",
        faq=(
            faq(
                "哪些工程需要消防验收？",
                "《建设工程消防设计审查验收管理暂行规定》第十四条列明的特殊建设工程，其余工程实行竣工验收备案抽查。",
            ),
            faq("消防验收收费吗？", "不收费。"),
        ),
        form_fields=ENTERPRISE + (fld("project_name", "工程名称"),),
        for_persons=False,
        for_enterprises=True,
    ),
    MatterData(
        key="public_rental",
        name="公共租赁住房保障资格申请",
        line="housing",
        kind="payment",
        level=C,
        domain="住房保障",
        keywords="公租房 廉租房 租房补贴 保障房",
        legal_basis="《公共租赁住房管理办法》（住房和城乡建设部令第11号）；《甘肃省公共租赁住房管理办法》",
        conditions="在本县（市）城镇有户籍或稳定就业；家庭人均收入和财产低于县（市）人民政府公布的标准；本人及共同申请人在本县（市）城镇无自有住房。",
        materials=(
            mat("公共租赁住房申请表", "original"),
            mat("申请人及共同申请人居民身份证", "copy", type="id_card"),
            mat("申请人居民户口簿", "copy", type="household_register"),
            mat(
                "家庭收入和财产状况承诺书",
                "original",
                pledge=True,
                note="授权核对机构查询家庭经济状况。",
            ),
            mat(
                "婚姻状况证明",
                "copy",
                type="marriage_cert",
                when="申请人已婚的",
                shared="临夏州民政局（婚姻登记信息系统）",
            ),
        ),
        steps=(
            accept(),
            step(
                "核对",
                "社区（乡镇）初审，民政、不动产登记、车辆管理、公积金、市场主体登记信息联网核对。",
                10,
            ),
            step("公示", "在县（市）住房和城乡建设局门户网站和申请人所在社区公示5个工作日。", 5),
            decide("公示无异议的，纳入公共租赁住房保障轮候名册。", 2),
        ),
        statutory_days=45,
        promised_days=17,
        visits=1,
        online_depth="online_apply",
        result="公共租赁住房保障资格确认通知书",
        faq=(
            faq(
                "外地来临夏打工的能申请吗？",
                "在本县（市）城镇稳定就业并连续缴纳社会保险满6个月的外来务工人员可以申请。",
            ),
            faq(
                "资格确认后多久能分到房？",
                "按轮候名册顺序配租，配租结果在县（市）住房和城乡建设局网站公布。",
            ),
        ),
        form_fields=PERSON
        + (
            fld("family_size", "家庭人口", "number"),
            fld("family_income", "家庭上年人均月收入（元）", "number"),
        ),
    ),
    MatterData(
        key="developer_qualification",
        name="房地产开发企业二级资质核定",
        line="housing",
        kind="licensing",
        level=P,
        domain="房地产",
        keywords="房地产资质 开发资质 房地产开发",
        legal_basis="《中华人民共和国城市房地产管理法》第三十条；《城市房地产开发经营管理条例》第九条；《房地产开发企业资质管理规定》（住房和城乡建设部令第54号）",
        conditions="从事房地产开发经营3年以上；近3年房屋建筑面积累计竣工5万平方米以上，质量合格；"
        "有职称的建筑、结构、财务、房地产及经济类专业管理人员不少于5人。",
        materials=(
            mat("房地产开发企业资质申请表", "original"),
            mat(
                "营业执照",
                "copy",
                type="business_licence",
                shared="临夏州市场监督管理局（市场主体登记系统）",
            ),
            mat("近3年房地产开发项目竣工验收合格证明", "copy"),
            mat("专业管理人员职称证书和劳动合同", "copy"),
        ),
        steps=(
            accept(),
            review("审查企业业绩和专业管理人员情况。", 5),
            decide("核定资质等级，核发资质证书。", 2),
            deliver(),
        ),
        statutory_days=20,
        promised_days=7,
        visits=0,
        online_depth="full_online",
        result="房地产开发企业资质证书（二级）",
        faq=(
            faq("资质证书有效期多长？", "有效期为3年。"),
            faq(
                "新设立的企业怎么办？",
                "新设立的房地产开发企业申请暂定资质，由县（市）住房和城乡建设局核定。",
            ),
        ),
        form_fields=ENTERPRISE,
        for_persons=False,
        for_enterprises=True,
    ),
    # ===== 交通运输 ============================================================================
    MatterData(
        key="freight_licence",
        name="道路货物运输经营许可",
        line="transport",
        kind="licensing",
        level=C,
        domain="交通运输",
        keywords="货运 跑运输 货车营运证 道路运输许可证",
        legal_basis="《中华人民共和国道路运输条例》第二十一条、第二十四条；《道路货物运输及站场管理规定》（交通运输部令2023年第12号）",
        conditions="有与其经营业务相适应并经检测合格的车辆；有符合规定条件的驾驶人员；有健全的安全生产管理制度。"
        "使用总质量4500千克及以下普通货运车辆从事普通货运经营的，无需申请。",
        materials=(
            mat("道路货物运输经营申请表", "original"),
            mat("经办人居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"),
            mat("机动车行驶证", "copy", shared="临夏州公安局（车辆信息共享）"),
            mat("拟聘用驾驶员的机动车驾驶证和从业资格证", "copy"),
            mat("安全生产管理制度文本", "original", pledge=True),
        ),
        steps=(
            accept(),
            review("审查车辆、驾驶员和安全生产管理制度。", 3),
            decide("核发道路运输经营许可证和车辆道路运输证。", 2),
        ),
        statutory_days=20,
        promised_days=5,
        visits=1,
        online_depth="online_apply",
        result="道路运输经营许可证、道路运输证",
        faq=(
            faq(
                "4.5吨以下的小货车需要办证吗？",
                "不需要。总质量4500千克及以下普通货运车辆从事普通货运经营的，无需办理道路运输经营许可证和道路运输证。",
            ),
            faq("可以在网上办理吗？", "可以，通过甘肃政务服务网申报，到场一次领证。"),
        ),
        form_fields=ENTERPRISE + (fld("vehicle_count", "车辆数（辆）", "number"),),
        for_enterprises=True,
    ),
    MatterData(
        key="taxi_driver",
        name="巡游出租汽车驾驶员从业资格证核发",
        line="transport",
        kind="licensing",
        level=P,
        domain="交通运输",
        keywords="出租车司机 开出租 网约车司机 从业资格证",
        legal_basis="《中华人民共和国道路运输条例》；《出租汽车驾驶员从业资格管理规定》（交通运输部令2021年第15号）",
        conditions="取得相应准驾车型机动车驾驶证并具有3年以上驾驶经历；无交通肇事犯罪、危险驾驶犯罪记录，无吸毒记录，"
        "无饮酒后驾驶记录，最近连续3个记分周期内没有记满12分记录；无暴力犯罪记录；考试合格。",
        materials=(
            mat("出租汽车驾驶员从业资格证申请表", "original"),
            mat("申请人居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"),
            mat("机动车驾驶证", "copy", shared="临夏州公安局（驾驶人信息共享）"),
            mat("无犯罪记录证明", "electronic", shared="临夏州公安局（无犯罪记录信息共享）"),
        ),
        steps=(
            accept(),
            step("考试", "参加全国公共科目和区域科目考试。", 0),
            decide("考试合格的，核发从业资格证。", 5),
        ),
        statutory_days=20,
        promised_days=5,
        visits=1,
        online_depth="online_apply",
        result="出租汽车驾驶员从业资格证",
        faq=(
            faq(
                "考试考什么？",
                "全国公共科目和临夏州区域科目，区域科目包括本地道路、地名和服务规范。",
            ),
            faq("需要开具无犯罪记录证明吗？", "不需要，窗口通过公安信息共享核查。"),
        ),
        form_fields=PERSON + (fld("licence_number", "驾驶证档案编号"),),
    ),
    MatterData(
        key="oversize_transport",
        name="公路超限运输许可",
        line="transport",
        kind="licensing",
        level=P,
        domain="交通运输",
        keywords="超限运输 大件运输 超重 超宽",
        legal_basis="《中华人民共和国公路法》第五十条；《公路安全保护条例》第三十五条；《超限运输车辆行驶公路管理规定》（交通运输部令2021年第12号）",
        conditions="运输不可解体物品确需超限行驶公路；车辆和驾驶人员具备运输资质；通行路线经评估满足承载条件。",
        materials=(
            mat("公路超限运输申请表", "original"),
            mat("经办人居民身份证", "copy", type="id_card"),
            mat("承运人道路运输经营许可证", "copy", shared="临夏州交通运输局（道路运政系统）"),
            mat("货物的重量、外廓尺寸证明", "copy"),
        ),
        steps=(
            accept(),
            review("审查通行路线和车货总体参数。", 1),
            decide("签发超限运输车辆通行证。", 1),
        ),
        statutory_days=5,
        promised_days=2,
        visits=0,
        online_depth="full_online",
        result="超限运输车辆通行证",
        faq=(
            faq(
                "可以在网上申请吗？",
                "可以，通过全国互联网道路运输便民政务服务系统“一地办证、全线通行”。",
            ),
            faq("通行证收费吗？", "不收费。"),
        ),
        form_fields=ENTERPRISE + (fld("route", "通行路线"),),
        for_persons=False,
        for_enterprises=True,
    ),
    # ===== 卫生健康 ============================================================================
    MatterData(
        key="birth_certificate",
        name="出生医学证明签发",
        line="health",
        kind="public_service",
        level=C,
        domain="卫生健康",
        keywords="出生证 出生证明 生孩子 新生儿",
        legal_basis="《中华人民共和国母婴保健法》第二十三条；《中华人民共和国母婴保健法实施办法》第二十四条",
        conditions="在本县（市）依法取得助产技术服务资质的医疗机构内出生的新生儿；在医疗机构外出生的，经县级妇幼保健机构核实出生事实。",
        materials=(
            mat(
                "出生医学证明首次签发登记表", "original", note="由助产医疗机构填写，父母核对签字。"
            ),
            mat(
                "父亲、母亲的居民身份证",
                "original",
                type="id_card",
                note="窗口核验后当场退还原件。",
            ),
            mat("亲子鉴定证明", "original", when="在医疗机构外出生、无法提供出生事实证明的"),
        ),
        steps=(
            accept(),
            decide("签发出生医学证明，同步生成电子出生医学证明。", 0),
        ),
        statutory_days=1,
        promised_days=0,
        visits=0,
        online_depth="full_online",
        result="出生医学证明",
        faq=(
            faq(
                "出生医学证明在哪里领？",
                "在孩子出生的助产医疗机构领取；参加“新生儿出生一件事”的，电子出生医学证明自动推送公安、医保和人社部门。",
            ),
            faq("名字写错了怎么办？", "在出生医学证明签发机构申请换发。"),
        ),
        form_fields=PERSON
        + (fld("child_name", "新生儿姓名"), fld("child_birth_date", "出生日期", "date")),
    ),
    MatterData(
        key="clinic_filing",
        name="诊所备案",
        line="health",
        kind="other_power",
        level=C,
        domain="卫生健康",
        keywords="开诊所 诊所 私人诊所 中医诊所",
        legal_basis="《医疗机构管理条例》第十五条；《医疗机构管理条例实施细则》；《诊所备案管理暂行办法》（国卫医政发〔2022〕33号）",
        conditions="主要负责人取得医师执业证书，经注册后在医疗机构中执业满五年；有与开展诊疗科目相适应的场所、设备和人员。",
        materials=(
            mat("诊所备案信息表", "original"),
            mat("诊所主要负责人医师执业证书", "copy"),
            mat("诊所房屋平面布局图", "original"),
            mat("诊所用房产权证明或使用证明", "copy", type="site_proof", pledge=True),
            mat("医疗废物处置协议", "copy"),
        ),
        steps=(
            accept(),
            decide("材料齐全的当场备案，发放诊所备案凭证。", 0),
        ),
        statutory_days=1,
        promised_days=0,
        visits=1,
        online_depth="online_apply",
        result="诊所备案凭证",
        faq=(
            faq("开诊所还需要先审批吗？", "不需要，诊所实行备案管理，材料齐全的当场备案。"),
            faq("备案后多久会检查？", "县卫生健康局在备案后30日内进行现场核查。"),
        ),
        form_fields=PERSON
        + (fld("business_address", "诊所地址"), fld("clinic_subjects", "诊疗科目")),
    ),
    MatterData(
        key="hygiene_licence",
        name="公共场所卫生许可",
        line="health",
        kind="licensing",
        level=C,
        domain="卫生健康",
        keywords="卫生许可证 宾馆 酒店 理发店 美容店 澡堂 游泳馆",
        legal_basis="《公共场所卫生管理条例》第八条；《公共场所卫生管理条例实施细则》第二十二条",
        conditions="经营宾馆、旅店、公共浴室、游泳场（馆）的场所；卫生设施设备和布局符合《公共场所卫生管理条例实施细则》要求；从业人员取得健康合格证明。",
        materials=(
            mat("公共场所卫生许可申请表", "original"),
            mat(
                "营业执照",
                "copy",
                type="business_licence",
                shared="临夏州市场监督管理局（市场主体登记系统）",
            ),
            mat(
                "法定代表人或负责人居民身份证",
                "original",
                type="id_card",
                note="窗口核验后当场退还原件。",
            ),
            mat("公共场所地址方位示意图、平面图和卫生设施平面布局图", "original"),
            mat("公共场所卫生检测或评价报告", "copy", pledge=True),
        ),
        steps=(
            accept(),
            step("现场审查", "现场审查卫生设施、布局和卫生管理制度。", 3),
            decide("核发公共场所卫生许可证。", 1),
        ),
        statutory_days=20,
        promised_days=4,
        visits=1,
        online_depth="online_apply",
        result="公共场所卫生许可证",
        faq=(
            faq("理发店还要办卫生许可证吗？", "不需要。美容美发场所已取消卫生许可，改为备案管理。"),
            faq("卫生许可证有效期多长？", "有效期为4年。"),
        ),
        form_fields=ENTERPRISE + (fld("business_address", "经营场所"),),
        for_enterprises=True,
    ),
    MatterData(
        key="family_planning_support",
        name="计划生育家庭特别扶助金申领",
        line="health",
        kind="payment",
        level=C,
        domain="卫生健康",
        keywords="特别扶助 失独 独生子女伤残 计生扶助",
        legal_basis="《中华人民共和国人口与计划生育法》第三十一条；《甘肃省人口与计划生育条例》",
        conditions="女方年满49周岁；只生育一个子女或合法收养一个子女；现无存活子女或独生子女被依法鉴定为残疾（伤病残达到三级以上）。",
        materials=(
            mat("计划生育家庭特别扶助对象申请表", "original"),
            mat("夫妻双方居民身份证", "copy", type="id_card"),
            mat("居民户口簿", "copy", type="household_register"),
            mat(
                "子女死亡证明", "copy", when="独生子女死亡的", shared="临夏州公安局（户籍注销信息）"
            ),
            mat("子女残疾人证", "copy", when="独生子女伤残的"),
        ),
        steps=(
            accept(),
            step("审核", "乡镇初审并在村（社区）公示7日，县卫生健康局审核。", 10),
            decide("确认扶助资格，按年发放扶助金。", 5),
        ),
        statutory_days=40,
        promised_days=15,
        visits=1,
        online_depth="pre_review",
        result="计划生育家庭特别扶助金",
        faq=(
            faq("扶助金标准是多少？", "按甘肃省公布的标准按年发放至本人社会保障卡金融账户。"),
            faq("申请有时间要求吗？", "每年集中申报一次，符合条件的次年起享受。"),
        ),
        form_fields=PERSON + (BANK,),
    ),
    MatterData(
        key="birth_filing",
        name="生育登记",
        line="health",
        kind="public_service",
        level=T,
        domain="卫生健康",
        keywords="生育登记 准生证 生育服务证 怀孕 生孩子",
        legal_basis="《中华人民共和国人口与计划生育法》；《甘肃省人口与计划生育条例》",
        conditions="夫妻生育子女的，在孩子出生前或出生后向一方户籍地或现居住地登记；生育登记不设前置条件。",
        materials=(
            mat("夫妻双方居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"),
            mat(
                "结婚证",
                "original",
                type="marriage_cert",
                shared="临夏州民政局（婚姻登记信息系统）",
                note="婚姻登记信息可共享获取，无需另交。",
            ),
        ),
        steps=(
            accept(),
            decide("当场登记，发放生育服务登记凭证。", 0),
        ),
        statutory_days=1,
        promised_days=0,
        visits=0,
        online_depth="full_online",
        result="生育服务登记凭证",
        faq=(
            faq("生育登记有什么用？", "用于享受孕产期保健服务和生育保险待遇。"),
            faq(
                "必须在户籍地登记吗？",
                "不必，可在夫妻一方户籍地或现居住地登记，也可通过“甘快办”APP登记。",
            ),
        ),
        form_fields=PERSON + (fld("spouse_name", "配偶姓名"),),
    ),
    MatterData(
        key="physician_registration",
        name="医师执业注册",
        line="health",
        kind="licensing",
        level=P,
        domain="卫生健康",
        keywords="医师注册 执业医师 医生注册",
        legal_basis="《中华人民共和国医师法》第十三条、第十四条；《医师执业注册管理办法》（国家卫生和计划生育委员会令第13号）",
        conditions="取得医师资格；拟执业的医疗机构同意聘用；身体条件能够胜任医师执业。",
        materials=(
            mat("医师执业注册申请审核表", "original"),
            mat("医师资格证书", "copy"),
            mat("近6个月内的健康体检证明", "original"),
            mat("拟执业医疗机构的聘用证明", "original"),
        ),
        steps=(
            accept(),
            review("审核医师资格和执业机构信息。", 5),
            decide("准予注册，核发医师执业证书。", 2),
        ),
        statutory_days=20,
        promised_days=7,
        visits=0,
        online_depth="full_online",
        result="医师执业证书",
        faq=(
            faq(
                "变更执业地点需要重新注册吗？",
                "在甘肃省内变更执业机构的，申请变更注册即可，可全程网办。",
            ),
            faq("注册收费吗？", "不收费。"),
        ),
        form_fields=PERSON + (fld("enterprise_name", "拟执业医疗机构"),),
    ),
    # ===== 民政 ================================================================================
    MatterData(
        key="marriage",
        name="内地居民结婚登记",
        line="civil_affairs",
        kind="confirmation",
        level=C,
        domain="婚姻家庭",
        keywords="结婚 领证 结婚证 登记结婚",
        legal_basis="《中华人民共和国民法典》第一千零四十九条；《婚姻登记条例》第四条至第七条",
        conditions="男女双方完全自愿；男年满22周岁，女年满20周岁；双方均无配偶；不属于直系血亲或三代以内旁系血亲。"
        "婚姻登记实行全国通办，双方可在一方常住户口所在地或经常居住地的婚姻登记机关办理。",
        materials=(
            mat("男女双方居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"),
            mat(
                "男女双方居民户口簿",
                "original",
                type="household_register",
                note="在经常居住地办理、未携带户口簿的，提供居民身份证即可。",
            ),
            mat(
                "双方近期半身免冠合影照片",
                "original",
                3,
                type="photo",
                note="婚姻登记处可现场免费拍摄。",
            ),
        ),
        steps=(
            accept(0, "当事人身份信息"),
            step("审查", "当事人双方亲自到场，填写《申请结婚登记声明书》并当面签字。", 0),
            decide("符合结婚条件的，当场予以登记，颁发结婚证。", 0),
        ),
        statutory_days=1,
        promised_days=0,
        visits=1,
        online_depth="online_apply",
        result="结婚证",
        faq=(
            faq(
                "结婚登记需要预约吗？",
                "可通过“甘快办”APP预约，也可现场办理；5月20日、七夕节等热门日期建议提前预约。",
            ),
            faq(
                "户口不在临夏可以在这里登记吗？",
                "可以。婚姻登记全国通办，双方任一方在临夏经常居住的即可办理。",
            ),
            faq("结婚登记收费吗？", "不收费，结婚证免费发放。"),
        ),
        form_fields=PERSON
        + (
            fld("spouse_name", "另一方姓名"),
            fld("spouse_id_number", "另一方公民身份号码", "id_number"),
        ),
    ),
    MatterData(
        key="marriage_reissue",
        name="补领婚姻登记证",
        line="civil_affairs",
        kind="confirmation",
        level=C,
        domain="婚姻家庭",
        keywords="结婚证丢了 补结婚证 离婚证丢了",
        legal_basis="《婚姻登记条例》第十七条",
        conditions="结婚证、离婚证遗失或者损毁的，当事人持户口簿、身份证向原办理婚姻登记的机关或者一方当事人常住户口所在地的婚姻登记机关申请补领。",
        materials=(
            mat("申请人居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"),
            mat("申请人居民户口簿", "original", type="household_register"),
            mat(
                "申请人近期半身免冠照片",
                "original",
                2,
                type="photo",
                note="婚姻登记处可现场免费拍摄。",
            ),
        ),
        steps=(
            accept(),
            decide("查询婚姻登记档案，确认后当场补发。", 0),
        ),
        statutory_days=1,
        promised_days=0,
        visits=1,
        online_depth="pre_review",
        result="结婚证或离婚证",
        faq=(
            faq("补领需要双方到场吗？", "补领结婚证可由一方申请，补发的结婚证为单方持有。"),
            faq(
                "在外省登记的能在临夏补吗？",
                "一方常住户口在临夏的可以补领，档案信息通过全国婚姻登记信息系统查询。",
            ),
        ),
        form_fields=PERSON,
    ),
    MatterData(
        key="dibao",
        name="最低生活保障审核确认",
        line="civil_affairs",
        kind="payment",
        level=C,
        domain="社会救助",
        keywords="低保 吃低保 困难补助 生活困难",
        legal_basis="《社会救助暂行办法》第十一条；《最低生活保障审核确认办法》（民发〔2021〕57号）；《甘肃省城乡最低生活保障办法》",
        conditions="共同生活的家庭成员人均收入低于当地最低生活保障标准，且家庭财产状况符合县（市）人民政府公布的规定标准；在户籍所在地申请。",
        materials=(
            mat(
                "最低生活保障申请书",
                "original",
                note="书写有困难的，由乡镇（街道）工作人员代为书写，申请人签字确认。",
            ),
            mat("申请人及家庭成员居民身份证", "copy", type="id_card"),
            mat("居民户口簿", "copy", type="household_register"),
            mat(
                "家庭经济状况核对授权书",
                "original",
                note="授权民政部门核对存款、车辆、不动产、工商登记和纳税信息。",
            ),
            mat("残疾人证", "copy", when="家庭成员中有残疾人的"),
        ),
        steps=(
            accept(),
            step("家庭经济状况调查", "乡镇（街道）入户调查，信息化核对家庭经济状况。", 10),
            step("公示", "在申请人所在村（社区）公示7天。", 5),
            decide("县（市）民政局审核确认，从批准次月起发放低保金。", 3),
        ),
        statutory_days=30,
        promised_days=12,
        visits=1,
        online_depth="pre_review",
        result="最低生活保障审核确认通知书",
        faq=(
            faq(
                "低保可以在乡镇申请吗？",
                "可以，在户籍所在地乡镇（街道）便民服务中心申请，也可通过“甘肃民政”小程序申请。",
            ),
            faq(
                "家里有车还能吃低保吗？",
                "按《甘肃省城乡最低生活保障办法》，家庭拥有的机动车辆超出县（市）人民政府公布标准的，不予认定。",
            ),
        ),
        form_fields=PERSON + (BANK, fld("family_size", "共同生活家庭人口", "number")),
    ),
    MatterData(
        key="elderly_allowance",
        name="高龄老人生活补贴申领",
        line="civil_affairs",
        kind="payment",
        level=C,
        domain="养老服务",
        keywords="高龄补贴 老人补贴 80岁补贴 养老补贴",
        legal_basis="《中华人民共和国老年人权益保障法》第三十三条；《甘肃省老年人权益保障条例》",
        conditions="具有本县（市）户籍，年满80周岁的老年人。",
        materials=(
            mat("申请人居民身份证", "copy", type="id_card"),
            mat("申请人社会保障卡", "copy", type="social_security_card"),
        ),
        steps=(
            accept(),
            review("核对户籍和年龄信息。", 3),
            decide("确认资格，次月起按月发放。", 2),
        ),
        statutory_days=20,
        promised_days=5,
        visits=0,
        online_depth="full_online",
        result="高龄老人生活补贴",
        faq=(
            faq("老人行动不便能代办吗？", "可以由家属或村（社区）代办员代为申请，无需老人到场。"),
            faq(
                "年满80岁后会自动发放吗？",
                "系统每月比对户籍信息，符合条件的老人由村（社区）告知确认后发放。",
            ),
        ),
        form_fields=PERSON + (BANK,),
    ),
    MatterData(
        key="disability_allowance",
        name="困难残疾人生活补贴和重度残疾人护理补贴申领",
        line="civil_affairs",
        kind="payment",
        level=T,
        domain="社会救助",
        keywords="残疾人补贴 两项补贴 护理补贴 残疾",
        legal_basis="《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）；《甘肃省困难残疾人生活补贴和重度残疾人护理补贴实施办法》",
        conditions="持有第二代中华人民共和国残疾人证；困难残疾人生活补贴对象为低保家庭中的残疾人；重度残疾人护理补贴对象为残疾等级被评定为一级、二级且需要长期照护的残疾人。",
        materials=(
            mat("残疾人两项补贴申请审批表", "original"),
            mat("申请人居民身份证", "copy", type="id_card"),
            mat("第二代中华人民共和国残疾人证", "copy"),
        ),
        steps=(
            accept(),
            step("初审", "乡镇（街道）初审并入户核实。", 5),
            decide("县（市）民政局审核确认，次月起按月发放。", 5),
        ),
        statutory_days=30,
        promised_days=10,
        visits=0,
        online_depth="full_online",
        result="残疾人两项补贴",
        faq=(
            faq(
                "可以全程网上申请吗？",
                "可以，通过全国残疾人两项补贴“跨省通办”平台或“甘快办”APP申请。",
            ),
            faq(
                "两项补贴可以同时领吗？",
                "符合条件的，可以同时享受困难残疾人生活补贴和重度残疾人护理补贴。",
            ),
        ),
        form_fields=PERSON + (BANK, fld("disability_cert_number", "残疾人证号")),
    ),
    MatterData(
        key="social_group",
        name="社会团体成立登记",
        line="civil_affairs",
        kind="licensing",
        level=P,
        domain="社会组织",
        keywords="成立协会 商会 学会 社会团体",
        legal_basis="《社会团体登记管理条例》第九条、第十条、第十二条",
        conditions="有50个以上的个人会员或者30个以上的单位会员；有规范的名称和相应的组织机构；有固定的住所；"
        "有与其业务活动相适应的专职工作人员；州级社会团体有3万元以上活动资金；有独立承担民事责任的能力。",
        materials=(
            mat("社会团体成立登记申请书", "original"),
            mat("业务主管单位的批准文件", "original"),
            mat("验资报告", "original"),
            mat("住所使用权证明", "copy", type="site_proof"),
            mat("章程草案", "original"),
            mat("发起人和拟任负责人的基本情况、居民身份证复印件", "copy", type="id_card"),
        ),
        steps=(
            accept(),
            review("审查章程、会员和负责人情况。", 10),
            step("公示", "在州民政局门户网站公示5个工作日。", 5),
            decide("准予登记的，发给社会团体法人登记证书。", 10),
            deliver(),
        ),
        statutory_days=60,
        promised_days=30,
        visits=1,
        online_depth="online_apply",
        result="社会团体法人登记证书",
        exception_reason="须由业务主管单位先行审查同意，并按甘肃省社会组织管理规定公示5个工作日；"
        "同时征求州公安局、州市场监督管理局对拟任负责人的意见（征求意见期15个工作日），法定程序期间合计20个工作日，承诺时限无法压缩至24个工作日以内。",
        faq=(
            faq(
                "所有社会团体都需要业务主管单位吗？",
                "行业协会商会、科技类、公益慈善类、城乡社区服务类社会组织可直接登记，无需业务主管单位。",
            ),
            faq("登记收费吗？", "不收费。"),
        ),
        form_fields=ENTERPRISE + (fld("member_count", "会员数", "number"),),
        for_persons=False,
        for_enterprises=True,
    ),
    MatterData(
        key="civil_affairs_reward",
        name="对在社会救助工作中作出显著成绩的单位和个人的表彰奖励",
        line="civil_affairs",
        kind="reward",
        level=P,
        domain="社会救助",
        keywords="表彰 奖励 社会救助先进",
        legal_basis="《社会救助暂行办法》第七条",
        conditions="在社会救助工作中作出显著成绩的单位和个人，由所在县（市）民政局推荐。",
        materials=(
            mat("表彰奖励推荐审批表", "original", 2),
            mat("先进事迹材料", "original", note="不超过3000字，写明工作成效和具体事例。"),
        ),
        steps=(
            accept(),
            review("审核推荐对象事迹。", 10),
            step("公示", "在州民政局门户网站公示7个工作日。", 7),
            decide("报州人民政府批准后表彰。", 5),
        ),
        statutory_days=60,
        promised_days=22,
        visits=0,
        online_depth="pre_review",
        result="表彰决定及荣誉证书",
        faq=(
            faq("个人可以自荐吗？", "不可以，由县（市）民政局推荐。"),
            faq("多久评选一次？", "每两年评选一次。"),
        ),
        form_fields=PERSON,
    ),
    # ===== 教育 ================================================================================
    MatterData(
        key="private_kindergarten",
        name="民办幼儿园办学许可",
        line="education",
        kind="licensing",
        level=C,
        domain="教育",
        keywords="开幼儿园 办幼儿园 民办学校 办学许可证",
        legal_basis="《中华人民共和国民办教育促进法》第十二条、第十七条；《中华人民共和国民办教育促进法实施条例》；《甘肃省幼儿园管理办法》",
        conditions="有符合《甘肃省幼儿园管理办法》标准的园舍、户外活动场地和设施设备；有取得幼儿园教师资格的专任教师和保育员；"
        "有与办园规模相适应的办学资金；园址避开污染源和安全隐患。",
        materials=(
            mat("民办幼儿园设立申请书", "original"),
            mat("举办者居民身份证", "copy", type="id_card"),
            mat("园舍产权证明或租赁合同", "copy", type="site_proof", note="租赁期限不少于5年。"),
            mat("资产来源和资金数额证明", "original"),
            mat("园长、教师和保育员的资格证书", "copy"),
            mat("幼儿园章程和首届决策机构组成人员名单", "original"),
            mat("消防验收或备案意见书", "copy", shared="临夏州住房和城乡建设局（消防验收系统）"),
        ),
        steps=(
            accept(),
            step("评估", "组织专家现场评估园舍、设施设备和师资。", 15),
            decide("准予设立的，核发民办学校办学许可证。", 10),
            deliver(),
        ),
        statutory_days=90,
        promised_days=30,
        limit_unit="natural",
        visits=1,
        online_depth="online_apply",
        result="民办学校办学许可证",
        faq=(
            faq(
                "办幼儿园需要先筹设吗？",
                "具备办学条件的可以直接申请正式设立，不具备的先申请筹设，筹设期不超过3年。",
            ),
            faq("办学许可证有效期多长？", "有效期为5年。"),
        ),
        form_fields=PERSON
        + (fld("school_name", "拟设幼儿园名称"), fld("business_address", "园址")),
        for_enterprises=True,
    ),
    MatterData(
        key="school_transfer",
        name="义务教育阶段学生转学",
        line="education",
        kind="public_service",
        level=C,
        domain="教育",
        keywords="转学 孩子转学 插班 随迁子女上学",
        legal_basis="《中华人民共和国义务教育法》第十二条；《中小学生学籍管理办法》（教基一〔2013〕7号）第十三条",
        conditions="义务教育阶段在校学生因户籍迁移、家庭搬迁、父母工作调动申请转学；转入学校有学位。",
        materials=(
            mat("义务教育阶段学生转学申请表", "original"),
            mat("监护人居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"),
            mat("居民户口簿或居住证", "copy", type="household_register"),
        ),
        steps=(
            accept(),
            step("协调学位", "县（市）教育局在转入学区内协调学位。", 3),
            decide("通过全国中小学生学籍信息管理系统办理转学。", 2),
        ),
        statutory_days=15,
        promised_days=5,
        visits=1,
        online_depth="pre_review",
        result="转学联系单（学籍转接）",
        faq=(
            faq("需要回原学校开证明吗？", "不需要，学籍通过全国中小学生学籍信息管理系统网上转接。"),
            faq(
                "随迁子女能在临夏上学吗？",
                "可以，持居住证在居住地申请入学或转学，与本地户籍学生同等待遇。",
            ),
        ),
        form_fields=PERSON
        + (
            fld("child_name", "学生姓名"),
            fld("school_from", "原就读学校"),
            fld("school_to", "拟转入学校"),
        ),
    ),
    MatterData(
        key="teacher_qualification",
        name="高级中学教师资格认定",
        line="education",
        kind="licensing",
        level=P,
        domain="教育",
        keywords="教师资格证 高中教师 教资认定",
        legal_basis="《中华人民共和国教师法》第十条、第十一条；《教师资格条例》第十三条；《〈教师资格条例〉实施办法》",
        conditions="具备大学本科及以上学历；中小学教师资格考试合格；普通话水平达到二级乙等以上；身体条件符合《甘肃省教师资格申请人员体检标准》；遵守宪法和法律，热爱教育事业。",
        materials=(
            mat("教师资格认定申请表", "original"),
            mat("申请人居民身份证", "copy", type="id_card"),
            mat(
                "学历证书",
                "electronic",
                shared="全国高等学校学生信息咨询与就业指导中心（学历信息核验）",
            ),
            mat("普通话水平测试等级证书", "electronic", shared="国家普通话水平测试信息管理系统"),
            mat("体检合格证明", "original", note="在州教育局指定的县级以上医院体检。"),
            mat("近期免冠彩色证件照片", "electronic", type="photo"),
        ),
        steps=(
            accept(),
            review("审核学历、考试和普通话信息，组织体检。", 10),
            decide("认定合格的，颁发教师资格证书。", 5),
            deliver(),
        ),
        statutory_days=30,
        promised_days=12,
        visits=0,
        online_depth="full_online",
        result="高级中学教师资格证书",
        faq=(
            faq(
                "什么时候可以申请认定？",
                "每年春季和秋季各集中受理一次，具体日期在州教育局网站公布。",
            ),
            faq("证书可以邮寄吗？", "可以，免费邮寄送达。"),
        ),
        form_fields=PERSON + (fld("subject", "任教学科"),),
    ),
    # ===== 医疗保障 ============================================================================
    MatterData(
        key="medical_enrol",
        name="城乡居民基本医疗保险参保登记",
        line="medical_insurance",
        kind="public_service",
        level=C,
        domain="医疗保障",
        keywords="医保 交医保 新农合 新生儿医保 参保",
        legal_basis="《中华人民共和国社会保险法》第二十五条；《医疗保障基金使用监督管理条例》；《甘肃省城乡居民基本医疗保险实施办法》",
        conditions="未参加职工基本医疗保险的本县（市）户籍城乡居民，以及持有居住证的常住人口；新生儿出生后90日内参保的，自出生之日起享受待遇。",
        materials=(
            mat("参保人居民身份证", "original", type="id_card", note="新生儿参保无需提供。"),
            mat(
                "参保人居民户口簿",
                "original",
                type="household_register",
                shared="临夏州公安局（人口信息共享）",
            ),
            mat(
                "新生儿出生医学证明",
                "original",
                type="birth_cert",
                when="为新生儿参保的",
                shared="临夏州卫生健康委员会（出生医学证明管理系统）",
            ),
        ),
        steps=(
            accept(),
            decide("当场完成参保登记，通过“甘肃税务”缴纳个人缴费。", 0),
        ),
        statutory_days=1,
        promised_days=0,
        visits=0,
        online_depth="full_online",
        result="城乡居民基本医疗保险参保信息",
        faq=(
            faq("新生儿什么时候参保？", "出生后90日内参保并缴费的，自出生之日起享受医保待遇。"),
            faq("在哪里缴费？", "通过“甘肃税务”微信公众号、银行APP或村（社区）代收点缴纳。"),
        ),
        form_fields=PERSON,
    ),
    MatterData(
        key="medical_remote",
        name="异地就医备案",
        line="medical_insurance",
        kind="public_service",
        level=C,
        domain="医疗保障",
        keywords="异地就医 外地看病 跨省就医 备案 去兰州看病",
        legal_basis="《国家医保局 财政部关于进一步做好基本医疗保险跨省异地就医直接结算工作的通知》（医保发〔2022〕22号）",
        conditions="参加临夏州基本医疗保险的人员，异地长期居住、长期驻外工作，或临时外出就医。",
        materials=(
            mat("异地就医备案表", "electronic", note="在国家医保服务平台APP在线填写。"),
            mat("参保人居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"),
        ),
        steps=(
            accept(),
            decide("即时完成备案，备案结果全国医保信息平台共享。", 0),
        ),
        statutory_days=1,
        promised_days=0,
        visits=0,
        online_depth="full_online",
        result="异地就医备案信息",
        faq=(
            faq("去兰州住院需要备案吗？", "需要，在甘肃省内跨州市就医的，备案后可直接结算。"),
            faq("备案后多久生效？", "备案成功即时生效，就医时直接刷医保码或社保卡结算。"),
            faq(
                "忘记备案了还能报销吗？",
                "可以在出院前补办备案，或出院后持票据申请医疗费用零星报销。",
            ),
        ),
        form_fields=PERSON + (fld("medical_place", "就医地"),),
    ),
    MatterData(
        key="medical_reimburse",
        name="基本医疗保险医疗费用零星报销",
        line="medical_insurance",
        kind="payment",
        level=C,
        domain="医疗保障",
        keywords="医保报销 看病报销 住院报销 手工报销 医药费",
        legal_basis="《中华人民共和国社会保险法》第二十八条、第二十九条；《医疗保障基金使用监督管理条例》；《甘肃省城乡居民基本医疗保险实施办法》",
        conditions="参保人在未联网结算的定点医疗机构就医，或因急诊抢救在非定点医疗机构就医，发生的符合基本医疗保险支付范围的医疗费用。",
        materials=(
            mat("医疗费用报销申请表", "original"),
            mat("参保人社会保障卡", "original", type="social_security_card"),
            mat("医疗费用收费票据", "original"),
            mat("费用明细清单", "original"),
            mat("出院记录", "copy", when="住院治疗的"),
            mat("急诊诊断证明", "original", when="在非定点医疗机构急诊抢救的"),
        ),
        steps=(
            accept(),
            review("审核医疗费用票据和支付范围。", 5),
            decide("核定报销金额，支付至参保人社会保障卡金融账户。", 3),
        ),
        statutory_days=20,
        promised_days=8,
        visits=1,
        online_depth="online_apply",
        result="医疗费用报销结算单",
        faq=(
            faq("报销有期限吗？", "在医疗费用发生后次年6月30日前申请。"),
            faq("报销款打到哪里？", "打入参保人本人社会保障卡金融账户。"),
        ),
        form_fields=PERSON + (BANK, fld("hospital_name", "就医医疗机构")),
    ),
    MatterData(
        key="chronic_disease",
        name="门诊慢特病待遇认定",
        line="medical_insurance",
        kind="confirmation",
        level=C,
        domain="医疗保障",
        keywords="慢性病 慢病 门诊特殊病 高血压 糖尿病",
        legal_basis="《国家医疗保障局 财政部关于建立医疗保障待遇清单制度的意见》（医保发〔2021〕5号）；《甘肃省基本医疗保险门诊慢特病管理办法》",
        conditions="参保人患有《甘肃省基本医疗保险门诊慢特病病种目录》所列病种，经二级及以上定点医疗机构确诊。",
        materials=(
            mat("门诊慢特病认定申请表", "original"),
            mat("参保人社会保障卡", "original", type="social_security_card"),
            mat("二级及以上定点医疗机构出具的诊断证明和检查报告", "copy"),
        ),
        steps=(
            accept(),
            step("认定", "定点医疗机构医师依据病种认定标准审核。", 3),
            decide("认定通过的，次日起享受门诊慢特病待遇。", 1),
        ),
        statutory_days=15,
        promised_days=4,
        visits=0,
        online_depth="full_online",
        result="门诊慢特病待遇认定结果",
        faq=(
            faq("可以在医院直接认定吗？", "可以，在具备认定资格的定点医疗机构就诊时直接申请认定。"),
            faq("认定后在哪里开药？", "在选定的门诊慢特病定点医疗机构或定点药店购药，直接结算。"),
        ),
        form_fields=PERSON + (fld("disease", "申请认定病种"),),
    ),
    # ===== 税务 ================================================================================
    MatterData(
        key="deed_tax",
        name="契税申报",
        line="tax",
        kind="levy",
        level=C,
        domain="税费",
        keywords="契税 买房交税 房屋过户税 二手房税",
        legal_basis="《中华人民共和国契税法》第一条、第九条、第十条；《中华人民共和国税收征收管理法》",
        conditions="在中华人民共和国境内转移土地、房屋权属，承受的单位和个人，在依法办理土地、房屋权属登记手续前申报缴纳契税。",
        materials=(
            mat(
                "财产和行为税税源明细表",
                "original",
                note="窗口根据网签合同信息预填，纳税人确认签字。",
            ),
            mat("承受方居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"),
            mat(
                "房屋买卖合同",
                "original",
                type="house_contract",
                note="网签备案的合同通过系统共享，无需另行打印。",
            ),
            mat(
                "家庭住房情况查询结果",
                "electronic",
                shared="临夏州自然资源局（不动产登记信息共享）",
                note="享受家庭唯一住房、第二套住房优惠税率时由窗口查询。",
            ),
        ),
        steps=(
            accept(),
            decide("计算税额，纳税人缴纳后当场出具完税凭证，信息推送不动产登记窗口。", 0),
        ),
        statutory_days=1,
        promised_days=0,
        visits=0,
        online_depth="full_online",
        result="契税完税凭证",
        fees="契税按《中华人民共和国契税法》和甘肃省适用税率计征：个人购买家庭唯一住房，面积为140平方米及以下的按1%、140平方米以上的按1.5%；"
        "第二套住房面积为140平方米及以下的按1%、140平方米以上的按2%；非住房按3%。",
        faq=(
            faq(
                "首套房契税怎么算？",
                "家庭唯一住房，面积为140平方米及以下的按1%，以上的按1.5%，按成交价格计算。",
            ),
            faq(
                "交了契税还要去不动产窗口吗？",
                "不需要，在不动产登记综合窗口一窗办理，完税信息自动共享。",
            ),
        ),
        form_fields=PERSON
        + (fld("property_address", "不动产坐落"), fld("price", "成交价格（元）", "number")),
    ),
    MatterData(
        key="fixed_quota",
        name="个体工商户定期定额核定",
        line="tax",
        kind="levy",
        level=C,
        domain="税费",
        keywords="个体户交税 定额 个体户纳税 开饭店交税",
        legal_basis="《中华人民共和国税收征收管理法》第三十五条；《个体工商户税收定期定额征收管理办法》（国家税务总局令第16号）",
        conditions="经税务机关认定，生产经营规模小、达不到《个体工商户建账管理暂行办法》规定设置账簿标准的个体工商户。",
        materials=(
            mat("个体工商户定额信息采集表", "original"),
            mat(
                "营业执照",
                "copy",
                type="business_licence",
                shared="临夏州市场监督管理局（市场主体登记系统）",
            ),
            mat("经营者居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"),
        ),
        steps=(
            accept(),
            step("核定", "依据经营地段、面积和同行业水平核定定额。", 3),
            decide("下达核定定额通知书并公示。", 2),
        ),
        statutory_days=30,
        promised_days=5,
        visits=0,
        online_depth="full_online",
        result="核定定额通知书",
        faq=(
            faq(
                "月销售额不超过10万元要交增值税吗？",
                "小规模纳税人月销售额10万元以下（含）的，免征增值税。",
            ),
            faq("定额可以调整吗？", "经营情况发生较大变化的，可以申请重新核定。"),
        ),
        form_fields=PERSON
        + (fld("business_name", "个体工商户名称"), fld("business_address", "经营场所")),
        for_enterprises=True,
    ),
    MatterData(
        key="farmland_tax",
        name="耕地占用税申报",
        line="tax",
        kind="levy",
        level=C,
        domain="税费",
        keywords="耕地占用税 占地 建房交税",
        legal_basis="《中华人民共和国耕地占用税法》第二条、第十条；《甘肃省耕地占用税适用税额》",
        conditions="在本县（市）占用耕地建设建筑物、构筑物或者从事非农业建设的单位和个人，自收到自然资源主管部门办理占用耕地手续的书面通知之日起30日内申报。",
        materials=(
            mat("耕地占用税纳税申报表", "original"),
            mat("经办人居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"),
            mat("农用地转用审批文件", "copy", shared="临夏州自然资源局（用地审批信息共享）"),
        ),
        steps=(
            accept(),
            decide("计算税额，缴纳后出具完税凭证。", 0),
        ),
        statutory_days=1,
        promised_days=0,
        visits=0,
        online_depth="full_online",
        result="耕地占用税完税凭证",
        fees="按《甘肃省耕地占用税适用税额》计征；农村居民在规定用地标准以内占用耕地新建自用住宅的，按照当地适用税额减半征收。",
        faq=(
            faq(
                "农村自建房要交耕地占用税吗？",
                "在规定标准内占用耕地新建自用住宅的减半征收；占用原宅基地的不征收。",
            ),
            faq("多长时间内申报？", "收到自然资源主管部门办理占用耕地手续的书面通知之日起30日内。"),
        ),
        form_fields=PERSON + (fld("land_area", "占用耕地面积（平方米）", "number"),),
        for_enterprises=True,
    ),
    MatterData(
        key="tax_report_reward",
        name="检举纳税人税收违法行为奖励",
        line="tax",
        kind="reward",
        level=P,
        domain="税费",
        keywords="举报偷税 税收举报 检举奖励",
        legal_basis="《中华人民共和国税收征收管理法》第十三条；《检举纳税人税收违法行为奖励暂行办法》（国家税务总局 财政部令第18号）",
        conditions="检举人实名检举；检举事项经查证属实，税款已经查补入库。",
        materials=(
            mat("检举奖励申请表", "original"),
            mat("检举人居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"),
            mat("检举奖励通知书", "original"),
        ),
        steps=(
            accept(),
            review("核对检举记录和查补入库税款。", 5),
            decide("确定奖励金额，通知检举人领取。", 3),
        ),
        statutory_days=30,
        promised_days=8,
        visits=1,
        online_depth="info",
        result="检举奖金",
        faq=(
            faq("奖金标准是多少？", "按查补入库税款数额的一定比例计发，最高不超过10万元。"),
            faq("检举人信息保密吗？", "税务机关对检举人信息严格保密。"),
        ),
        form_fields=PERSON + (BANK,),
    ),
    # ===== 发展和改革 ===========================================================================
    MatterData(
        key="investment_filing",
        name="企业投资项目备案",
        line="development_reform",
        kind="other_power",
        level=P,
        domain="投资建设",
        keywords="项目备案 投资备案 立项",
        legal_basis="《企业投资项目核准和备案管理条例》第十三条、第十四条；《企业投资项目核准和备案管理办法》（国家发展和改革委员会令第2号）",
        conditions="企业在本州投资建设的固定资产投资项目，不属于《政府核准的投资项目目录》范围。",
        materials=(
            mat(
                "企业投资项目备案信息表",
                "electronic",
                note="在甘肃省投资项目在线审批监管平台填报。",
            ),
        ),
        steps=(
            accept(0, "备案信息"),
            decide("信息齐全的即时备案，生成项目代码。", 0),
        ),
        statutory_days=1,
        promised_days=0,
        visits=0,
        online_depth="full_online",
        result="项目备案证明及项目代码",
        faq=(
            faq(
                "备案需要到现场吗？", "不需要，在甘肃省投资项目在线审批监管平台在线填报，即时备案。"
            ),
            faq(
                "备案后信息变了怎么办？",
                "项目法人、建设地点、规模、内容发生较大变化的，在平台上及时修改备案信息。",
            ),
        ),
        form_fields=ENTERPRISE
        + (fld("project_name", "项目名称"), fld("investment", "总投资（万元）", "number")),
        for_persons=False,
        for_enterprises=True,
    ),
    MatterData(
        key="energy_review",
        name="固定资产投资项目节能审查",
        line="development_reform",
        kind="licensing",
        level=P,
        domain="投资建设",
        keywords="节能审查 能评 节能报告",
        legal_basis="《中华人民共和国节约能源法》第十五条；《固定资产投资项目节能审查办法》（国家发展和改革委员会令第2号，2023年）",
        conditions="年综合能源消费量1000吨标准煤以上（改扩建项目按增量计算）且不满5000吨标准煤的固定资产投资项目，在开工建设前取得节能审查意见。",
        materials=(
            mat("节能审查申请文件", "original"),
            mat("项目节能报告", "original"),
        ),
        steps=(
            accept(),
            step("评审", "委托节能评审机构评审节能报告。", 5),
            decide("出具节能审查意见。", 2),
        ),
        statutory_days=20,
        promised_days=7,
        visits=0,
        online_depth="full_online",
        result="节能审查意见",
        faq=(
            faq(
                "哪些项目不需要节能审查？",
                "年综合能源消费量不满1000吨标准煤且年电力消费量不满500万千瓦时的项目，不再单独进行节能审查。",
            ),
            faq("评审收费吗？", "节能评审费用由审查机关承担，企业不付费。"),
        ),
        form_fields=ENTERPRISE + (fld("project_name", "项目名称"),),
        for_persons=False,
        for_enterprises=True,
    ),
    # ===== 生态环境 ============================================================================
    MatterData(
        key="eia_table",
        name="建设项目环境影响报告表审批",
        line="ecology_environment",
        kind="licensing",
        level=P,
        domain="生态环境",
        keywords="环评 环境影响评价 环评审批",
        legal_basis="《中华人民共和国环境影响评价法》第二十二条；《建设项目环境保护管理条例》第九条",
        conditions="依据《建设项目环境影响评价分类管理名录》应当编制环境影响报告表的建设项目；符合生态环境分区管控要求。",
        materials=(
            mat("建设项目环境影响报告表审批申请书", "original"),
            mat("建设项目环境影响报告表", "original", note="全本公开版本同步提交。"),
        ),
        steps=(
            accept(),
            step("技术评估", "组织技术评估和公示。", 6),
            decide("作出审批决定。", 2),
            deliver(),
        ),
        statutory_days=30,
        promised_days=8,
        visits=0,
        online_depth="full_online",
        result="环境影响报告表批复",
        faq=(
            faq(
                "县里的项目在哪里申请？",
                "可在县（市）政务服务中心生态环境分局窗口提交，由州生态环境局审批。",
            ),
            faq("审批收费吗？", "不收费，技术评估费用由审批部门承担。"),
        ),
        form_fields=ENTERPRISE + (fld("project_name", "项目名称"),),
        for_persons=False,
        for_enterprises=True,
    ),
    MatterData(
        key="pollution_permit",
        name="排污许可证核发（简化管理）",
        line="ecology_environment",
        kind="licensing",
        level=P,
        domain="生态环境",
        keywords="排污许可证 排污证 排放许可",
        legal_basis="《排污许可管理条例》第十一条、第十三条；《固定污染源排污许可分类管理名录》",
        conditions="依照《固定污染源排污许可分类管理名录》实行简化管理的排污单位；污染物排放符合国家污染物排放标准和重点污染物排放总量控制要求。",
        materials=(
            mat("排污许可证申请表", "electronic", note="在全国排污许可证管理信息平台填报。"),
            mat("自行监测方案", "electronic"),
            mat("守法承诺书", "original", pledge=True),
        ),
        steps=(
            accept(),
            review("审查申请表、自行监测方案和排放标准执行情况。", 5),
            decide("核发排污许可证。", 2),
        ),
        statutory_days=20,
        promised_days=7,
        visits=0,
        online_depth="full_online",
        result="排污许可证",
        faq=(
            faq("排污许可证有效期多长？", "有效期为5年。"),
            faq(
                "登记管理的单位需要申请吗？",
                "实行登记管理的排污单位无需申请许可证，在全国排污许可证管理信息平台填报排污登记表即可。",
            ),
        ),
        form_fields=ENTERPRISE,
        for_persons=False,
        for_enterprises=True,
    ),
    # ===== 农业农村 ============================================================================
    MatterData(
        key="homestead",
        name="农村村民宅基地审批",
        line="agriculture",
        kind="licensing",
        level=T,
        domain="农村建房",
        keywords="宅基地 农村盖房 批地基 分户建房 庄廓",
        legal_basis="《中华人民共和国土地管理法》第六十二条；《中华人民共和国土地管理法实施条例》第三十四条；《农业农村部 自然资源部关于规范农村宅基地审批管理的通知》（农经发〔2019〕6号）",
        conditions="本集体经济组织成员，以户为单位申请，一户只能拥有一处宅基地；面积不超过甘肃省规定的标准；"
        "符合乡（镇）国土空间规划和村庄规划，不占用永久基本农田。",
        materials=(
            mat(
                "农村宅基地和建房（规划许可）申请表",
                "original",
                note="与乡村建设规划许可使用同一张表，一表申请。",
            ),
            mat("申请人居民户口簿", "original", type="household_register"),
            mat("申请人居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"),
            mat("农村宅基地使用承诺书", "original", pledge=True),
            mat(
                "村民小组会议讨论通过意见和村级组织审查意见",
                "original",
                note="由村委会出具，申请人无需另行准备。",
            ),
        ),
        steps=(
            accept(),
            step("联审", "乡镇组织农业农村、自然资源部门实地审查申请人资格和拟用地。", 10),
            decide("乡镇人民政府审批，核发农村宅基地批准书。", 3),
            step("开工查验", "划定宅基地用地范围，到场放样定位。", 2),
        ),
        statutory_days=40,
        promised_days=15,
        visits=1,
        online_depth="pre_review",
        result="农村宅基地批准书",
        faq=(
            faq(
                "宅基地面积最多能批多少？",
                "按《甘肃省实施〈中华人民共和国土地管理法〉办法》规定的标准，川塬区每户不超过200平方米，山区每户不超过330平方米。",
            ),
            faq("城里人能在农村申请宅基地吗？", "不能，宅基地只能由本集体经济组织成员申请。"),
            faq(
                "在哪里申请？",
                "在户籍所在地乡镇便民服务中心申请，宅基地和规划许可一表申请、一窗受理。",
            ),
        ),
        form_fields=PERSON
        + (fld("house_location", "拟建房地址"), fld("land_area", "申请面积（平方米）", "number")),
    ),
    MatterData(
        key="seed_licence",
        name="农作物种子生产经营许可",
        line="agriculture",
        kind="licensing",
        level=C,
        domain="农业",
        keywords="种子 卖种子 种子经营 种子许可证",
        legal_basis="《中华人民共和国种子法》第三十一条、第三十二条；《农作物种子生产经营许可管理办法》（农业农村部令2022年第2号）",
        conditions="具有与种子生产经营相适应的生产经营设施、设备及专业技术人员；有种子检验、加工、贮藏设施。",
        materials=(
            mat("农作物种子生产经营许可证申请表", "original"),
            mat(
                "营业执照",
                "copy",
                type="business_licence",
                shared="临夏州市场监督管理局（市场主体登记系统）",
            ),
            mat("种子检验、加工、贮藏设施设备清单及产权证明", "copy"),
            mat("种子检验员资格证明", "copy"),
        ),
        steps=(
            accept(),
            step("现场审查", "组织两名以上工作人员现场考核。", 5),
            decide("核发农作物种子生产经营许可证。", 2),
        ),
        statutory_days=20,
        promised_days=7,
        visits=1,
        online_depth="online_apply",
        result="农作物种子生产经营许可证",
        faq=(
            faq(
                "只卖包装好的种子需要许可证吗？",
                "专门经营不再分装的包装种子的，不需要办理许可证，向县农业农村局备案。",
            ),
            faq("许可证有效期多长？", "有效期为5年。"),
        ),
        form_fields=ENTERPRISE,
        for_persons=False,
        for_enterprises=True,
    ),
    MatterData(
        key="vet_drug",
        name="兽药经营许可证核发",
        line="agriculture",
        kind="licensing",
        level=C,
        domain="农业",
        keywords="兽药店 卖兽药 兽药经营",
        legal_basis="《兽药管理条例》第二十二条、第二十三条；《兽药经营质量管理规范》",
        conditions="有与所经营的兽药相适应的兽药技术人员；有与所经营的兽药相适应的营业场所、设备、仓库设施；"
        "有与所经营的兽药相适应的质量管理机构或者人员；有兽药经营质量管理规章制度。",
        materials=(
            mat("兽药经营许可证申请表", "original"),
            mat("经营者居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"),
            mat("兽药技术人员学历证书或职称证书", "copy"),
            mat("营业场所、仓库平面布局图和产权或使用证明", "copy", type="site_proof"),
        ),
        steps=(
            accept(),
            step("现场检查", "现场检查营业场所、仓库设施和质量管理制度。", 5),
            decide("核发兽药经营许可证。", 2),
        ),
        statutory_days=30,
        promised_days=7,
        visits=1,
        online_depth="online_apply",
        result="兽药经营许可证",
        faq=(
            faq("许可证有效期多长？", "有效期为5年，期满前6个月申请换发。"),
            faq(
                "可以网上销售兽药吗？",
                "可以，持有兽药经营许可证的经营者通过网络销售兽药的，向县农业农村局备案。",
            ),
        ),
        form_fields=PERSON + (fld("business_address", "经营场所"),),
        for_enterprises=True,
    ),
    MatterData(
        key="animal_epidemic",
        name="动物防疫条件合格证核发",
        line="agriculture",
        kind="licensing",
        level=C,
        domain="农业",
        keywords="养殖场 养牛 养羊 动物防疫 屠宰场 防疫合格证",
        legal_basis="《中华人民共和国动物防疫法》第二十四条、第二十五条；《动物防疫条件审查办法》（农业农村部令2022年第8号）",
        conditions="动物饲养场、隔离场所、屠宰加工场所及无害化处理场所的选址、布局和设施设备符合《动物防疫条件审查办法》规定的条件。",
        materials=(
            mat("动物防疫条件审查申请表", "original"),
            mat("场所地理位置图、各功能区布局平面图", "original"),
            mat("设施设备清单", "original"),
            mat("管理制度文本", "original", pledge=True),
            mat("人员情况", "original", note="列明兽医技术人员姓名和资格证书编号。"),
        ),
        steps=(
            accept(),
            step("现场核查", "组织两名以上工作人员现场核查。", 8),
            decide("核发动物防疫条件合格证。", 2),
        ),
        statutory_days=15,
        promised_days=6,
        visits=1,
        online_depth="online_apply",
        result="动物防疫条件合格证",
        faq=(
            faq(
                "养多少只羊需要办合格证？",
                "达到甘肃省规定的规模养殖场标准的需要办理，散养户不需要。",
            ),
            faq("办证收费吗？", "不收费。"),
        ),
        form_fields=PERSON
        + (fld("farm_location", "场所地址"), fld("herd_size", "设计饲养规模", "number")),
        for_enterprises=True,
    ),
    MatterData(
        key="farm_machine",
        name="拖拉机和联合收割机登记",
        line="agriculture",
        kind="licensing",
        level=C,
        domain="农业",
        keywords="拖拉机上牌 收割机上牌 农机登记 农机牌照",
        legal_basis="《中华人民共和国道路交通安全法》第一百二十一条；《农业机械安全监督管理条例》第二十二条；《拖拉机和联合收割机登记规定》（农业部令2018年第2号）",
        conditions="拖拉机、联合收割机所有人为本县（市）居民或单位；机具经安全技术检验合格。",
        materials=(
            mat("拖拉机和联合收割机登记业务申请表", "original"),
            mat("所有人居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"),
            mat("购机发票", "original"),
            mat("出厂合格证明", "original"),
        ),
        steps=(
            accept(),
            step("查验", "查验机具识别号码和安全技术状况。", 0),
            decide("核发登记证书、号牌和行驶证。", 1),
        ),
        statutory_days=2,
        promised_days=0,
        visits=1,
        online_depth="pre_review",
        result="拖拉机和联合收割机登记证书、号牌、行驶证",
        faq=(
            faq(
                "农机上牌收费吗？",
                "不收费，甘肃省免收拖拉机和联合收割机号牌、行驶证、登记证书工本费。",
            ),
            faq("可以在乡镇办吗？", "县农机监理站定期到乡镇集中上门办理。"),
        ),
        form_fields=PERSON + (fld("machine_model", "机具型号"),),
    ),
    # ===== 住房公积金 ===========================================================================
    MatterData(
        key="fund_withdraw_purchase",
        name="住房公积金提取（购买自住住房）",
        line="provident_fund",
        kind="public_service",
        level=C,
        domain="住房公积金",
        keywords="提取公积金 公积金取钱 买房提公积金 公积金",
        legal_basis="《住房公积金管理条例》第二十四条、第二十五条；《临夏州住房公积金提取管理办法》",
        conditions="职工及配偶购买自住住房，在取得房屋买卖合同备案或不动产权证书之日起2年内申请。",
        materials=(
            mat("申请人居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"),
            mat(
                "房屋买卖合同",
                "original",
                type="house_contract",
                note="网签备案的合同通过系统共享，无需另行打印。",
            ),
            mat("购房款付款凭证", "copy"),
            mat(
                "结婚证",
                "original",
                type="marriage_cert",
                when="提取配偶账户余额的",
                shared="临夏州民政局（婚姻登记信息系统）",
            ),
        ),
        steps=(
            accept(),
            decide("审核通过后即时转账至申请人本人银行账户。", 0),
        ),
        statutory_days=3,
        promised_days=0,
        visits=0,
        online_depth="full_online",
        result="住房公积金提取到账",
        faq=(
            faq("买房后多久内可以提取？", "取得网签合同备案或不动产权证书之日起2年内。"),
            faq("配偶的公积金能一起提吗？", "可以，婚姻信息通过共享核验，无需另交结婚证。"),
        ),
        form_fields=PERSON + (BANK, fld("property_address", "房屋坐落")),
    ),
    MatterData(
        key="fund_withdraw_retire",
        name="住房公积金提取（离休、退休）",
        line="provident_fund",
        kind="public_service",
        level=C,
        domain="住房公积金",
        keywords="退休提取公积金 退休 公积金销户 提取公积金",
        legal_basis="《住房公积金管理条例》第二十四条、第二十五条；《临夏州住房公积金提取管理办法》",
        conditions="职工离休、退休，或达到法定退休年龄。",
        materials=(
            mat("申请人居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"),
            mat(
                "职工退休审批表",
                "copy",
                type="retirement_approval",
                shared="临夏州人力资源和社会保障局（退休信息共享）",
            ),
        ),
        steps=(
            accept(),
            decide("核对退休信息，账户余额和利息一次性转入本人银行账户并销户。", 0),
        ),
        statutory_days=3,
        promised_days=0,
        visits=0,
        online_depth="full_online",
        result="住房公积金提取到账",
        faq=(
            faq(
                "退休提取需要单位盖章吗？",
                "不需要，退休信息由人社部门共享，本人通过“临夏公积金”APP即可申请。",
            ),
            faq("可以和退休手续一起办吗？", "可以，通过“退休一件事”一次申请。"),
        ),
        form_fields=PERSON + (BANK,),
    ),
    MatterData(
        key="fund_loan",
        name="住房公积金个人住房贷款",
        line="provident_fund",
        kind="public_service",
        level=C,
        domain="住房公积金",
        keywords="公积金贷款 买房贷款 房贷 公积金",
        legal_basis="《住房公积金管理条例》第二十六条；《临夏州住房公积金个人住房贷款管理办法》",
        conditions="连续足额缴存住房公积金6个月以上；购买、建造、翻建、大修自住住房；借款人具有稳定的经济收入和偿还贷款本息的能力。",
        materials=(
            mat("住房公积金个人住房贷款申请表", "original"),
            mat(
                "借款人及配偶居民身份证",
                "original",
                type="id_card",
                note="窗口核验后当场退还原件。",
            ),
            mat("借款人居民户口簿", "copy", type="household_register"),
            mat("结婚证", "copy", type="marriage_cert", when="借款人已婚的"),
            mat(
                "房屋买卖合同",
                "original",
                type="house_contract",
                note="网签备案的合同通过系统共享，无需另行打印。",
            ),
            mat("首付款付款凭证", "copy"),
        ),
        steps=(
            accept(),
            review("审核借款人缴存记录和还款能力。", 3),
            decide("作出准予贷款的决定，签订借款合同。", 2),
            step("放款", "办理抵押登记后发放贷款。", 2),
        ),
        statutory_days=15,
        promised_days=5,
        visits=1,
        online_depth="online_apply",
        result="住房公积金借款合同及贷款发放",
        faq=(
            faq(
                "公积金贷款最多能贷多少？",
                "按《临夏州住房公积金个人住房贷款管理办法》，单方缴存最高50万元，双方缴存最高70万元。",
            ),
            faq("贷款期限最长多久？", "最长30年，且不超过借款人法定退休年龄后5年。"),
        ),
        form_fields=PERSON
        + (fld("property_address", "房屋坐落"), fld("loan_amount", "申请贷款金额（元）", "number")),
    ),
    MatterData(
        key="fund_enrol",
        name="单位住房公积金缴存登记",
        line="provident_fund",
        kind="public_service",
        level=C,
        domain="住房公积金",
        keywords="公积金开户 单位开户 缴存登记 开公司",
        legal_basis="《住房公积金管理条例》第十三条、第十四条",
        conditions="新设立的单位自设立之日起30日内办理住房公积金缴存登记。",
        materials=(
            mat("单位住房公积金缴存登记表", "original"),
            mat(
                "营业执照",
                "copy",
                type="business_licence",
                shared="临夏州市场监督管理局（市场主体登记系统）",
            ),
            mat("经办人居民身份证", "original", type="id_card", note="窗口核验后当场退还原件。"),
        ),
        steps=(
            accept(),
            decide("即时完成缴存登记，开设单位住房公积金账户。", 0),
        ),
        statutory_days=1,
        promised_days=0,
        visits=0,
        online_depth="full_online",
        result="单位住房公积金缴存登记信息",
        faq=(
            faq(
                "新开办企业必须开公积金账户吗？",
                "《住房公积金管理条例》第十四条规定，新设立的单位应当自设立之日起30日内办理缴存登记。",
            ),
            faq("可以在开办企业时一起办吗？", "可以，企业开办“一网通办”平台同步办理。"),
        ),
        form_fields=ENTERPRISE,
        for_persons=False,
        for_enterprises=True,
    ),
    # ===== 商务 ================================================================================
    MatterData(
        key="fuel_retail",
        name="成品油零售经营资格审批",
        line="commerce",
        kind="licensing",
        level=P,
        domain="商贸流通",
        keywords="加油站 成品油 开加油站",
        legal_basis="《国务院关于取消和下放一批行政许可事项的决定》（国发〔2019〕6号）；《甘肃省成品油零售经营资格管理办法》",
        conditions="加油站符合临夏州成品油零售网点发展规划；具有合法稳定的成品油供油渠道；加油站通过规划、建设、消防、安全、环保、气象、计量验收。",
        materials=(
            mat("成品油零售经营资格申请表", "original"),
            mat(
                "营业执照",
                "copy",
                type="business_licence",
                shared="临夏州市场监督管理局（市场主体登记系统）",
            ),
            mat("成品油供油协议", "copy"),
            mat(
                "加油站建设工程消防验收意见书",
                "copy",
                shared="临夏州住房和城乡建设局（消防验收系统）",
            ),
            mat("危险化学品经营许可证", "copy"),
        ),
        steps=(
            accept(),
            step("现场核查", "组织现场核查加油站设施。", 6),
            decide("核发成品油零售经营批准证书。", 2),
        ),
        statutory_days=20,
        promised_days=8,
        visits=1,
        online_depth="online_apply",
        result="成品油零售经营批准证书",
        faq=(
            faq("证书有效期多长？", "有效期为5年。"),
            faq("新建加油站什么时候申请？", "加油站建成并通过各项验收后申请。"),
        ),
        form_fields=ENTERPRISE + (fld("business_address", "加油站地址"),),
        for_persons=False,
        for_enterprises=True,
    ),
)


# --- basic codes ----------------------------------------------------------------------------

_LINE_ORDER = (
    "market",
    "police",
    "hrss",
    "natural_resources",
    "housing",
    "transport",
    "health",
    "civil_affairs",
    "education",
    "medical_insurance",
    "tax",
    "development_reform",
    "ecology_environment",
    "agriculture",
    "commerce",
    "provident_fund",
)
_KIND_ORDER = (
    "licensing",
    "payment",
    "levy",
    "adjudication",
    "confirmation",
    "reward",
    "other_power",
    "public_service",
)


def _codes() -> dict[str, str]:
    """基本编码: line (3 digits), kind (3 digits), number within both (3 digits), "000"."""
    seq: dict[tuple[str, str], int] = {}
    codes = {}
    for m in MATTERS:
        n = seq[(m.line, m.kind)] = seq.get((m.line, m.kind), 0) + 1
        codes[m.key] = (
            f"{_LINE_ORDER.index(m.line) + 1:03d}{_KIND_ORDER.index(m.kind) + 1:03d}{n:03d}000"
        )
    return codes


CODES: dict[str, str] = _codes()
BY_KEY: dict[str, MatterData] = {m.key: m for m in MATTERS}


# --- where matters are listed -----------------------------------------------------------------

# County listings handled outside the county center, with the reason (R-CAT-3).
OUTSIDE: tuple[tuple[str, str, str, str], ...] = (
    (
        "animal_epidemic",
        "622926",
        "space",
        "县政务服务中心场地有限，动物防疫条件审查窗口设在县动物疫病预防控制中心（锁南镇县府路）"
        + "（演示）",
    ),
    (
        "farm_machine",
        "622927",
        "space",
        "拖拉机和联合收割机查验需要室外查验场地，窗口设在县农机安全监理站（吹麻滩镇）" + "（演示）",
    ),
)

# Local facts of every listing at a center level: windows.
WINDOWS = {
    "market": "市场准入综合窗口",
    "police": "公安户政窗口",
    "hrss": "社会保障综合窗口",
    "natural_resources": "不动产登记综合窗口",
    "housing": "投资建设综合窗口",
    "transport": "交通运输窗口",
    "health": "卫生健康窗口",
    "civil_affairs": "民政服务窗口",
    "education": "教育服务窗口",
    "medical_insurance": "医疗保障窗口",
    "tax": "税费综合窗口",
    "development_reform": "投资建设综合窗口",
    "ecology_environment": "投资建设综合窗口",
    "agriculture": "农业农村服务窗口",
    "commerce": "商贸流通窗口",
    "provident_fund": "住房公积金窗口",
}
TOWNSHIP_WINDOW = "便民服务综合窗口"


# --- bundles (一件事) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BundleData:
    code: str
    name: str
    description: str
    keywords: str
    matters: tuple[str, ...]  # matter keys
    optional: tuple[str, ...] = ()


BUNDLES: tuple[BundleData, ...] = (
    BundleData(
        code="kai-fandian",
        name="我要开饭店",
        description="个体工商户登记、食品经营许可、城镇污水排入排水管网许可、户外招牌设置和定期定额核定一次申请、"
        "一套材料、一窗受理，营业执照和食品经营许可证同步发放。",
        keywords="开饭店 开餐馆 开饭馆 开拉面馆 开小吃店 餐饮",
        matters=("getihu", "food_licence", "drainage_permit", "signboard", "fixed_quota"),
        optional=("signboard", "fixed_quota"),
    ),
    BundleData(
        code="xinshenger-chusheng",
        name="新生儿出生一件事",
        description="出生医学证明、户口登记、城乡居民医保参保和社会保障卡申领一次申请，出生医学证明信息共享，无需重复提交。",
        keywords="生孩子 新生儿 出生 上户口 宝宝医保",
        matters=(
            "birth_certificate",
            "birth_registration",
            "medical_enrol",
            "social_security_card",
        ),
    ),
    BundleData(
        code="wo-yao-mai-fang",
        name="我要买房（二手房）",
        description="不动产转移登记、契税申报、住房公积金贷款和购房提取一次申请，房屋买卖合同和身份证明只交一次。",
        keywords="买房 二手房 过户 房产证 公积金贷款",
        matters=("property_transfer", "deed_tax", "fund_loan", "fund_withdraw_purchase"),
        optional=("fund_loan", "fund_withdraw_purchase"),
    ),
    BundleData(
        code="tuixiu",
        name="退休一件事",
        description="企业职工退休待遇核定和住房公积金退休提取一次申请，退休信息部门共享。",
        keywords="退休 办退休 养老金 退休提取公积金",
        matters=("retirement", "fund_withdraw_retire"),
    ),
    BundleData(
        code="kai-gongsi",
        name="企业开办一件事",
        description="公司设立登记、公章刻制备案和单位住房公积金缴存登记一网通办，1个工作日内办结。",
        keywords="开公司 注册公司 企业开办 刻章",
        matters=("company", "seal", "fund_enrol"),
    ),
)


# --- work left in progress ------------------------------------------------------------------------


@dataclass(frozen=True)
class PendingProcessChange:
    matter: str
    stage: str  # "legality_review" | "final_review"
    reason: str
    changes: dict  # guide fields to change
    steps: tuple[dict, ...] | None = None  # the new steps, if they change


PENDING_PROCESS_CHANGES: tuple[PendingProcessChange, ...] = (
    PendingProcessChange(
        matter="construction_permit",
        stage="legality_review",
        reason="施工图审查信息与规划许可信息已实现系统共享，将“审查”和“决定”两个环节合并为“审批”一个环节，承诺时限由2个工作日压缩至1个工作日。",
        changes={
            "promised_days": 1,
            "change_note": "合并审查、决定环节，承诺时限压缩至1个工作日。",
        },
        steps=(
            accept(),
            step(
                "审批",
                "系统比对用地、规划、施工企业和施工图审查信息，符合条件的当日核发电子证照。",
                1,
            ),
        ),
    ),
    PendingProcessChange(
        matter="freight_licence",
        stage="final_review",
        reason="机动车行驶证和驾驶员从业资格信息已共享核验，申请人无需到场，到现场次数由1次减为0次，实现全程网办。",
        changes={
            "visits": 0,
            "online_depth": "full_online",
            "change_note": "全程网办，证照免费邮寄。",
        },
    ),
)


@dataclass(frozen=True)
class PendingRequest:
    kind: str  # "enter" | "change" | "withdraw"
    matter: str
    center: str  # region code of the center
    reason: str
    local: dict = field(default_factory=dict)


PENDING_REQUESTS: tuple[PendingRequest, ...] = (
    PendingRequest(
        kind="change",
        matter="getihu",
        center="622921",
        reason="为方便群众利用午休时间办事，市场准入综合窗口增设午间延时服务。",
        local={"hours": "周一至周五 9:00-17:30（午间不间断）；周六 9:00-12:00 延时服务"},
    ),
    PendingRequest(
        kind="enter",
        matter="social_security_card",
        center="622921100",
        reason="韩集镇便民服务中心已配备社会保障卡即时制卡设备，申请社会保障卡申领事项进驻，群众就近办理。",
        local={"windows": "便民服务综合窗口", "place": "韩集镇便民服务中心一楼"},
    ),
    PendingRequest(
        kind="withdraw",
        matter="vet_drug",
        center="622922",
        reason="县政务服务中心一楼改造期间场地不足，兽药经营许可窗口临时设在县农业农村局一楼。",
        local={
            "outside_reason": "space",
            "outside_note": "改造期间窗口设在康乐县农业农村局一楼（演示）",
        },
    ),
)

"""Excel import and export of the catalog (R-CAT-2, R-CAT-4, R-CAT-5, R-CAT-6, R-CAT-8):
a documented template, an export that re-imports cleanly, an import that either applies
every row through the services or changes nothing and lists every bad row."""

from __future__ import annotations

import io
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from onewindow.catalog import excel, services
from onewindow.catalog.models import (
    Bundle,
    BundleItem,
    ChangeRequest,
    GuideVersion,
    Listing,
    Material,
    MaterialType,
    Matter,
    ProcessChange,
    ReviewState,
    Step,
)
from onewindow.core.errors import Forbidden
from onewindow.core.models import AuditEvent

CATALOG_TABLES = (
    Matter,
    GuideVersion,
    Material,
    Step,
    Listing,
    ProcessChange,
    ChangeRequest,
    MaterialType,
    Bundle,
    BundleItem,
    AuditEvent,
)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in CATALOG_TABLES}


def workbook(**sheets) -> bytes:
    """A workbook in the template's format; each sheet given as a list of {header: value}."""
    book = excel.template_workbook()
    for name, rows in sheets.items():
        ws = book[name]
        headers = [c.header for c in excel.COLUMNS[name]]
        for row in rows:
            unknown = set(row) - set(headers)
            assert not unknown, unknown
            ws.append([row.get(h, "") for h in headers])
    return excel.workbook_bytes(book)


def matter_row(code="MX-001", name="食品经营许可", **kw) -> dict:
    return {
        "基本编码": code,
        "事项名称": name,
        "事项类型": "行政许可",
        "实施层级": "县市",
        "标准维护部门": "临夏县市场监督管理局",
        "领域": "市场准入",
        "检索词": "开饭店 餐馆",
        "面向个人/企业": "个人、企业",
        "设定依据": "《中华人民共和国食品安全法》第三十五条",
        "受理条件": "有与经营的食品品种、数量相适应的经营场所，申请材料齐全、符合法定形式。",
        "法定时限": 20,
        "承诺时限": 5,
        "时限单位": "工作日",
        "到现场次数": 1,
        "网办深度": "全程网办",
        "收费标准": "不收费",
        "办理结果": "食品经营许可证",
        **kw,
    }


def material_rows(code="MX-001") -> list[dict]:
    return [
        {
            "基本编码": code,
            "序号": 1,
            "材料名称": "食品经营许可申请书",
            "材料形式": "原件",
            "份数": 1,
        },
        {
            "基本编码": code,
            "序号": 2,
            "材料名称": "营业执照",
            "材料形式": "复印件",
            "份数": 1,
            "来源": "部门共享获取（无需提交）",
            "共享来源部门": "临夏县市场监督管理局",
            "需纸质材料": "否",
        },
    ]


def step_rows(code="MX-001") -> list[dict]:
    return [
        {
            "基本编码": code,
            "序号": 1,
            "环节": "受理",
            "办理要求": "窗口核对申请材料，当场受理。",
            "环节时限": 0,
        },
        {
            "基本编码": code,
            "序号": 2,
            "环节": "审查",
            "办理要求": "审查申请材料和经营场所。",
            "环节时限": 3,
        },
        {
            "基本编码": code,
            "序号": 3,
            "环节": "决定",
            "办理要求": "作出准予许可的决定并发证。",
            "环节时限": 2,
        },
    ]


def listing_row(code="MX-001", center="C622921", listing_code="LX-MX-001", **kw) -> dict:
    return {
        "基本编码": code,
        "服务中心编码": center,
        "实施部门": "临夏县市场监督管理局",
        "实施编码": listing_code,
        "办理地点": "临夏县政务服务中心二楼",
        "办理时间": "工作日 9:00-17:00",
        "咨询电话": "0930-1234567",
        "投诉电话": "12345",
        "受理窗口": "综合受理窗口",
        **kw,
    }


def good_workbook() -> bytes:
    return workbook(
        **{
            excel.MATTERS: [matter_row()],
            excel.MATERIALS: material_rows(),
            excel.STEPS: step_rows(),
            excel.LISTINGS: [listing_row()],
        }
    )


def lines(report) -> list[str]:
    return [str(e) for e in report.errors]


@pytest.fixture
def listed(cat):
    """The fixture matter entered at the Linxia county center, approved."""
    request = services.listing_request_entry(
        actor=cat.county_admin,
        matter=cat.matter,
        center=cat.linxia_center,
        department=cat.linxia_market,
        code="622921-11620000MB1234567X",
        reason="应进必进",
        place="二楼A区",
        phone="0930-6200000",
    )
    services.change_request_decide(actor=cat.gov_office, request=request, approve=True)
    return cat


# --- template and export -----------------------------------------------------------------------


def test_r_cat_5_template_has_every_sheet_and_header_and_instructions():
    book = load_workbook(io.BytesIO(excel.workbook_bytes(excel.template_workbook())))
    assert book.sheetnames == ["事项", "材料", "环节", "实施清单", "说明"]
    assert [c.value for c in book["事项"][1]] == [
        "基本编码",
        "事项名称",
        "事项类型",
        "实施层级",
        "标准维护部门",
        "领域",
        "检索词",
        "面向个人/企业",
        "设定依据",
        "受理条件",
        "法定时限",
        "承诺时限",
        "时限单位",
        "到现场次数",
        "网办深度",
        "收费标准",
        "办理结果",
        "未达压缩要求的理由",
    ]
    assert [c.value for c in book["材料"][1]] == [
        "基本编码",
        "序号",
        "材料名称",
        "材料形式",
        "份数",
        "必要性",
        "适用情形",
        "来源",
        "共享来源部门",
        "可告知承诺替代",
        "需纸质材料",
        "说明",
    ]
    assert [c.value for c in book["环节"][1]] == [
        "基本编码",
        "序号",
        "环节",
        "办理要求",
        "环节时限",
    ]
    assert [c.value for c in book["实施清单"][1]] == [
        "基本编码",
        "服务中心编码",
        "实施部门",
        "实施编码",
        "办理地点",
        "办理时间",
        "咨询电话",
        "投诉电话",
        "受理窗口",
        "在中心外办理",
        "中心外办理原因",
        "说明",
    ]
    text = "\n".join(str(c.value) for row in book["说明"].iter_rows() for c in row if c.value)
    assert "兜底" in text and "40%" in text and "未达压缩要求的理由" in text


def test_r_cat_5_every_column_of_the_template_is_documented():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "catalog-template.md").read_text(
        encoding="utf-8"
    )
    for name, columns in excel.COLUMNS.items():
        section = doc.split(f"### {name}\n", 1)[1].split("\n### ", 1)[0]
        documented = [
            line.split("|")[1].strip() for line in section.splitlines() if line.startswith("| ")
        ]
        assert documented[2:] == [c.header for c in columns], name


def test_r_cat_2_export_writes_the_centers_catalog(listed):
    book = load_workbook(
        io.BytesIO(
            excel.workbook_bytes(
                excel.export_workbook(actor=listed.county_admin, center=listed.linxia_center)
            )
        )
    )
    matter = [c.value for c in book["事项"][2]]
    assert matter[:5] == [
        "11620000MB1234567X",
        "个体工商户登记",
        "行政许可",
        "县市",
        "临夏县市场监督管理局",
    ]
    assert [r[2].value for r in book["材料"].iter_rows(min_row=2)] == [
        "个体工商户登记（备案）申请书",
        "经营者居民身份证",
        "经营场所使用证明",
        "委托代理人身份证明及授权委托书",
    ]
    assert [r[2].value for r in book["环节"].iter_rows(min_row=2)] == ["受理", "审查", "决定"]
    listing = [c.value for c in book["实施清单"][2]]
    assert listing[:5] == [
        "11620000MB1234567X",
        "C622921",
        "临夏县市场监督管理局",
        "622921-11620000MB1234567X",
        "二楼A区",
    ]
    other = excel.export_workbook(actor=listed.root, center=listed.kangle_center)
    assert other["实施清单"].max_row == 1 and other["事项"].max_row == 1


def test_r_cat_2_round_trip_export_then_import_is_clean_and_changes_nothing(listed):
    data = excel.workbook_bytes(
        excel.export_workbook(actor=listed.county_admin, center=listed.linxia_center)
    )
    before = counts()
    report = excel.import_catalog(data, actor=listed.county_admin)
    assert lines(report) == []
    assert report.applied
    assert report.counts["matters_unchanged"] == 1 and report.counts["listings_unchanged"] == 1
    assert counts() == before


def test_r_cat_2_round_trip_through_the_commands(listed, tmp_path):
    path = tmp_path / "catalog.xlsx"
    call_command("export_catalog", str(path), center="C622921", stdout=io.StringIO())
    out = io.StringIO()
    before = counts()
    call_command(
        "import_catalog", str(path), actor="county_admin", stdout=out, stderr=io.StringIO()
    )
    assert "导入完成" in out.getvalue()
    assert counts() == before
    template = tmp_path / "template.xlsx"
    call_command("catalog_template", str(template), stdout=io.StringIO())
    assert load_workbook(template).sheetnames[-1] == "说明"


# --- a bad file changes nothing and lists every bad row ----------------------------------------


def test_r_cat_2_bad_rows_across_sheets_change_nothing_and_are_all_listed(cat):
    data = workbook(
        **{
            excel.MATTERS: [
                matter_row(),
                matter_row("MX-002", "餐饮服务许可", 事项类型="行政许可证", 法定时限="十五"),
                matter_row("MX-003", "小作坊登记", 法定时限=20, 承诺时限=10),
                matter_row("MX-004", "摊贩备案", 标准维护部门="临夏县不存在局"),
            ],
            excel.MATERIALS: [
                *material_rows(),
                {"基本编码": "MX-001", "序号": 3, "材料名称": "其他相关材料", "材料形式": "原件"},
                {"基本编码": "NOPE", "序号": 1, "材料名称": "申请书"},
                {"基本编码": "MX-001", "序号": 4, "材料名称": "委托书", "必要性": "容缺/情形必要"},
                *material_rows("MX-002"),
                *material_rows("MX-003"),
                *material_rows("MX-004"),
            ],
            excel.STEPS: [
                *step_rows(),
                {"基本编码": "MX-001", "序号": 1, "环节": "送达"},
                *step_rows("MX-002"),
                *step_rows("MX-003"),
                *step_rows("MX-004"),
            ],
            excel.LISTINGS: [
                listing_row(),
                listing_row(
                    center="C622922", listing_code="KL-MX-001", 实施部门="康乐县市场监督管理局"
                ),
                listing_row(center="C622921100", listing_code="HJ-MX-001", 实施部门="不存在局"),
                listing_row(listing_code="LX-MX-002", 在中心外办理="也许"),
            ],
        }
    )
    before = counts()
    report = excel.import_catalog(data, actor=cat.county_admin)
    assert not report.applied
    assert counts() == before
    assert lines(report) == [
        "第3行 [事项] 列“事项类型”：“行政许可证”不是有效的事项类型，应为：“行政许可”“行政给付”“行政确认”"
        "“行政裁决”“行政奖励”“行政征收”“其他行政权力”“公共服务”。",
        "第3行 [事项] 列“法定时限”：“十五”不是整数。",
        "第4行 [事项] 列“承诺时限”：承诺时限10天超过法定时限20天的40%（不超过8天）。请压缩承诺时限，"
        "或在“未达压缩要求的理由”中写明无法压缩的理由报审改部门终审。",
        "第5行 [事项] 列“标准维护部门”：未找到部门“临夏县不存在局”。",
        "第4行 [材料] 列“材料名称”：“其他相关材料”属于兜底条款，请逐项列明所需材料的名称。",
        "第5行 [材料] 列“基本编码”：基本编码“NOPE”不在事项表中，系统中也没有该事项。",
        "第6行 [材料] 列“适用情形”：情形必要的材料须写明适用情形。",
        "第5行 [环节] 列“序号”：序号与第2行重复。",
        "第3行 [实施清单] 列“服务中心编码”：未找到服务中心“C622922”。",
        "第4行 [实施清单] 列“实施部门”：未找到部门“不存在局”。",
        "第5行 [实施清单] 列“服务中心编码”：同一事项在同一服务中心的实施清单与第2行重复。",
        "第5行 [实施清单] 列“在中心外办理”：“也许”应填写“是”或“否”。",
    ]


def test_r_cat_6_catch_all_clause_in_a_material_row_is_reported_with_its_row(cat):
    materials = material_rows()
    materials[1]["材料名称"] = "营业执照等材料"
    data = workbook(
        **{
            excel.MATTERS: [matter_row()],
            excel.MATERIALS: materials,
            excel.STEPS: step_rows(),
            excel.LISTINGS: [],
        }
    )
    report = excel.import_catalog(data, actor=cat.county_admin)
    assert [(e.sheet, e.row, e.column) for e in report.errors] == [("材料", 3, "材料名称")]
    assert "等材料" in report.errors[0].message
    assert not Matter.objects.filter(code="MX-001").exists()


def test_r_cat_8_promised_over_40_percent_without_reason_is_reported(cat):
    data = workbook(
        **{
            excel.MATTERS: [matter_row(法定时限=20, 承诺时限=9)],
            excel.MATERIALS: material_rows(),
            excel.STEPS: step_rows(),
            excel.LISTINGS: [],
        }
    )
    report = excel.import_catalog(data, actor=cat.county_admin)
    assert [(e.sheet, e.row, e.column) for e in report.errors] == [("事项", 2, "承诺时限")]
    assert "40%" in report.errors[0].message
    with_reason = workbook(
        **{
            excel.MATTERS: [
                matter_row(
                    法定时限=20,
                    承诺时限=9,
                    未达压缩要求的理由="须现场核查经营场所，涉及多部门会审。",
                )
            ],
            excel.MATERIALS: material_rows(),
            excel.STEPS: step_rows(),
            excel.LISTINGS: [],
        }
    )
    assert excel.import_catalog(with_reason, actor=cat.county_admin).applied


def test_r_net_3_unknown_department_and_out_of_scope_center_are_reported_not_created(cat):
    data = workbook(
        **{
            excel.MATTERS: [matter_row()],
            excel.MATERIALS: material_rows(),
            excel.STEPS: step_rows(),
            excel.LISTINGS: [
                listing_row(center="C622922", listing_code="KL-1", 实施部门="康乐县市场监督管理局"),
                listing_row(center="C622921", listing_code="LX-1", 实施部门="临夏县不存在局"),
            ],
        }
    )
    before = counts()
    report = excel.import_catalog(data, actor=cat.county_admin)
    assert lines(report) == [
        "第2行 [实施清单] 列“服务中心编码”：未找到服务中心“C622922”。",
        "第3行 [实施清单] 列“实施部门”：未找到部门“临夏县不存在局”。",
    ]
    assert counts() == before
    assert not Listing.objects.filter(center=cat.kangle_center).exists()


def test_r_cat_2_matter_fields_of_an_existing_matter_are_not_changed_by_import(listed):
    data = excel.export_workbook(actor=listed.county_admin, center=listed.linxia_center)
    data["事项"]["B2"] = "个体户登记"
    report = excel.import_catalog(excel.workbook_bytes(data), actor=listed.county_admin)
    assert [(e.sheet, e.row, e.column) for e in report.errors] == [("事项", 2, "事项名称")]
    assert "个体工商户登记" in report.errors[0].message


# --- a clean file goes through the normal approval path ----------------------------------------


def test_r_cat_4_import_leaves_new_listings_pending_until_approved(cat):
    progress = []
    report = excel.import_catalog(
        good_workbook(),
        actor=cat.county_admin,
        progress=lambda done, total, message: progress.append((done, total)),
    )
    assert lines(report) == [] and report.applied
    matter = Matter.objects.get(code="MX-001")
    assert matter.current_version is None
    assert matter.for_persons and matter.for_enterprises
    version = matter.versions.get()
    assert version.status == GuideVersion.Status.IN_REVIEW
    assert [m.name for m in version.materials.all()] == ["食品经营许可申请书", "营业执照"]
    assert [s.name for s in version.steps.all()] == ["受理", "审查", "决定"]
    change = ProcessChange.objects.get(proposed=version)
    assert (
        change.state == ReviewState.LEGALITY_REVIEW
    )  # R-CAT-8: legality review, then final review
    listing = Listing.objects.get(code="LX-MX-001")
    assert listing.status == Listing.Status.PENDING
    request = listing.change_requests.get()
    assert (
        request.kind == ChangeRequest.Kind.ENTER and request.state == ChangeRequest.State.SUBMITTED
    )
    assert request.approver_region == cat.linxia
    actions = set(
        AuditEvent.objects.filter(actor=cat.county_admin).values_list("action", flat=True)
    )
    assert {
        "matter.create",
        "guide.draft_create",
        "process_change.submit",
        "change_request.submit",
    } <= actions
    assert progress[0] == (0, 2) and progress[-1] == (2, 2)

    services.change_request_decide(actor=cat.gov_office, request=request, approve=True)
    listing.refresh_from_db()
    assert listing.status == Listing.Status.ACTIVE


def test_r_cat_8_changed_guide_of_a_published_matter_goes_to_process_review(listed):
    book = excel.export_workbook(actor=listed.county_admin, center=listed.linxia_center)
    book["事项"]["L2"] = 2  # 承诺时限 3 → 2
    book["实施清单"]["E2"] = "一楼综合窗口"
    report = excel.import_catalog(excel.workbook_bytes(book), actor=listed.approver)
    assert lines(report) == [] and report.applied
    assert (
        report.counts["guides_submitted"] == 1 and report.counts["listing_changes_requested"] == 1
    )
    matter = Matter.objects.get(pk=listed.matter.pk)
    assert matter.current_version.promised_days == 3  # unchanged until reviewed
    draft = matter.versions.get(status=GuideVersion.Status.IN_REVIEW)
    assert draft.promised_days == 2 and draft.materials.count() == 4
    request = ChangeRequest.objects.get(kind=ChangeRequest.Kind.CHANGE)
    assert request.payload == {"place": "一楼综合窗口"}
    again = excel.import_catalog(excel.workbook_bytes(book), actor=listed.county_admin)
    assert {e.message for e in again.errors} == {
        "该事项已有未发布的草稿或审核中的版本，请先办结该版本再导入。",
        "该事项在该中心已有待审批的申请，请等待审批结果后再导入。",
    }


# --- publishing an approved catalog: superuser only -------------------------------------------


def test_r_cat_4_publish_by_a_non_superuser_is_refused(cat, tmp_path):
    before = counts()
    report = excel.import_catalog(good_workbook(), actor=cat.county_admin, publish=True)
    assert not report.applied and "系统管理员" in report.errors[0].message
    path = tmp_path / "catalog.xlsx"
    path.write_bytes(good_workbook())
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_catalog",
            str(path),
            actor="county_admin",
            publish=True,
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "系统管理员" in err.getvalue()
    assert counts() == before
    version = services.guide_draft_create(actor=cat.approver, matter=cat.matter, promised_days=2)
    with pytest.raises(Forbidden):
        services.catalog_import_publish(actor=cat.county_admin, version=version, note="导入")


def test_r_cat_9_publish_by_superuser_publishes_and_activates_with_audit(cat):
    report = excel.import_catalog(good_workbook(), actor=cat.root, publish=True)
    assert lines(report) == [] and report.applied
    matter = Matter.objects.get(code="MX-001")
    assert matter.current_version.status == GuideVersion.Status.PUBLISHED
    assert Listing.objects.get(code="LX-MX-001").status == Listing.Status.ACTIVE
    assert not ChangeRequest.objects.filter(listing__code="LX-MX-001").exists()
    actions = list(AuditEvent.objects.filter(actor=cat.root).values_list("action", flat=True))
    assert "guide.import_publish" in actions and "listing.import_activate" in actions


# --- the command ---------------------------------------------------------------------------------


def test_r_cat_2_command_prints_every_bad_row_and_exits_non_zero(cat, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(
        workbook(
            **{
                excel.MATTERS: [matter_row(承诺时限="三天")],
                excel.MATERIALS: material_rows(),
                excel.STEPS: step_rows(),
                excel.LISTINGS: [listing_row(center="C999")],
            }
        )
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="共2处错误"):
        call_command(
            "import_catalog", str(path), actor="county_admin", stdout=io.StringIO(), stderr=err
        )
    assert err.getvalue().splitlines() == [
        "第2行 [事项] 列“承诺时限”：“三天”不是整数。",
        "第2行 [实施清单] 列“服务中心编码”：未找到服务中心“C999”。",
    ]
    out = io.StringIO()
    path.write_bytes(good_workbook())
    call_command("import_catalog", str(path), actor="county_admin", dry_run=True, stdout=out)
    assert "检查通过" in out.getvalue() and not Matter.objects.filter(code="MX-001").exists()


def test_progress_bar_draws_in_place():
    out = io.StringIO()
    from django.core.management.base import OutputWrapper

    from onewindow.catalog.management.commands.import_catalog import TerminalBar

    bar = TerminalBar(OutputWrapper(out), enabled=True)
    bar(0, 4, "开始导入")
    bar(2, 4, "事项：MX-001")
    bar(4, 4, "导入完成")
    bar.close()
    text = out.getvalue()
    assert (
        text.count("\r") == 3 and " 50% 2/4" in text and "100% 4/4" in text and text.endswith("\n")
    )


# --- bad files never crash ------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"not a workbook at all", b"PK\x03\x04broken zip"])
def test_non_excel_or_empty_file_is_reported_not_crashed(cat, data):
    report = excel.import_catalog(data, actor=cat.county_admin)
    assert lines(report) == [
        "[文件]：文件不是有效的Excel工作簿（.xlsx），请使用“下载模板”得到的格式。"
    ]


def test_empty_template_and_missing_columns_are_reported(cat):
    assert lines(excel.import_catalog(workbook(), actor=cat.county_admin)) == [
        "[文件]：工作簿中没有任何数据行。"
    ]
    book = excel.template_workbook()
    book["环节"].delete_cols(4)
    report = excel.import_catalog(excel.workbook_bytes(book), actor=cat.county_admin)
    assert lines(report) == ["第1行 [环节] 列“办理要求”：缺少列“办理要求”（表头须在第1行）。"]


# --- pages -----------------------------------------------------------------------------------


def upload(client, data: bytes, name="catalog.xlsx", **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("catalog:excel_import"), {"file": SimpleUploadedFile(name, data), **extra}
    )


def test_page_bad_file_shows_the_error_table_and_changes_nothing(cat, client):
    client.force_login(cat.county_admin)
    assert client.get(reverse("catalog:excel_import")).status_code == 200
    before = counts()
    bad = workbook(
        **{
            excel.MATTERS: [matter_row(承诺时限="三天")],
            excel.MATERIALS: material_rows(),
            excel.STEPS: step_rows(),
            excel.LISTINGS: [listing_row(center="C622922")],
        }
    )
    response = upload(client, bad)
    assert response.status_code == 200
    body = response.content.decode()
    assert (
        "有 2 处错误" in body and "“三天”不是整数。" in body and "未找到服务中心“C622922”" in body
    )
    assert "第2行" in body and "确认导入" not in body
    assert counts() == before


@pytest.mark.parametrize(
    "data,name",
    [(b"", "empty.xlsx"), (b"%PDF-1.4 not excel", "scan.pdf"), (b"\x00\x01\x02", "catalog.xlsx")],
)
def test_page_non_excel_or_empty_upload_is_no_500(cat, client, data, name):
    client.force_login(cat.county_admin)
    response = upload(client, data, name)
    assert response.status_code == 200
    body = response.content.decode()
    assert "文件不是有效的Excel工作簿" in body or "上传的文件是空的" in body


def test_page_is_for_catalog_staff_only(cat, client):
    client.force_login(cat.clerk)
    assert client.get(reverse("catalog:excel_import")).status_code == 403
    client.logout()
    assert client.get(reverse("catalog:excel_import")).status_code == 302


def test_page_export_and_template_download(listed, client):
    client.force_login(listed.county_admin)
    assert client.get(reverse("catalog:excel_export")).status_code == 200
    response = client.get(reverse("catalog:excel_export"), {"download": "1", "center": "C622921"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book["实施清单"]["B2"].value == "C622921"
    out_of_scope = client.get(
        reverse("catalog:excel_export"), {"download": "1", "center": "C622922"}
    )
    assert out_of_scope.status_code == 400
    template = client.get(reverse("catalog:excel_template"))
    assert template.status_code == 200
    assert load_workbook(io.BytesIO(b"".join(template.streaming_content))).sheetnames[-1] == "说明"


def test_admin_change_lists_link_to_the_excel_pages(cat, client):
    client.force_login(cat.root)
    for model in ("matter", "listing"):
        body = client.get(reverse(f"admin:catalog_{model}_changelist")).content.decode()
        assert reverse("catalog:excel_import") in body and reverse("catalog:excel_export") in body


@pytest.mark.django_db(transaction=True)
def test_r_cat_4_page_flow_good_file_applies_in_background_with_progress(cat, client):
    client.force_login(cat.county_admin)
    response = upload(client, good_workbook())
    body = response.content.decode()
    assert "检查通过" in body and "确认导入" in body
    assert not Matter.objects.filter(code="MX-001").exists()
    token = client.session["catalog_excel_upload"]["token"]
    response = client.post(reverse("catalog:excel_apply"), {"token": token})
    assert response.status_code == 302
    job_url = response["Location"]
    status_url = job_url + "status/"
    deadline = time.monotonic() + 30
    status = client.get(status_url).json()
    while status["state"] == "running" and time.monotonic() < deadline:
        time.sleep(0.1)
        status = client.get(status_url).json()
    assert status["state"] == "done" and status["percent"] == 100
    assert status["done"] == status["total"] == 2
    page = client.get(job_url).content.decode()  # without JS: the result after a reload
    assert "导入完成" in page and "实施清单已提交进驻申请：1" in page and "<progress" in page
    assert Listing.objects.get(code="LX-MX-001").status == Listing.Status.PENDING
    assert Matter.objects.get(code="MX-001").versions.get().status == GuideVersion.Status.IN_REVIEW
    # the same token cannot be applied twice; another user cannot see the job
    assert client.post(reverse("catalog:excel_apply"), {"token": token}).status_code == 400
    client.force_login(cat.kangle_admin)
    assert client.get(status_url).status_code == 404


def test_r_cat_2_export_stores_days_as_numbers_fits_columns_and_names_the_file_in_chinese(
    listed, client
):
    from django.utils import timezone

    from onewindow.core import xlsx
    from tests.xlsx_checks import column, download, header_frozen, width

    client.force_login(listed.county_admin)
    response = client.get(reverse("catalog:excel_export"), {"download": "1", "center": "C622921"})
    today = timezone.localdate().isoformat()
    book = download(response, f"事项清单-临夏县政务服务中心-{today}.xlsx")
    matters = book["事项"]
    for header in ("法定时限", "承诺时限", "到现场次数"):
        (cell,) = column(matters, header)
        assert cell.data_type == "n" and isinstance(cell.value, int), header
        assert cell.number_format == xlsx.INTEGER
    assert column(matters, "法定时限")[0].value == 15
    assert column(book["材料"], "份数")[0].data_type == "n"
    conditions = column(matters, "受理条件")[0].value
    assert width(matters, "受理条件") >= min(xlsx.MAX_WIDTH, xlsx.text_width(conditions))
    assert all(header_frozen(book[name]) for name in excel.DATA_SHEETS)
    template = download(client.get(reverse("catalog:excel_template")), "事项清单导入模板.xlsx")
    assert width(template["事项"], "未达压缩要求的理由") >= xlsx.text_width("未达压缩要求的理由")

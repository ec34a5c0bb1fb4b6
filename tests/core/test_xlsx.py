"""The one Excel helper every export uses (``core.xlsx``): widths count a Chinese
character as two, file names go out in RFC 5987 form with an ASCII stand-in."""

from __future__ import annotations

from openpyxl import Workbook

from onewindow.core import xlsx


def test_r_net_3_widths_count_chinese_characters_double_and_fit_the_longest_cell():
    assert xlsx.text_width("abc") == 3 and xlsx.text_width("临夏县") == 6
    assert xlsx.text_width("一行\n很长的第二行") == 12 and xlsx.text_width(12.5) == 4
    book = Workbook()
    ws = xlsx.add_sheet(
        book,
        "表",
        ["名称", "件数", "比例"],
        [["临夏县政务服务中心企业开办综合窗口", 12, 0.125], ["短", 3, None]],
        formats={"比例": xlsx.PERCENT},
        first=True,
    )
    assert ws.freeze_panes == "A2" and ws["A1"].font.b
    assert ws.column_dimensions["A"].width == 34 + 2
    assert ws.column_dimensions["B"].width == xlsx.MIN_WIDTH
    assert ws["C2"].number_format == xlsx.PERCENT and ws["C2"].value == 0.125
    assert ws["B2"].data_type == "n"


def test_r_net_3_content_disposition_names_the_file_in_chinese_with_an_ascii_stand_in():
    value = xlsx.content_disposition("12345答复-2026-12-03.xlsx")
    assert value == (
        'attachment; filename="12345-2026-12-03.xlsx"; '
        "filename*=UTF-8''12345%E7%AD%94%E5%A4%8D-2026-12-03.xlsx"
    )
    assert 'filename="download.xlsx"' in xlsx.content_disposition("好差评统计.xlsx")
    assert '"' not in xlsx.content_disposition('a"b.xlsx').split("filename*")[1]

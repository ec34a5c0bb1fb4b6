"""R-HALL-2 statistics charts: axes of counts carry whole numbers only (the chart code
is shared by the hall, evaluation and complaint statistics)."""

from __future__ import annotations

from onewindow.planning import charts as stats_charts


def labels(chart) -> list[str]:
    return [t.label for t in chart.ticks]


def test_r_hall_2_count_axes_have_integer_ticks_only():
    for highest in (1, 2, 3, 5, 7, 11, 23, 99, 101, 1234):
        chart = stats_charts.bar_chart(
            [("甲", float(highest), None, ""), ("乙", 1.0, 0.0, "")],
            title="件数",
            desc="",
            unit="件",
        )
        values = [float(v) for v in labels(chart)]
        assert all(v == int(v) for v in values), (highest, values)
        assert values[0] == 0 and values[-1] >= highest and len(values) <= 6
        assert len(set(values)) == len(values)
    two = stats_charts.bar_chart([("甲", 2.0, 1.0, "")], title="", desc="", unit="条")
    assert labels(two) == ["0", "1", "2"]


def test_r_hall_2_measured_axes_keep_their_fractions():
    chart = stats_charts.bar_chart([("9时", 2.0, 1.5, "")], title="", desc="", unit="分钟")
    assert "0.5" in labels(chart)

"""Staff numbers (工号) of the demo's people: four or five digits, never their login,
so that pages and exports that name a person by name and staff number show what a
real center would."""

from __future__ import annotations


def person(index: int) -> str:
    """The named people of ``data.PEOPLE`` (1, 2 …): 1001, 1002 …"""
    return f"1{index:03d}"


def clerk(region_code: str, window: int) -> str:
    """The clerk of a center's window: the region's last two digits and the window
    (临夏县 622921, window 3 → 2103)."""
    return f"{region_code[-2:]}{window:02d}"


def approver(department_id: int) -> str:
    """A department's stand-in approver: 8 and the department (80012)."""
    return f"8{department_id:04d}"


def extra(n: int) -> str:
    """The few people added for one demo story: 9001, 9002 …"""
    return f"9{n:03d}"

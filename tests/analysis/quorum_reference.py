"""A second reading of a quorum, written from issue 13's text alone, for checking `joinedup.analysis.quorum`.

Deliberately another shape: plain dicts and brute force. For a share it tries every count from 0 upwards until
one is a large enough fraction (by cross-multiplying), and it decides who is there by walking every attendance
row for every member. It returns only whether the meeting is quorate and which members counted.

Not collected by pytest (no test_ prefix).
"""

from __future__ import annotations

from typing import Any

THERE = ("present", "present_online", "substitute")  # "in_attendance", "apologies", "absent" never count


def reference_quorum(
    rule: dict[str, Any], members: list[tuple[Any, str]], rows: list[tuple[Any, str]]
) -> dict[str, Any]:
    """`rule`: {"min_count": int|None, "share": int|None, "constituencies": [(key, minimum), ...]};
    `members`: (key, constituency) of each voting member; `rows`: (member key, status) of each person."""
    counted = []
    for key, constituency in members:
        for member, status in rows:
            if member == key and status in THERE:
                counted.append((key, constituency))
                break
    ok = True
    if rule.get("min_count") is not None and len(counted) < rule["min_count"]:
        ok = False
    share = rule.get("share")
    if share is not None:
        total = len(members)
        if total == 0:
            ok = False
        else:
            smallest = None
            for k in range(total + 1):
                if k * 100 >= share * total:  # k/total >= share/100
                    smallest = k
                    break
            if smallest is None or len(counted) < smallest:
                ok = False
    for key, minimum in rule.get("constituencies", []):
        if len([1 for _, c in counted if c == key]) < minimum:
            ok = False
    return {"quorate": ok, "counted": [k for k, _ in counted]}

"""axe-core, the accessibility engine, run in a page: the copy bundled with the pinned
``axe-playwright-python`` package (axe-core 4.12), injected from disk (no network)."""
from __future__ import annotations

from importlib.resources import files

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _script() -> str:
    return (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def violations(page, tags=WCAG_AA, rules: dict | None = None) -> list[dict]:
    """axe-core's violations in ``page`` as it stands, for the WCAG ``tags``; each with its
    rule id, impact, help text and the elements (their selectors and axe's summary)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=_script())
    options = {"runOnly": {"type": "tag", "values": list(tags)}, "resultTypes": ["violations"]}
    if rules:
        options["rules"] = rules
    result = page.evaluate("async (options) => await axe.run(document, options)", options)
    return [{"rule": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [{"target": n["target"], "summary": n.get("failureSummary", "")}
                       for n in v["nodes"]]} for v in result["violations"]]


def report(found: list[dict]) -> str:
    """The violations as lines a failing test prints: the rule, then each element."""
    lines = []
    for v in found:
        lines.append(f"{v['rule']} ({v['impact']}): {v['help']}")
        for n in v["nodes"][:8]:
            lines.append(f"    {n['target']}: {n['summary'].splitlines()[-1] if n['summary'] else ''}")
        if len(v["nodes"]) > 8:
            lines.append(f"    ... and {len(v['nodes']) - 8} more")
    return "\n".join(lines)

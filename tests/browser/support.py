"""Helpers of the headless-browser tests."""

import os

AXE_SCRIPT = os.path.join(os.path.dirname(__file__), "vendor", "axe.min.js")


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core on the page and return the violations of the given impacts."""
    # Evaluated through the browser's DevTools channel rather than added as an inline <script>,
    # which the portal's Content-Security-Policy rightly blocks.
    with open(AXE_SCRIPT, encoding="utf-8") as script:
        page.evaluate(f"() => {{ {script.read()}\n}}")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]

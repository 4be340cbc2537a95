"""`--output-format junit`: JUnit XML, one test suite per file."""

from __future__ import annotations

from bpolang.check.outputs.common import Checked, display_path


def render_junit(checked: Checked) -> str:
    """JUnit XML: one testsuite per file, one failing testcase per diagnostic (a passing one if clean)."""
    import xml.etree.ElementTree as ET

    from bpolang.check.outputs.text import render_concise

    root = ET.Element("testsuites", name="bpo check")
    total = failures = 0
    for result, diags in checked:
        path = display_path(
            getattr(getattr(result, "source", None), "path", None) or (diags[0].path if diags else None)
        )
        suite = ET.SubElement(
            root, "testsuite", name=path, tests=str(max(1, len(diags))), failures=str(len(diags)), errors="0"
        )
        if not diags:
            ET.SubElement(suite, "testcase", name="bpo check", classname=path)
            total += 1
        for d in diags:
            where = f"{d.span.line}:{d.span.col}" if d.span else ""
            case = ET.SubElement(suite, "testcase", name=f"{d.code} {d.name} {where}".strip(), classname=path)
            fail = ET.SubElement(case, "failure", message=d.message, type=d.severity.value)
            fail.text = render_concise(d, getattr(result, "source", None)) + (f"\nhelp: {d.help}" if d.help else "")
            total += 1
            failures += 1
    root.set("tests", str(total))
    root.set("failures", str(failures))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")

"""The timeline picture: valid XML, user strings inert, deterministic, what it draws."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from bpolang.check.pipeline import load, parse
from bpolang.i18n.fmt import Fmt
from bpolang.obligations.timeline import timeline_of
from bpolang.render import render

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.bpo"))
GOLDEN = Path(__file__).resolve().parent / "golden_calendar"
UPDATE = os.environ.get("BPO_UPDATE_GOLDEN") == "1"
SVG = "{http://www.w3.org/2000/svg}"

EVIL = "<script>alert(1)</script> & \"q\" 'a' ]]>"


def picture(text_or_path, lang: str = "en"):
    r = load(text_or_path) if isinstance(text_or_path, Path) else parse(text_or_path)
    assert r.contract is not None
    return timeline_of(r.contract, r.resolution, Fmt.for_contract(r.contract, lang))


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_parses_as_svg(path: Path, lang: str) -> None:
    tl = picture(path, lang)
    root = ET.fromstring(tl.svg)
    assert root.tag == SVG + "svg" and root.get("role") == "img"
    assert root.find(SVG + "title") is not None and root.find(SVG + "desc").text == tl.alt
    assert tl.svg == picture(path, lang).svg  # deterministic


def test_golden_svg_of_the_french_example() -> None:
    tl = picture(ROOT / "examples" / "comptabilite-fournisseurs.bpo", "fr")
    golden = GOLDEN / "comptabilite-fournisseurs.timeline.fr.svg"
    if UPDATE:
        golden.write_text(tl.svg, encoding="utf-8")
    assert tl.svg == golden.read_text(encoding="utf-8")


TEXT = f"""contract c "C" {{
  language: en
  governing_law: FR
  effective: 2027-01-01
  term: 24 months
  renewal: tacit 12 months notice 3 months
  milestone a "{EVIL.replace('"', "")}" {{ date: effective + 2 months }}
  milestone b "B" {{ date: effective + 3 months; long_stop: effective + 5 months }}
  governance {{ committee s "{EVIL.replace('"', "")} committee" {{ cadence: every quarter }} }}
}}
"""


def test_user_strings_stay_inert() -> None:
    tl = picture(TEXT)
    root = ET.fromstring(tl.svg)  # escaping kept it well-formed
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    texts = " ".join("".join(e.itertext()) for e in root.iter(SVG + "text"))
    assert "<script>alert(1)</script>" in texts  # shown as text, not markup
    assert "<script>" not in tl.svg and "&lt;script&gt;" in tl.svg
    html = render(parse(TEXT).contract, parse(TEXT).resolution, "html", "en").decode()
    assert "<script>" not in html and html.count("<svg") == 1


def test_what_the_picture_draws() -> None:
    root = ET.fromstring(picture(TEXT).svg)
    diamonds = root.findall(SVG + "path")
    assert len(diamonds) == 3  # two milestones and a long-stop date
    assert sum(1 for d in diamonds if d.get("fill") == "#ffffff") == 1  # the long stop is hollow
    ticks = [e for e in root.findall(SVG + "line") if e.get("stroke") == "#1f5fa8"]
    assert len(ticks) == 8  # a committee every quarter for 24 months
    dashed = [e for e in root.findall(SVG + "line") if e.get("stroke-dasharray")]
    assert len(dashed) == 1 and "1 October 2028" in dashed[0].find(SVG + "title").text  # the notice deadline
    years = [e.text for e in root.findall(SVG + "text") if (e.text or "").isdigit()]
    assert years == ["2027", "2028", "2029"]
    labels = [e for e in root.findall(SVG + "text") if e.get("text-anchor") == "end"]
    assert any(x.find(SVG + "title") is not None and x.find(SVG + "title").text.startswith("Meeting:") for x in labels)


def test_no_picture_without_dates() -> None:
    assert picture('contract c "C" {\n  language: en\n}\n') is None


def test_docs_picture_is_the_current_one() -> None:
    docs = ROOT / "docs" / "img" / "timeline-comptabilite-fr.svg"
    assert docs.read_text(encoding="utf-8") == (GOLDEN / "comptabilite-fournisseurs.timeline.fr.svg").read_text(
        encoding="utf-8"
    )

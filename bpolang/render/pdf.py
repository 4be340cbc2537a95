"""PDF from the HTML through WeasyPrint (optional extra `bpolang[pdf]`), with no network
and no file access: every URL the document names is refused."""

from __future__ import annotations

PDF_HINT = "PDF output needs WeasyPrint: pip install weasyprint (in bpolang's environment)"


class PdfUnavailable(RuntimeError):
    pass


class RefusingFetcher:
    """A WeasyPrint url_fetcher that fetches nothing: file:, http(s):, data: and any other
    scheme are refused; the URLs asked for are kept in ``requested``."""

    _fail_on_errors = False  # read by WeasyPrint ≥ 66 when a fetch fails

    def __init__(self) -> None:
        self.requested: list[str] = []

    def __call__(self, url: str, *args, **kwargs):
        self.requested.append(url)
        raise ValueError(f"bpolang does not fetch resources in rendered documents: {url[:80]}")


def write(html: str, fetcher: RefusingFetcher | None = None) -> bytes:
    return layout(html, fetcher).write_pdf()


def layout(html: str, fetcher: RefusingFetcher | None = None):
    """The HTML laid out in pages by WeasyPrint (a ``weasyprint.document.Document``)."""
    try:
        import weasyprint
    except Exception as exc:  # ImportError, or OSError when Pango is missing
        raise PdfUnavailable(PDF_HINT) from exc
    import logging

    # refused fetches are logged by WeasyPrint as warnings; they are expected here
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    doc = weasyprint.HTML(string=html, url_fetcher=fetcher if fetcher is not None else RefusingFetcher(), base_url=None)
    return doc.render()


def overflows(document) -> list[tuple[int, str, float]]:
    """What crosses the right margin of a laid-out document: (page number, the box's element and
    text, points beyond the margin) for every table, cell, line or picture wider than the text
    column.  Empty for a document whose every page keeps within its margins."""
    from weasyprint.formatting_structure import boxes

    found: list[tuple[int, str, float]] = []
    for number, page in enumerate(document.pages, 1):
        root = page._page_box
        right = root.content_box_x() + root.width
        for page_child in root.children:
            if isinstance(page_child, boxes.MarginBox):
                continue
            for box in page_child.descendants():
                if isinstance(box, boxes.TextBox | boxes.InlineBox) and box.width == 0:
                    continue
                beyond = box.border_box_x() + box.border_width() - right
                if beyond > 0.5:  # CSS px; half a pixel absorbs rounding
                    text = box.text if isinstance(box, boxes.TextBox) else getattr(box, "element_tag", "")
                    found.append((number, f"{type(box).__name__} {text[:40]!r}", round(beyond, 1)))
    return found

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
    try:
        import weasyprint
    except Exception as exc:  # ImportError, or OSError when Pango is missing
        raise PdfUnavailable(PDF_HINT) from exc
    import logging

    # refused fetches are logged by WeasyPrint as warnings; they are expected here
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    doc = weasyprint.HTML(string=html, url_fetcher=fetcher if fetcher is not None else RefusingFetcher(), base_url=None)
    return doc.write_pdf()

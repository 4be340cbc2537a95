"""Structure and scope (BPO1xx): parties, scope and its limits, deliverables, law and forum."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from bpolang.check.rules import law
from bpolang.check.rules.context import Context, given, listing, missing, none_of, stated
from bpolang.check.rules.gates import FR, RUN
from bpolang.check.rules.registry import rule
from bpolang.model import contract as C
from bpolang.model.values import Recurrence, Unknown

AREA = "structure"


@rule(
    "BPO101",
    "parties-and-roles",
    "error",
    area=AREA,
    refs="STR-01",
    source="Basic contract formation; GDPR Art. 28(3) (roles when personal data is processed)",
)
def parties_and_roles(ctx: Context):
    """Exactly one client and at least one provider, each identified, with a GDPR role when needed.

    ## What it checks
    The contract has exactly one `party client` and at least one `party provider`. Several
    clients that are the members of one `party_group` (co-clients, "the Publishers") count as one
    client; a group has at least two members, all of one role. Each of them
    gives a `legal_form`, and an `address` or a `registration`. When a `data` block holds personal
    data (`personal: yes`), each client and provider states its `gdpr_role`. `redacted` and `tbd`
    count as given.

    ## Why it matters
    A contract binds identified persons: without the legal form and the registration or address,
    the party who signs cannot be identified with certainty. When personal data is processed, the
    GDPR obligations fall on the controller and the processor: the roles must be stated.

    ## Example
    ```bpo fragment
    party client acme "ACME SAS" {
      legal_form: "SAS"
      address: "12 rue de la République, 69002 Lyon"
    }
    ```

    ## Fix
    ```bpo fragment
    party client acme "ACME SAS" {
      legal_form: "SAS"
      address: "12 rue de la République, 69002 Lyon"
    }
    party provider comptaplus "ComptaPlus SARL" {
      legal_form: "SARL"
      registration: "RCS Grenoble 987 654 321"
    }
    ```
    """
    c = ctx.contract
    clients, providers = ctx.parties("client"), ctx.parties("provider")
    if not clients:
        yield ctx.diag(
            "the contract names no client", ctx.header(c), help='add `party client my_client "Legal name" { ... }`'
        )
    group = C.group_of(c, clients[0].id or "") if clients else None
    co_clients = {m.id for m in group.members if isinstance(m, C.Ref)} if group else set()
    for extra in clients[1:]:
        if extra.id in co_clients:
            continue  # a co-client: the first client and this one act together as one group
        yield ctx.diag(
            f"the contract names a second client, `{extra.id}`",
            ctx.where(extra),
            labels=[(ctx.where(clients[0]), "the first client is declared here")],
            help="a contract has one client; declare the others as `party other` or in a separate contract",
        )
    if not providers:
        yield ctx.diag(
            "the contract names no provider",
            ctx.header(c),
            help='add `party provider my_provider "Legal name" { ... }`',
        )
    roles = {p.id: p.role for p in c.parties if p.id}
    for g in c.party_groups:
        members = [m.id for m in g.members if isinstance(m, C.Ref)]
        found = sorted({roles[m] for m in members if m in roles})
        if len(members) < 2:
            yield ctx.diag(
                f"party group `{g.id}` has fewer than two members",
                ctx.where(g),
                help="a group names the two or more parties that act together: `members: [first, second]`",
            )
        elif len(found) > 1:
            yield ctx.diag(
                f"party group `{g.id}` mixes parties of different roles ({', '.join(found)})",
                ctx.where(g),
                help="the members of a group act on one side: all clients or all providers",
            )
    personal = ctx.personal_data()
    for p in clients + providers:
        absent = []
        if not given(p.legal_form):
            absent.append("legal_form")
        if not given(p.address) and not given(p.registration):
            absent.append("address` or `registration")
        if absent:
            yield ctx.diag(
                f"{p.role} `{p.id}` is not fully identified: no {none_of(absent)}",
                ctx.where(p),
                help="give the legal form and the registration number or registered address",
            )
        if personal and not given(p.gdpr_role):
            role = "controller" if p.role == "client" else "processor"
            yield ctx.diag(
                f"{p.role} `{p.id}` has no `gdpr_role`, and the contract processes personal data",
                ctx.where(p),
                labels=[(ctx.where(personal[0]), "personal data is declared here")],
                help=f"state the role, e.g. `gdpr_role: {role}`",
                fix=ctx.insert_key(p, f"gdpr_role: {role}", f"add `gdpr_role: {role}`"),
            )


@rule(
    "BPO102",
    "scope-and-limits",
    "warning",
    area=AREA,
    refs="STR-02",
    source='Founding checklist ("limites de l\'intervention"); seen in real outsourcing contracts',
    applies=RUN,
)
def scope_and_limits(ctx: Context):
    """The scope is described, and so are its limits.

    ## What it checks
    The contract declares at least one `service`, and at least one `exclude` line saying what is
    not included.

    ## Why it matters
    Most disputes in outsourcing are about scope: what the provider does for the agreed price and
    what is extra work. Writing down the limits ("tax advice is not included") settles them
    before they arise.

    ## Example
    ```bpo fragment
    service invoice_entry "Supplier invoice entry" {
      includes: ["Entry and coding of supplier invoices"]
    }
    ```

    ## Fix
    ```bpo fragment
    service invoice_entry "Supplier invoice entry" {
      includes: ["Entry and coding of supplier invoices"]
    }
    exclude "Tax and legal advice"
    ```
    """
    c = ctx.contract
    if not c.services:
        yield ctx.diag(
            "the contract describes no service",
            ctx.header(c),
            help='add `service my_service "What is done" { includes: [...] }`',
        )
    elif not c.exclusions:
        yield ctx.diag(
            "the scope has no limits: no `exclude` line",
            ctx.where(c.services[0]),
            help='say what is not included, e.g. `exclude "Tax and legal advice"`',
        )


@rule(
    "BPO103",
    "deliverable-format-and-due",
    "error",
    area=AREA,
    refs="STR-03",
    source='Founding checklist ("livrables et leur format")',
)
def deliverable_format_and_due(ctx: Context):
    """Every deliverable has a due date or a recurrence, and a recurring one its format.

    ## What it checks
    Each `deliverable` says when it is `due`: a date, a date relative to an event, or a
    recurrence. A recurring deliverable (`due: every month on day 5`) — a file or a report the
    client's systems and people take in period after period — also gives its `format` (CSV,
    XLSX, PDF...). A one-off deliverable (a plan, a manual, a release) needs no format: it is
    judged by its content and its acceptance.

    ## Why it matters
    A deliverable without a due date can never be late. A periodic delivery without a format can
    change shape from one period to the next, and the client's processing breaks with no breach
    to point at.

    ## Example
    ```bpo fragment
    deliverable procedures_manual "Procedures manual" {
      format: PDF
    }
    ```

    ## Fix
    ```bpo fragment
    deliverable procedures_manual "Procedures manual" {
      format: PDF
      due: effective + 6 weeks
    }
    ```
    """
    for d in ctx.contract.deliverables:
        absent = missing(d, ("format", "due") if isinstance(d.due, Recurrence) else ("due",))
        if absent:
            yield ctx.diag(
                f"deliverable `{d.id}` has no {none_of(absent)}",
                ctx.where(d),
                help="e.g. `format: PDF` and `due: effective + 6 weeks` or `due: every month on day 5`",
            )


@rule(
    "BPO104",
    "request-handling-and-tools",
    "warning",
    area=AREA,
    refs="STR-04",
    source='Founding checklist; DWP/MSC "procedures manual"',
    applies=RUN,
)
def request_handling_and_tools(ctx: Context):
    """How requests reach the provider, and how fast they are acknowledged and prioritised.

    ## What it checks
    Among the services the provider performs: at least one gives `channels`, requests are
    acknowledged (an `acknowledgement` time, or a service level with `severity` response times)
    and prioritised (`prioritisation`, `method`, or severities). The tools used (`tools`) are
    recorded when the contract names them, but their absence is not a finding: naming a ticketing
    tool is operating practice with no legal effect.

    ## Why it matters
    The day-to-day relationship runs on requests: without agreed channels, acknowledgement times
    and priorities, every urgent request becomes a negotiation.

    ## Example
    ```bpo fragment
    service invoice_entry "Supplier invoice entry" {
      includes: ["Entry and coding of supplier invoices"]
    }
    ```

    ## Fix
    ```bpo fragment
    service invoice_entry "Supplier invoice entry" {
      includes: ["Entry and coding of supplier invoices"]
      channels: [portal, email]
      acknowledgement: 4 hours
      prioritisation: "Blocking requests first, then by date received"
      tools: ["Sage 100"]
    }
    ```
    """
    c = ctx.contract
    services = law.provider_services(ctx)  # what the client does itself is not the provider's to organise
    if not services:
        return
    sev = any(s.severities for s in c.service_levels)
    have = {
        "channels": any(stated(s, "channels") for s in services),
        "acknowledgement": sev or any(stated(s, "acknowledgement") for s in services),
        "prioritisation": sev or any(stated(s, "prioritisation") or stated(s, "method") for s in services),
    }
    absent = [k for k, ok in have.items() if not ok]
    if absent:
        yield ctx.diag(
            f"no service says how requests are handled: no {listing(absent)}",
            ctx.where(services[0]),
            help="state the request channels, the acknowledgement time and how requests are prioritised",
        )


@rule(
    "BPO105",
    "law-and-forum",
    "warning",
    area=AREA,
    refs="STR-05",
    source="EBA/GL/2019/02 §75(c); seen in real outsourcing contracts",
)
def law_and_forum(ctx: Context):
    """The governing law, the competent court or arbitration, and (French law) an escalation path are set.

    ## What it checks
    The contract gives `governing_law` and a forum (a `jurisdiction`, `jurisdiction: none` chosen
    on purpose, or arbitration). Arbitration replaces the courts: when the contract sends disputes
    to arbitration (an `arbitration` block, or a `dispute_resolution` that says so), no
    `jurisdiction` is asked for. Under French law it also asks for an escalation path before
    proceedings (`dispute_resolution`, or escalation `level`s in `governance`): a French writ
    states what was tried to settle the dispute amicably (art. 54 Code de procédure civile). Other
    laws expect no such step, and a clause without one is complete there.

    ## Why it matters
    Without a governing law and a forum, a dispute starts with a dispute about where and under
    which law to litigate. An agreed escalation resolves most disagreements without a court.

    ## Example
    ```bpo fragment
    governing_law: FR
    ```

    ## Fix
    ```bpo fragment
    governing_law: FR
    jurisdiction: "Tribunal des activités économiques de Lyon"
    dispute_resolution: "Conciliation between the managing directors within 30 days, then mediation"
    ```
    """
    c = ctx.contract
    absent = []
    if not given(c.governing_law):
        absent.append("governing_law")
    if not given(c.jurisdiction) and not law.arbitration_agreed(ctx):
        absent.append("jurisdiction")  # binding arbitration replaces the courts
    if FR(ctx) and not given(c.dispute_resolution) and not (c.governance and c.governance.escalation):
        absent.append("dispute_resolution")  # French procedure asks what was tried first (art. 54 CPC)
    if absent:
        yield ctx.diag(
            f"the contract does not say {listing(absent)}",
            ctx.value(c, "governing_law") or ctx.header(c),
            help="set the governing law, the competent court (or arbitration) and the escalation before proceedings",
        )


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()


@rule("BPO106", "references-resolve", "error", area=AREA, refs="STR-06", source="seen in real outsourcing contracts")
def references_resolve(ctx: Context):
    """No two clauses or parties share a title: a defined term has one definition.

    ## What it checks
    References to ids are checked by the language itself ([BPO014](../diagnostics.md),
    [BPO019](../diagnostics.md)). This rule checks what the language does not: two `clause`
    blocks with the same title (the same term defined twice), and two parties with the same
    legal name.

    ## Why it matters
    Two definitions of one term, or one company declared twice under two ids, make every clause
    that uses them ambiguous.

    ## Example
    ```bpo fragment
    clause confidential_information "Confidential Information" {
      text: "Any information marked confidential."
    }
    clause confidential_info_2 "Confidential Information" {
      text: "Any information disclosed under the Contract."
    }
    ```

    ## Fix
    ```bpo fragment
    clause confidential_information "Confidential Information" {
      text: "Any information marked confidential, or disclosed under the Contract."
    }
    ```
    """
    for kind, items in (("clause", ctx.contract.clauses), ("party", ctx.contract.parties)):
        seen: dict[str, object] = {}
        for item in items:
            if not item.title:
                continue
            key = _norm(item.title)
            if key in seen:
                first = seen[key]
                yield ctx.diag(
                    f'{kind} `{item.id}` has the same title as `{first.id}`: "{item.title}"',  # type: ignore[attr-defined]
                    ctx.where(item),
                    labels=[(ctx.where(first), "first defined here")],
                    help="merge the two, or give each its own title",
                )
            else:
                seen[key] = item


@rule("BPO107", "scope-overlap", "warning", area=AREA, source="Founding checklist (scope and its limits)")
def scope_overlap(ctx: Context):
    """Something is both included in a service and excluded from the scope.

    ## What it checks
    Compares each service's title and `includes` items with each `exclude` line, ignoring case
    and punctuation: the same text, or an included item that contains the whole exclusion as
    words, is reported. An exclusion narrower than what is included ("Conversion" in scope,
    "Conversion of legacy archives" excluded) is a limit of the scope, not an overlap, and a
    word is never matched inside another word.

    ## Why it matters
    When the same activity is both in and out of scope, each party will read the contract its
    own way: the provider will bill it as extra work, the client will expect it for the price.

    ## Example
    ```bpo fragment
    service invoice_entry "Supplier invoice entry" {
      includes: ["Entry of supplier invoices", "Supplier account reconciliation"]
    }
    exclude "Supplier account reconciliation"
    ```

    ## Fix
    ```bpo fragment
    service invoice_entry "Supplier invoice entry" {
      includes: ["Entry of supplier invoices"]
    }
    exclude "Supplier account reconciliation"
    ```
    """
    excl = [(e, _norm(e.title or "")) for e in ctx.contract.exclusions if e.title]
    for s in ctx.contract.services:
        texts = ([s.title] if s.title else []) + [x for x in s.includes if isinstance(x, str)]
        for t in texts:
            n = _norm(t)
            if len(n) < 6:
                continue
            for e, en in excl:
                if len(en) >= 6 and f" {en} " in f" {n} ":
                    span = _include_span(ctx, s, t)
                    yield ctx.diag(
                        f'"{t}" is in the scope of `{s.id}` and excluded from it',
                        span,
                        labels=[(ctx.header(e), "excluded here")],
                        help="remove it from one of the two, or make the exclusion more precise",
                    )


def _include_span(ctx: Context, service, text: str):
    s = ctx.stmt(service)
    if s is not None:
        where = ctx.file_of(service)
        pos = ctx.view(where).text.find(text, s.start, s.end)
        if pos >= 0:
            return ctx.span(pos - 1, pos + len(text) + 1, where)
    return ctx.where(service)


@rule("BPO108", "value-to-be-decided", "info", area=AREA, source="bpolang (drafting reminder)")
def value_to_be_decided(ctx: Context):
    """A value is still `tbd`: a reminder to agree it before signature.

    ## What it checks
    Every value written `tbd` (to be decided), named by its key and the block it is in. `redacted`
    values, withheld on purpose, are not reported, nor `per_order` ones: the contract itself
    settles that they are agreed order by order (a project's price agreed before the project).
    Nor is a `tbd` in the value of a fee whose amount one party fixes (`set_by`).

    ## Why it matters
    `tbd` keeps the checker quiet about a missing value while the contract is negotiated. Each
    one must be agreed before signature.

    ## Example
    ```bpo fragment
    termination {
      notice: tbd
    }
    ```

    ## Fix
    ```bpo fragment
    termination {
      notice: 3 months
    }
    ```
    """
    from bpolang.resolve.references import walked

    walk = walked(ctx.contract)
    tbd = [t for t in walk.of(Unknown) if t[2].unknown == "tbd" and t[2].span is not None]
    # a value inside a phrase (`min(tbd, ...)`) -> its owner and key, to name the block's key
    parents = {id(v): (o, n) for o, n, v in walk.triples if isinstance(v, BaseModel)} if tbd else {}
    for owner, name, value in tbd:
        while not isinstance(getattr(owner, "id", None), str) and id(owner) in parents:
            owner, name = parents[id(owner)]
        if isinstance(owner, C.Fee) and owner.set_by is not None:
            continue  # one party fixes the amount: nothing is left to agree
        block = getattr(owner, "id", None)
        where = f" of `{block}`" if isinstance(block, str) else ""
        yield ctx.diag(f"`{name}`{where} is still to be decided", value.span, help="agree the value before signature")


@rule(
    "BPO109",
    "unknown-country-code",
    "error",
    area=AREA,
    refs="STR-05",
    source="ISO 3166-1 (country codes), ISO 3166-2 (subdivision codes)",
)
def unknown_country_code(ctx: Context):
    """A party's country or a data location is not an ISO 3166 code.

    ## What it checks
    A party's `country` and each data `location` are ISO 3166-1 alpha-2 codes. `UK` and `EL`
    (Greece in EU texts) are accepted. A name or an alpha-3 code (`France`, `DEU`) gets a "did you
    mean" with the alpha-2 code. (`governing_law` is checked when the contract is read: a code
    that is not a law code is [BPO017](../diagnostics.md), one mistake, one finding.)

    ## Why it matters
    Where a party is established and where the data lies decide which rules apply (the GDPR,
    DORA). A code the checker cannot read silently turns them off.

    ## Example
    ```bpo fragment
    party provider bpo "BPO Ltd" { country: FRA }
    ```

    ## Fix
    ```bpo fragment
    party provider bpo "BPO Ltd" { country: FR }
    ```
    """
    c = ctx.contract
    checks: list[tuple[str, Any, str, bool]] = []
    for p in c.parties:
        country = getattr(p, "country", None)
        if isinstance(country, str):
            checks.append((country, p, "country", False))
    for d in c.data:
        for word in d.location:
            checks.append((word, d, "location", False))
    for code, node, key, subdivisions in checks:
        problem = law.code_problem(code, subdivisions)
        if problem is None:
            continue
        message, suggestion = problem
        span = ctx.value(node, key)
        fix = None
        if suggestion is not None and key != "location":
            fix = ctx.replace(span, suggestion, f"replace with `{suggestion}`")
        yield ctx.diag(
            message,
            span,
            help=f"did you mean `{suggestion}`?" if suggestion else "use a code such as `FR`, `DE`, `US` or `US-NY`",
            fix=fix,
        )

"""Regulated financial entities (BPO9xx): DORA Art. 30 and the EBA outsourcing guidelines."""

from __future__ import annotations

from bpolang.check.rules.context import Context, given
from bpolang.check.rules.gates import FINANCIAL
from bpolang.check.rules.registry import rule
from bpolang.model.values import Duration, Percentage

AREA = "financial"


def _report(ctx: Context, label: str, items: list[tuple[str, bool]]):
    missing = [name for name, ok in items if not ok]
    if missing:
        yield ctx.diag(
            f"{label}: {len(missing)} required item{'s' if len(missing) > 1 else ''} missing",
            ctx.where(ctx.client) if ctx.client else ctx.header(ctx.contract),
            notes=[("✗ " if not ok else "✓ ") + name for name, ok in items],
            help="each missing item is a key of the contract; see `bpo rule " + ctx.rule.code + "`",
        )


@rule(
    "BPO901",
    "dora-30-2",
    "error",
    area=AREA,
    refs="FIN-01",
    applies=FINANCIAL,
    verify=True,
    source="DORA (Regulation 2022/2554) Art. 30(2), 28(7) [verify]",
)
def dora_30_2(ctx: Context):
    """DORA: the key contractual provisions for every ICT-related service of a financial entity.

    ## What it checks
    When the client is a financial entity (`financial_entity: yes`), the items of DORA Art.
    30(2) that the model expresses: (a) the services described; (b) the locations of data
    (`location` on each data block); (c) data protection (`security` on each data block);
    (d) return of data at exit (`exit.data_return`); (e) service levels; (g) cooperation with
    authorities (`audit`); (h) termination rights with grounds (`for_cause.grounds`). Items
    (f) incident assistance and (i) security-awareness training are written in clauses (not
    modelled). The findings list every item in notes.

    ## Why it matters
    Art. 30(2) lists what a contract with an ICT third-party provider must contain; supervisors
    review outsourcing registers against it.

    ## Example
    ```bpo fragment
    party client bank "Banque Exemple SA" { financial_entity: yes }
    service back_office "Back office" { includes: ["Payments"] }
    ```

    ## Fix
    ```bpo fragment
    party client bank "Banque Exemple SA" { financial_entity: yes }
    service back_office "Back office" { includes: ["Payments"] }
    sla processing "Payments processed same day" {
      target: 99%
      comparator: at_least
      window: monthly
    }
    data payments "Payment files" {
      personal: no
      retention: 5 years after collection
      location: [FR]
      security: [encryption_at_rest]
      audit: "Unrestricted audit by the client and its supervisors"
    }
    termination {
      for_cause {
        by: both
        cure: 30 days
        grounds: ["Breach of applicable law", "Instruction of a supervisory authority"]
      }
    }
    exit {
      data_return: 30 days
    }
    ```
    """
    c = ctx.contract
    ex, t = c.exit, c.termination
    items = [
        ("(a) services described", any(s.includes or given(s.description) for s in c.services)),
        ("(b) data locations", bool(c.data) and all(given(d.location) for d in c.data)),
        ("(c) data protection measures", any(given(d.security) for d in c.data)),
        ("(d) return of data at exit", ex is not None and given(ex.data_return)),
        ("(e) service levels", bool(c.service_levels)),
        ("(g) cooperation with authorities (audit)", any(given(d.audit) for d in c.data)),
        ("(h) termination rights with grounds", bool(t and t.for_cause and t.for_cause.grounds)),
    ]
    yield from _report(ctx, "DORA Art. 30(2)", items)


@rule(
    "BPO902",
    "dora-30-3",
    "error",
    area=AREA,
    refs="FIN-02",
    applies=FINANCIAL,
    source="DORA (Regulation 2022/2554) Art. 30(3), 28(8)",
)
def dora_30_3(ctx: Context):
    """DORA: the additional provisions for critical or important functions.

    ## What it checks
    The model cannot yet flag a function as critical or important, so this applies to every
    contract of a financial entity: (a) service levels with precise targets; (b) notice and
    reporting (a governance `report`); (c) a tested continuity plan (`continuity.test`);
    (d) security measures (`security` on data); (e) unrestricted audit (`audit`); (f) a
    mandatory transition period at exit (`exit.transition`).

    ## Why it matters
    Art. 30(3) adds these provisions for critical or important functions, and Art. 28(8)
    requires exit strategies with a transition period.

    ## Example
    ```bpo fragment
    party client bank "Banque Exemple SA" { financial_entity: yes }
    ```

    ## Fix
    ```bpo fragment
    party client bank "Banque Exemple SA" { financial_entity: yes }
    sla processing "Payments processed same day" {
      target: 99%
      comparator: at_least
      window: monthly
    }
    governance {
      report monthly "Monthly report" {
        content: ["Service levels", "Incidents"]
        due: every month on business day 5
        recipients: [bank]
      }
    }
    continuity {
      plan: "Fallback site"
      rto: 4 hours
      test: every year
    }
    data payments "Payment files" {
      personal: no
      retention: 5 years after collection
      security: [encryption_at_rest]
      audit: "Unrestricted audit by the client and its supervisors"
    }
    exit {
      transition: 6 months
    }
    ```
    """
    c = ctx.contract
    items = [
        (
            "(a) service levels with precise targets",
            any(isinstance(s.target, (Percentage, Duration)) or s.severities for s in c.service_levels),
        ),
        ("(b) reporting (a governance report)", bool(c.governance and c.governance.reports)),
        ("(c) continuity plan tested", bool(c.continuity and given(c.continuity.test))),
        ("(d) security measures", any(given(d.security) for d in c.data)),
        ("(e) unrestricted audit", any(given(d.audit) for d in c.data)),
        ("(f) transition period at exit", bool(c.exit and given(c.exit.transition))),
    ]
    yield from _report(ctx, "DORA Art. 30(3)", items)


@rule("BPO903", "eba-75-78", "error", area=AREA, refs="FIN-03", applies=FINANCIAL, source="EBA/GL/2019/02 §75, §78")
def eba_75_78(ctx: Context):
    """EBA outsourcing guidelines: the agreement's contents (§75) and sub-outsourcing (§78).

    ## What it checks
    For a financial entity, the items the model expresses: governing law (§75(c)); the
    parties' financial obligations (`pricing`, §75(d)); insurance (§75(k)); termination rights
    (§75(q)); and for sub-outsourcing (§78): a `subcontracting` block whose `mode` is stated,
    with activities `excluded` from sub-outsourcing and the provider remaining liable
    (`prime_liable`), and a `notice` when the client is only notified.

    ## Why it matters
    Supervised institutions must show their supervisor that each outsourcing agreement of a
    critical or important function contains these clauses.

    ## Example
    ```bpo fragment
    party client bank "Banque Exemple SA" { financial_entity: yes }
    subcontracting {
      mode: notice_objection
    }
    ```

    ## Fix
    ```bpo fragment
    party client bank "Banque Exemple SA" { financial_entity: yes }
    governing_law: FR
    pricing {
      currency: EUR
      model: fixed
      fee run "Monthly fee": 8500 EUR every month
    }
    insurance pi "Professional indemnity" { amount: 2000000 EUR }
    termination {
      for_cause {
        by: both
        cure: 30 days
      }
    }
    subcontracting {
      mode: notice_objection
      notice: 60 days
      prime_liable: yes
      excluded: ["Payment release"]
    }
    ```
    """
    c = ctx.contract
    sc = c.subcontracting
    allowed = sc is not None and sc.mode != "prohibited"
    items = [
        ("§75(c) governing law", given(c.governing_law)),
        ("§75(d) financial obligations (pricing)", c.pricing is not None),
        ("§75(k) insurance", bool(c.insurance)),
        ("§75(q) termination rights", bool(c.termination and c.termination.for_cause)),
        ("§78 sub-outsourcing regime stated", sc is not None and given(sc.mode)),
        ("§78(a) activities excluded from sub-outsourcing", not allowed or bool(sc and sc.excluded)),
        ("§78(c) provider remains liable", not allowed or bool(sc and sc.prime_liable is True)),
        (
            "§78(d) prior notice of sub-outsourcing",
            not (sc and sc.mode == "notice_objection") or bool(sc and given(sc.notice)),
        ),
    ]
    yield from _report(ctx, "EBA/GL/2019/02 §75/§78", items)

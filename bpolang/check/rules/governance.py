"""Governance (BPO6xx): reports, follow-up meetings, escalation and key personnel."""

from __future__ import annotations

from bpolang.check.rules.context import Context, days, listing, missing, none_of
from bpolang.check.rules.gates import RUN
from bpolang.check.rules.registry import rule
from bpolang.model.values import Duration

AREA = "governance"


@rule(
    "BPO601",
    "reporting-cadence",
    "warning",
    area=AREA,
    refs="GOV-01",
    source="Founding checklist (reporting régulier); EBA/GL/2019/02 §75(j)",
    applies=RUN,
)
def reporting_cadence(ctx: Context):
    """The provider reports regularly: content, rhythm and recipients.

    ## What it checks
    `governance` has at least one `report`, and each report gives its `content`, when it is
    `due` and its `recipients`.

    ## Why it matters
    Outsourcing is managed through reports: without them the client learns of problems when
    they reach its own customers.

    ## Example
    ```bpo fragment
    governance {
      report monthly "Monthly report" {
        content: ["Volumes", "Service levels"]
      }
    }
    ```

    ## Fix
    ```bpo fragment
    governance {
      report monthly "Monthly report" {
        content: ["Volumes", "Service levels"]
        due: every month on business day 5
        recipients: [acme]
      }
    }
    ```
    """
    c = ctx.contract
    reports = c.governance.reports if c.governance else []
    if not reports:
        yield ctx.diag(
            "the contract provides for no regular report",
            ctx.header(c.governance) if c.governance else ctx.header(c),
            help='add `governance { report monthly "Monthly report" { content: [...]; due: every month on day 5; recipients: [client] } }`',
        )
    for r in reports:
        absent = missing(r, ("content", "due", "recipients"))
        if absent:
            yield ctx.diag(
                f"report `{r.id}` has no {none_of(absent)}",
                ctx.where(r),
                help="say what it contains, when it is due and who receives it",
            )


@rule(
    "BPO602",
    "follow-up-meetings",
    "warning",
    area=AREA,
    refs="GOV-02",
    source='Founding checklist (réunions de suivi); DWP "Governance and Reporting" schedule',
    applies=RUN,
)
def follow_up_meetings(ctx: Context):
    """Follow-up meetings are held, each on a cadence.

    ## What it checks
    `governance` has at least one `committee`, and each committee gives its `cadence`. Its
    `members`, `chair` and who takes the minutes (`minutes_by`) are worth writing when the
    contract says them, but are not asked for: a meeting "of the parties" binds each party to
    attend without a list of names, and minutes are a practice whose absence no law sanctions.

    ## Why it matters
    Regular meetings are where drift is caught early. A meeting with no cadence ("as convened",
    "from time to time") is one nobody can demand.

    ## Example
    ```bpo fragment
    governance {
      committee steering "Steering committee" {
        members: ["Client CFO", "Provider director"]
      }
    }
    ```

    ## Fix
    ```bpo fragment
    governance {
      committee steering "Steering committee" {
        cadence: every quarter
        members: ["Client CFO", "Provider director"]
        minutes_by: comptaplus
      }
    }
    ```
    """
    c = ctx.contract
    committees = c.governance.committees if c.governance else []
    if not committees:
        yield ctx.diag(
            "the contract provides for no follow-up meeting",
            ctx.header(c.governance) if c.governance else ctx.header(c),
            help='add `committee steering "Steering committee" { cadence: every quarter; members: [...]; minutes_by: ... }`',
        )
    for cm in committees:
        if missing(cm, ("cadence",)):
            yield ctx.diag(
                f"committee `{cm.id}` has no `cadence`",
                ctx.where(cm),
                help="say how often it meets, e.g. `cadence: every quarter`",
            )


@rule(
    "BPO603",
    "governance-levels",
    "info",
    area=AREA,
    refs="GOV-02",
    source='DWP "Governance and Reporting" schedule; seen in real outsourcing contracts',
    applies=RUN,
)
def governance_levels(ctx: Context):
    """A contract of more than 12 months has an operational and a steering level.

    ## What it checks
    When the term is longer than 12 months (or indefinite), `governance` has at least two
    committees (typically operational and steering).

    ## Why it matters
    Day-to-day issues and strategic ones do not belong in the same meeting; long contracts need
    both levels to stay aligned with the client's business.

    ## Example
    ```bpo fragment
    term: 36 months
    governance {
      committee operations "Operations committee" {
        cadence: every month
      }
    }
    ```

    ## Fix
    ```bpo fragment
    term: 36 months
    governance {
      committee operations "Operations committee" {
        cadence: every month
      }
      committee steering "Steering committee" {
        cadence: every quarter
      }
    }
    ```
    """
    c = ctx.contract
    long = c.term == "indefinite" or (isinstance(c.term, Duration) and (days(c.term) or 0) > 366)
    if long and c.governance is not None and len(c.governance.committees) == 1:
        yield ctx.diag(
            "one governance level for a contract of more than 12 months",
            ctx.where(c.governance.committees[0]),
            help="add a second committee: operational (monthly) and steering (quarterly)",
        )


@rule(
    "BPO604",
    "escalation-and-key-personnel",
    "info",
    area=AREA,
    refs="GOV-03",
    source="seen in real outsourcing contracts",
    applies=RUN,
)
def escalation_and_key_personnel(ctx: Context):
    """Named representatives, an escalation ladder with time boxes, and key personnel.

    ## What it checks
    `governance` gives `representatives`, escalation `level`s each with a time box, and
    `key_personnel` (a list of roles) or `key_person` blocks. Non-solicitation and continuity during disputes are written as clauses
    (not modelled).

    ## Why it matters
    Knowing who speaks for each party, how long each escalation step may take, and which roles
    the provider cannot replace at will keeps disputes short.

    ## Example
    ```bpo fragment
    governance {
      representatives: ["For ACME: Claire Martin", "For ComptaPlus: Julien Dufour"]
    }
    ```

    ## Fix
    ```bpo fragment
    governance {
      representatives: ["For ACME: Claire Martin", "For ComptaPlus: Julien Dufour"]
      level l1 "Service managers": 2 business days
      level l2 "Directors": 5 business days
      key_personnel: ["Engagement director"]
    }
    ```
    """
    g = ctx.contract.governance
    if g is None:
        return
    absent = []
    if not g.representatives:
        absent.append("representatives")
    if not g.escalation:
        absent.append("level")
    if not g.key_personnel and not g.key_persons:
        absent.append("key_personnel")
    if absent:
        yield ctx.diag(
            f"governance has no {listing(absent)}",
            ctx.header(g),
            help="name the representatives, the escalation levels with their time boxes, and the key personnel",
        )

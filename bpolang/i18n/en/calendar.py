"""English wording of the obligations calendar (`bpo calendar`) and of the timeline picture."""

CALENDAR = {
    # one event category per kind of obligation (iCalendar CATEGORIES)
    "category_effective": "Term",
    "category_end": "Term",
    "category_renewal_notice": "Notice",
    "category_renewal_option_notice": "Notice",
    "category_condition_precedent": "Long-stop date",
    "category_termination_notice": "Notice",
    "category_milestone": "Milestone",
    "category_long_stop": "Long-stop date",
    "category_deliverable": "Deliverable",
    "category_acceptance": "Acceptance",
    "category_report": "Report",
    "category_meeting": "Governance",
    "category_sla_period": "Service level",
    "category_invoice": "Invoicing",
    "category_payment": "Payment",
    "category_indexation_review": "Pricing",
    "category_continuity_test": "Continuity",
    "category_exit_plan": "Exit",
    "category_exit_plan_update": "Exit",
    "category_data_return": "Exit",
    "category_data_at_end": "Data protection",
    "category_transition_end": "Exit",
    # the CSV columns, in order
    "csv_date": "date",
    "csv_obligation": "obligation",
    "csv_kind": "kind",
    "csv_owed_by": "owed by",
    "csv_owed_to": "owed to",
    "csv_source_id": "source id",
    "csv_rule": "rule",
    "note_undated": "bpo: note: {n} obligation(s) without a computable date left out: {what}",
}

TIMELINE = {
    "title": "Timeline of the obligations",
    "milestones": "Milestones and deliverables",
    "sla": "Service-level measurement periods",
    "exit": "Exit and data",
    "start": "Start",
    "end": "End",
    "notice": "Notice",
    "alt": "Timeline from {start} to {end}: {singles} dated obligations shown as diamonds and {rows} recurring obligations shown as ticks.",
    "alt_notice": " Last day to give notice: {date}.",
    "alt_rows": " Rows: {rows}.",
}

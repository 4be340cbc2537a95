"""French wording of the obligations calendar (`bpo calendar`) and of the timeline picture."""

CALENDAR = {
    # one event category per kind of obligation (iCalendar CATEGORIES)
    "category_effective": "Durée",
    "category_end": "Durée",
    "category_renewal_notice": "Préavis",
    "category_renewal_option_notice": "Préavis",
    "category_condition_precedent": "Date butoir",
    "category_termination_notice": "Préavis",
    "category_milestone": "Jalon",
    "category_long_stop": "Date butoir",
    "category_deliverable": "Livrable",
    "category_acceptance": "Recette",
    "category_report": "Rapport",
    "category_meeting": "Gouvernance",
    "category_sla_period": "Niveau de service",
    "category_invoice": "Facturation",
    "category_payment": "Paiement",
    "category_indexation_review": "Prix",
    "category_continuity_test": "Continuité",
    "category_exit_plan": "Réversibilité",
    "category_exit_plan_update": "Réversibilité",
    "category_data_return": "Réversibilité",
    "category_data_at_end": "Protection des données",
    "category_transition_end": "Réversibilité",
    # the CSV columns, in order
    "csv_date": "date",
    "csv_obligation": "obligation",
    "csv_kind": "type",
    "csv_owed_by": "débiteur",
    "csv_owed_to": "créancier",
    "csv_source_id": "identifiant",
    "csv_rule": "règle",
    "note_undated": "bpo: note: {n} obligation(s) sans date calculable non exportée(s) : {what}",
}

TIMELINE = {
    "title": "Frise chronologique des obligations",
    "milestones": "Jalons et livrables",
    "sla": "Périodes de mesure des niveaux de service",
    "exit": "Réversibilité et données",
    "start": "Début",
    "end": "Fin",
    "notice": "Préavis",
    "alt": "Frise du {start} au {end}{nb}: {singles} échéances ponctuelles (losanges) et {rows} obligations périodiques (traits).",
    "alt_notice": " Date limite de préavis{nb}: {date}.",
    "alt_rows": " Lignes{nb}: {rows}.",
}

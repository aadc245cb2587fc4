"""The item ids of the built-in rubrics, in order: a contract that reports, stored results and saved
labels depend on, pinned here once for every test that checks it."""

DEFAULT_ITEM_IDS = (
    "greeting",
    "offer_help",
    "polite_address",
    "confirm_problem",
    "apology_on_complaint",
    "empathy",
    "ownership",
    "no_saya_tidak_tahu",
    "customer_left_no_worse",
    "agent_tone_non_negative",
    "positive_language",
    "no_blaming_language",
    "explain_cause",
    "solution_next_step",
    "specific_follow_up",
    "satisfaction_check",
    "closing_thanks",
    "no_interruptions",
    "no_dead_air",
    "hold_etiquette",
    "talk_ratio",
    "calm_voice",
    "confident_voice",
)

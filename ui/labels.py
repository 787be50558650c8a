"""What the GUI calls the core's codes: statuses, channels and languages, in words."""

STATUS_LABELS = {
    "draft": "Draft", "scheduled": "Scheduled", "in_progress": "In progress", "completed": "Completed",
    "postponed": "Postponed", "cancelled": "Cancelled",
}
CHANNEL_LABELS = {"print": "Print", "email": "Email", "both": "Print + email"}
LANGUAGE_LABELS = {"en": "English", "fr": "French", "de": "German", "es": "Spanish"}

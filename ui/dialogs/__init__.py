"""The dialogs: forms that add or edit records, and the windows of one task (letters, checks, import)."""

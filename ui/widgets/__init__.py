"""Widgets shared by pages and dialogs: the form dialog, the PDF preview and printing."""

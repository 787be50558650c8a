"""The pages of the main window, one module each, and the list page they are built on."""

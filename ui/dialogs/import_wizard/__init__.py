"""The tenant import wizard: the wizard and its first steps, the steps' layout, the preview and result."""

"""The Qt layer: shows and edits, and asks maintdesk/ to do the work."""

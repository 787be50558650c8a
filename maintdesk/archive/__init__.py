"""The archive wing: the proof of what was issued, for owners, auditors and courts.

The records export (`export`: the PDFs as issued, a CSV index, a manifest of fingerprints) and
the proof-of-notice report of each work order (`proof_of_notice`). It may import every wing below
it (planning, mail, imports, letters, records) and the shared basics; only the command line and
the GUI import it.
"""

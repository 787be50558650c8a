"""The notices wing: issuing you can trust.

Before anything is archived: the kind must fit the work order's state (maintdesk.letters.gates),
the checks must have no open error (`permit`), and each tenant gets the notice on the channels
they chose, on paper too where the law wants it (`plan`). Then `issue` prints and emails in one
step, recording the checks as they stood (drafts, the same letters marked DRAFT that use nothing
up, come from `letters.issuing.iter_render_drafts`); `corrections` voids an issued notice and
issues its correction; `due` issues everything the communication plan says is due (SMS through
`channels`). It imports planning, mail, channels, letters and records
and the shared basics; only the command line and the GUI import it.
"""

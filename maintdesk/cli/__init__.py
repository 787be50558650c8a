"""The command line: `maintdesk [--db PATH] COMMAND …`, one module per group of commands.

`app` builds the parser and runs a command; `context` holds what every command shares (the
database, the output, JSON printing); `data`, `work`, `notices`, `mail` and `records` each add
their commands. It sits on top of every wing of the core and nothing in `maintdesk` imports it.
"""

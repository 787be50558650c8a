"""Command line: what the notice law needs to know about a tenant or a building (docs/cli.md).

    tenant set ID [--email-consent DATE --consent-kept TEXT | --no-email-consent]
                  [--lease-notice DURATION | --no-lease-notice] [--json]
    property set ID [--lease-notice DURATION | --no-lease-notice] [--json]

A tenant's written consent to notices by email (the day it was signed and where the paper is kept)
and a lease's notice period when it is longer than the law's (48h, 2d, 1w; the tenant's lease
overrides the building's). Both are read by the checks (maintdesk.planning.rules).
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from datetime import date
from typing import Any

from maintdesk.cli.context import Context
from maintdesk.errors import InvalidInput
from maintdesk.records import views
from maintdesk.records.models import TenantRow

NO_LEASE_NOTICE = "none (the law's period applies)"


def register(prop_commands: Any, tenant_commands: Any) -> None:
    """`property set` and `tenant set`, beside `property list|show` and `tenant list`."""
    p_set = prop_commands.add_parser("set", help="set what the checks need to know about a property: its leases' "
                                                 "notice period")
    p_set.add_argument("id", type=int)
    _lease_options(p_set, "the notice period the building's leases give when longer than the law's")
    p_set.add_argument("--json", action="store_true", help="print JSON (see docs/cli.md)")
    p_set.set_defaults(handler=cmd_property_set)

    t_set = tenant_commands.add_parser("set", help="record a tenant's written consent to email notices, or "
                                                   "their lease's notice period")
    t_set.add_argument("id", type=int)
    consent = t_set.add_mutually_exclusive_group()
    consent.add_argument("--email-consent", metavar="DATE", type=_date,
                         help="the day the tenant consented in writing to notices by email (2026-03-01)")
    consent.add_argument("--no-email-consent", action="store_true",
                         help="no written consent to notices by email (clears the date and where it is kept)")
    t_set.add_argument("--consent-kept", metavar="TEXT",
                       help='where the signed consent is kept, e.g. "lease addendum, office binder 3"')
    _lease_options(t_set, "the notice period the tenant's lease gives when longer than the law's "
                          "(overrides the building's)")
    t_set.add_argument("--json", action="store_true", help="print JSON (see docs/cli.md)")
    t_set.set_defaults(handler=cmd_tenant_set)


def _lease_options(parser: argparse.ArgumentParser, what: str) -> None:
    lease = parser.add_mutually_exclusive_group()
    lease.add_argument("--lease-notice", metavar="DURATION", help=f"{what}: 48h, 2d, 1w ('' for none)")
    lease.add_argument("--no-lease-notice", action="store_true", help="the lease gives no longer notice than the law")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f'"{text}" is not a date such as 2026-03-01') from None


def _lease_notice(args: argparse.Namespace, current: str) -> str:
    if args.no_lease_notice:
        return ""
    return current if args.lease_notice is None else args.lease_notice


def cmd_property_set(args: argparse.Namespace, ctx: Context) -> int:
    if args.lease_notice is None and not args.no_lease_notice:
        raise InvalidInput("property set: say what to set: --lease-notice DURATION (48h, 2d, 1w) or --no-lease-notice")
    store = ctx.store()
    prop = store.get_property(args.id)
    saved = store.save_property(replace(prop, lease_notice=_lease_notice(args, prop.lease_notice)), opened=prop)
    view = {"id": saved.id, "name": saved.name, "lease_notice": saved.lease_notice}
    if args.json:
        ctx.print_json(view)
    else:
        ctx.print(f"{saved.name}: lease notice {saved.lease_notice or NO_LEASE_NOTICE}")
    return 0


def cmd_tenant_set(args: argparse.Namespace, ctx: Context) -> int:
    if args.email_consent is None and not args.no_email_consent and args.consent_kept is None \
            and args.lease_notice is None and not args.no_lease_notice:
        raise InvalidInput("tenant set: say what to set: --email-consent DATE --consent-kept TEXT, "
                           "--no-email-consent, --lease-notice DURATION or --no-lease-notice")
    if args.no_email_consent and args.consent_kept is not None:
        raise InvalidInput("consent-kept: a tenant without a consent has none kept; leave out --consent-kept "
                           "or --no-email-consent")
    store = ctx.store()
    tenant = store.get_tenant(args.id)
    changed = replace(tenant, lease_notice=_lease_notice(args, tenant.lease_notice))
    if args.no_email_consent:
        changed = replace(changed, email_consent_on=None, email_consent_kept="")
    else:
        if args.email_consent is not None:
            changed = replace(changed, email_consent_on=args.email_consent)
        if args.consent_kept is not None:
            changed = replace(changed, email_consent_kept=args.consent_kept)
    saved = store.save_tenant(changed, opened=tenant)
    unit = store.get_unit(saved.unit_id)
    prop = store.get_property(unit.property_id)
    view = views.tenant_view(TenantRow(saved, unit.label, prop.id, prop.name))
    if args.json:
        ctx.print_json(view)
        return 0
    consent = (f"given in writing on {view['email_consent_on']} (kept: {saved.email_consent_kept})"
               if saved.email_consent else "none recorded")
    lease = saved.lease_notice or (f"as the building's ({prop.lease_notice})" if prop.lease_notice
                                   else NO_LEASE_NOTICE)
    ctx.print(f"{saved.name} ({prop.name}, unit {unit.label})")
    ctx.print(f"  email consent: {consent}")
    ctx.print(f"  lease notice: {lease}")
    return 0

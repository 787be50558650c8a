"""The `Store`'s records of places and people: the organization, its senders, properties, units and tenants."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace

from maintdesk.errors import ConflictError, Problem, ValidationError
from maintdesk.records import validation
from maintdesk.records.models import Organization, Property, SenderProfile, Tenant, TenantRow, Unit
from maintdesk.records.store_base import StoreBase, from_row, to_row

class PlacesStore(StoreBase):
    # Organization ---------------------------------------------------------------------------

    def get_organization(self) -> Organization:
        return from_row(Organization, self._one("SELECT * FROM organization WHERE id = 1", (), "organization"))

    def save_organization(self, org: Organization) -> Organization:
        org = validation.clean_organization(org)
        with self.transaction():
            self._write("organization", to_row(org), 1)
        return org

    # Senders --------------------------------------------------------------------------------

    def list_senders(self) -> list[SenderProfile]:
        return [from_row(SenderProfile, r) for r in self._rows("SELECT * FROM senders ORDER BY id")]

    def get_sender(self, sender_id: int) -> SenderProfile:
        return from_row(SenderProfile, self._one("SELECT * FROM senders WHERE id = ?", (sender_id,), f"sender with id {sender_id}"))

    def sender_of(self, prop: Property) -> SenderProfile:
        """The sender of a building's letters: its own, else the first one, else an empty letterhead
        with the organization's name and language."""
        row = None
        if prop.sender_id is not None:
            row = self.db.execute("SELECT * FROM senders WHERE id = ?", (prop.sender_id,)).fetchone()
        row = row or self.db.execute("SELECT * FROM senders ORDER BY id LIMIT 1").fetchone()
        if row is not None:
            return from_row(SenderProfile, row)
        org = self.get_organization()
        return SenderProfile(label=org.name or "Main office", name=org.name, default_language=org.default_language)

    def save_sender(self, sender: SenderProfile) -> SenderProfile:
        others = {r["label"] for r in self._rows("SELECT label FROM senders WHERE id IS NOT ?", (sender.id,))}
        sender = validation.clean_sender(sender, others)
        with self.transaction():
            return replace(sender, id=self._write("senders", to_row(sender), sender.id))

    def delete_sender(self, sender_id: int) -> None:
        sender = self.get_sender(sender_id)
        users = [r["name"] for r in self._rows("SELECT name FROM properties WHERE sender_id = ? ORDER BY name", (sender_id,))]
        if users:
            raise ConflictError(f'"{sender.label}" cannot be deleted: {", ".join(users)} '
                                f'{"uses" if len(users) == 1 else "use"} it; choose another sender for '
                                f'{"it" if len(users) == 1 else "them"} first')
        with self.transaction():
            self.db.execute("DELETE FROM senders WHERE id = ?", (sender_id,))

    # Properties -----------------------------------------------------------------------------

    def list_properties(self) -> list[Property]:
        return [from_row(Property, r) for r in self._rows("SELECT * FROM properties ORDER BY name, id")]

    def get_property(self, property_id: int) -> Property:
        row = self._one("SELECT * FROM properties WHERE id = ?", (property_id,), f"property with id {property_id}")
        return from_row(Property, row)

    def save_property(self, prop: Property, opened: Property | None = None) -> Property:
        """Insert or update; `opened` as for save_tenant."""
        prop = validation.clean_property(prop)
        with self.transaction():
            if prop.sender_id is not None and not self._exists("senders", prop.sender_id):
                raise ValidationError([Problem("sender_id", f"there is no sender with id {prop.sender_id}")])
            self._refuse_if_changed(opened, self.get_property, f"property {prop.name}")
            return replace(prop, id=self._write("properties", to_row(prop), prop.id))

    def delete_property(self, property_id: int) -> None:
        prop = self.get_property(property_id)
        issued = self.db.execute(
            "SELECT count(*) FROM notices n JOIN work_orders w ON w.id = n.work_order_id WHERE w.property_id = ?",
            (property_id,),
        ).fetchone()[0]
        if issued:
            raise ConflictError(
                f'"{prop.name}" cannot be deleted: {issued} issued notices refer to its work orders '
                "and the archive keeps them"
            )
        with self.transaction():
            self.db.execute("DELETE FROM properties WHERE id = ?", (property_id,))

    # Units ----------------------------------------------------------------------------------

    def list_units(self, property_id: int) -> list[Unit]:
        rows = self._rows(
            "SELECT * FROM units WHERE property_id = ? ORDER BY floor IS NULL, floor, length(label), label",
            (property_id,),
        )
        return [from_row(Unit, r) for r in rows]

    def get_unit(self, unit_id: int) -> Unit:
        return from_row(Unit, self._one("SELECT * FROM units WHERE id = ?", (unit_id,), f"unit with id {unit_id}"))

    def save_unit(self, unit: Unit) -> Unit:
        if not self._exists("properties", unit.property_id):
            raise ValidationError([Problem("property_id", f"no property with id {unit.property_id}")])
        others = {
            r["label"] for r in self._rows(
                "SELECT label FROM units WHERE property_id = ? AND id IS NOT ?", (unit.property_id, unit.id)
            )
        }
        unit = validation.clean_unit(unit, others)
        with self.transaction():
            return replace(unit, id=self._write("units", to_row(unit), unit.id))

    def delete_unit(self, unit_id: int) -> None:
        unit = self.get_unit(unit_id)
        with self.transaction():
            self.db.execute("DELETE FROM units WHERE id = ?", (unit.id,))

    # Tenants --------------------------------------------------------------------------------

    def list_tenants(self, property_id: int | None = None, *, active_only: bool = False) -> list[TenantRow]:
        sql = (
            "SELECT t.*, u.label AS unit_label, p.id AS property_id, p.name AS property_name "
            "FROM tenants t JOIN units u ON u.id = t.unit_id JOIN properties p ON p.id = u.property_id"
        )
        conditions, params = [], []
        if property_id is not None:
            conditions.append("p.id = ?")
            params.append(property_id)
        if active_only:
            conditions.append("t.active = 1")
        if conditions:
            sql += " WHERE " + " AND ".join(conditions)
        sql += " ORDER BY p.name, u.floor IS NULL, u.floor, length(u.label), u.label, t.name"
        return [
            TenantRow(from_row(Tenant, r), r["unit_label"], r["property_id"], r["property_name"])
            for r in self._rows(sql, params)
        ]

    def tenants_of_unit(self, unit_id: int) -> list[Tenant]:
        return [from_row(Tenant, r) for r in self._rows("SELECT * FROM tenants WHERE unit_id = ? ORDER BY id", (unit_id,))]

    def get_tenant(self, tenant_id: int) -> Tenant:
        row = self._one("SELECT * FROM tenants WHERE id = ?", (tenant_id,), f"tenant with id {tenant_id}")
        return from_row(Tenant, row)

    def _region_of_unit(self, unit_id: int) -> str:
        row = self.db.execute(
            "SELECT p.country FROM units u JOIN properties p ON p.id = u.property_id WHERE u.id = ?", (unit_id,)
        ).fetchone()
        if row is None:
            raise ValidationError([Problem("unit_id", f"no unit with id {unit_id}")])
        return row[0]

    def save_tenant(self, tenant: Tenant, opened: Tenant | None = None) -> Tenant:
        """Insert or update; with `opened` (the tenant as the form showed it), refuse to overwrite
        someone else's change made since (ChangedElsewhere)."""
        tenant = validation.clean_tenant(tenant, self._region_of_unit(tenant.unit_id))
        with self.transaction():
            self._refuse_if_changed(opened, self.get_tenant, f"tenant {tenant.name}")
            return replace(tenant, id=self._write("tenants", to_row(tenant), tenant.id))

    def add_tenants(self, tenants: Iterable[Tenant]) -> int:
        """Insert many tenants in one transaction (all or none); returns how many."""
        regions: dict[int, str] = {}
        rows = []
        for index, tenant in enumerate(tenants):
            if tenant.unit_id not in regions:
                regions[tenant.unit_id] = self._region_of_unit(tenant.unit_id)
            try:
                clean = validation.clean_tenant(tenant, regions[tenant.unit_id])
            except ValidationError as exc:
                raise exc.under(f"[{index}]") from None
            rows.append(to_row(clean))
        if rows:
            with self.transaction():
                self.db.table("tenants").insert_all(rows, batch_size=1000)
        return len(rows)

    def delete_tenant(self, tenant_id: int) -> None:
        """Issued notices keep their copy of the recipient; only the link to the tenant goes."""
        self.get_tenant(tenant_id)
        with self.transaction():
            self.db.execute("DELETE FROM tenants WHERE id = ?", (tenant_id,))

    # Import and records ---------------------------------------------------------------------
    # Added for the tenant import (maintdesk.imports.tenants, issue 7).

    def tenant_fingerprint(self, property_id: int) -> str:
        """A digest of the property's units and tenants: equal digests, nothing changed in between."""
        import hashlib

        digest = hashlib.sha256()
        for sql in ("SELECT id, label, floor FROM units WHERE property_id = ? ORDER BY id",
                    "SELECT t.* FROM tenants t JOIN units u ON u.id = t.unit_id WHERE u.property_id = ? ORDER BY t.id"):
            for row in self.db.execute(sql, (property_id,)):
                digest.update(json.dumps(list(row), ensure_ascii=False).encode())
            digest.update(b"|")
        return digest.hexdigest()

    def add_units(self, property_id: int, units: Iterable[Unit]) -> list[Unit]:
        """Add many units to a property in one transaction (all or none), each validated."""
        if not self._exists("properties", property_id):
            raise ValidationError([Problem("property_id", f"no property with id {property_id}")])
        taken = {r["label"].casefold() for r in self._rows("SELECT label FROM units WHERE property_id = ?", (property_id,))}
        added = []
        with self.transaction():
            for index, unit in enumerate(units):
                try:
                    clean = validation.clean_unit(replace(unit, property_id=property_id, id=None), set())
                    if clean.label.casefold() in taken:
                        raise ValidationError([Problem("label", f'duplicate "{clean.label}": the property already '
                                                                "has a unit with this label")])
                except ValidationError as exc:
                    raise exc.under(f"[{index}]") from None
                taken.add(clean.label.casefold())
                added.append(replace(clean, id=self._write("units", to_row(clean), None)))
        return added

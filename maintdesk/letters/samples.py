"""Sample data for checking a template before it is used, and for the editor's live preview.

Deliberately demanding: long names, an ampersand and markup in a name and in the update text,
five actions, a slot.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from maintdesk.letters.context import NoticeFacts
from maintdesk.records.models import (
    WINDOW_LAYOUTS, ActionItem, Property, SenderProfile, Slot, Tenant, Unit, WorkOrder,
)


SAMPLE_TITLES = {"en": "Property manager", "fr": "Gestionnaire d'immeubles", "de": "Hausverwalterin",
                 "es": "Administradora de fincas"}


def sample_facts(language: str, kind: str = "initial", scope: str = "units", paper: str = "A4") -> NoticeFacts:
    """`paper`: "A4", "Letter", or a window layout (din5008, nf-z11-001, us-10, canada)."""
    layout = paper if paper in WINDOW_LAYOUTS else "din5008" if paper == "A4" else "us-10"
    sender = SenderProfile(
        label="Paris office", name="Horizon Property Management", address="8 boulevard Voltaire\n75011 Paris",
        phone="+33140213500", email="office@example.org", window_layout=layout, default_language=language,
        signer_name="Camille Rousseau", signer_titles=dict(SAMPLE_TITLES),
    )
    prop = Property(
        name="Résidence Les Tilleuls", address_line1="14 rue des Tilleuls", postal_code="75011", city="Paris",
        country="FR", jurisdiction="FR", timezone="Europe/Paris", manager_name="Camille Rousseau",
        manager_phone="+33143551234", manager_email="tilleuls@example.org", id=1,
    )
    unit = Unit(property_id=1, label="3B", floor=3, id=7)
    tenant = Tenant(
        unit_id=7, name="<b>Léa & Co</b> Bérénice de La Rochefoucauld-Montbel", salutation="Mme",
        email="lea@example.org", phone="+33612345678", language=language, id=11,
    )
    start = datetime(2026, 5, 12, 7, 0, tzinfo=timezone.utc)
    work = WorkOrder(
        property_id=1, id=42, scope=scope, category="heating", status="scheduled",
        window_start=start, window_end=start + timedelta(hours=9),
        title={"en": "Annual radiator servicing", "fr": "Entretien annuel des radiateurs"},
        description={"en": "The heating engineer checks and bleeds every radiator.",
                     "fr": "Le chauffagiste contrôle et purge chaque radiateur."},
        reason={"en": "Yearly servicing before winter.", "fr": "Entretien annuel avant l'hiver."},
        impact={"en": "No heating in your flat during the visit.", "fr": "Pas de chauffage pendant la visite."},
        alternatives={},
        access_conditions={"en": "Be at home or leave a key with the caretaker.",
                           "fr": "Soyez présent ou laissez une clé à la gardienne."},
        updates_info={"en": "Updates are posted in the entrance hall.",
                      "fr": "Les informations à jour sont affichées dans le hall."},
        contractor="Thermo Services Paris", contact_name="Camille Rousseau",
        contact_phone="+33143551234", contact_email="tilleuls@example.org",
        slots=[Slot(unit_id=7, start=start + timedelta(hours=2), end=start + timedelta(hours=2, minutes=45))],
        actions=[ActionItem({"en": f"Sample action number {n}: clear the area around the radiators.",
                             "fr": f"Consigne numéro {n} : dégagez l'accès aux radiateurs."}) for n in range(1, 6)],
    )
    previous = (start - timedelta(days=7), start - timedelta(days=7) + timedelta(hours=9)) if kind == "postponed" else None
    message = SAMPLE_MESSAGE if kind == "update" else None
    return NoticeFacts(sender, prop, unit, tenant, work, kind, language, 1234, start - timedelta(days=5), previous,
                       message)


SAMPLE_MESSAGE = {
    "en": "The new pump arrived this morning & the <b>fitters</b> are installing it.\n"
          "Hot water should be back in the evening; the radiators will follow tomorrow.",
    "fr": "La nouvelle pompe est arrivée ce matin & les <b>techniciens</b> l'installent.\n"
          "L'eau chaude devrait revenir ce soir, le chauffage demain.",
}

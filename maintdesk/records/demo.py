"""A realistic demo database: a Paris building, a Toronto building, three work orders.

Dates are relative to the day the demo is made, so that what is due and what is late means
something on any day. Everything is deterministic for a given `today`.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

from maintdesk.records.models import ActionItem, Organization, Property, SenderProfile, Slot, Tenant, Unit, WorkOrder
from maintdesk.records.store import Store
from maintdesk.timeutil import from_local, local, utc_now
from maintdesk.records.validation import normalize_phone

PARIS_TENANTS = [
    # (name, salutation, language, channel, has email, large print, access notes)
    ("Léa Lefèvre", "Mme", "fr", "email", True, False, ""),
    ("Jean-Baptiste de La Rochefoucauld-Montbel", "M.", "fr", "print", False, False, "Clé chez la gardienne"),
    ("Lœtitia Bérénice Château", "Mme", "fr", "both", True, False, ""),
    ("Zoé Núñez", "Mme", "fr", "email", True, False, "Chat — fermer la porte"),
    ("Mathis Dupont", "M.", "fr", "print", True, False, ""),
    ("Inès Benali", "Mme", "fr", "email", True, False, ""),
    ("Noël Garnier", "M.", "fr", "print", False, True, "Malvoyant : lettre en gros caractères"),
    ("François-Xavier Ollivier", "M.", "fr", "both", True, False, ""),
    ("Chloé Perrin", "Mme", "fr", "email", True, False, ""),
    ("Hélène Fauré", "Mme", "fr", "print", False, False, "Absente le matin"),
    ("Amélie Poulain-Desrosiers", "Mme", "fr", "email", True, False, ""),
    ("Oliver Bennett", "Mr", "en", "email", True, False, ""),
    ("Gaëlle Le Guével", "Mme", "fr", "both", True, False, "Chien calme"),
    ("Thérèse Müller", "Mme", "fr", "print", False, True, ""),
    ("Maël Kerouac", "M.", "fr", "email", True, False, ""),
    ("Sophie Marceau-Lambert", "Mme", "fr", "email", True, False, ""),
    ("Anaïs Rocher", "Mme", "fr", "print", True, False, ""),
    ("Grace O'Sullivan", "Ms", "en", "both", True, False, ""),
    ("Benoît Lacroix", "M.", "fr", "email", True, False, ""),
    ("Joséphine N'Diaye", "Mme", "fr", "email", True, False, "Fauteuil roulant"),
    ("Étienne Vasseur", "M.", "fr", "print", False, False, ""),
    ("Camille Moreau", "Mme", "fr", "email", True, False, ""),
]

TORONTO_TENANTS = [
    ("Priya Raghunathan", "Ms", "en", "email", True, False, ""),
    ("Marc-André Tremblay", "M.", "fr", "both", True, False, ""),
    ("Liam O'Connor", "Mr", "en", "print", False, False, "Key in lockbox"),
    ("Mei-Ling Chen", "Ms", "en", "email", True, False, ""),
    ("Geneviève Bouchard-Lévesque", "Mme", "fr", "email", True, False, ""),
    ("Olusegun Adeyemi", "Mr", "en", "both", True, False, ""),
    ("Sarah Goldberg", "Ms", "en", "email", True, False, "Two cats"),
    ("Kwame Mensah", "Mr", "en", "print", False, True, "Large print please"),
    ("Anna Kowalczyk", "Ms", "en", "email", True, False, ""),
    ("Diego Hernández", "Mr", "en", "email", True, False, ""),
    ("Chantal Gagnon", "Mme", "fr", "print", False, False, ""),
    ("Ahmed Al-Farsi", "Mr", "en", "email", True, False, ""),
    ("Emily Whitfield", "Ms", "en", "both", True, False, ""),
    ("Jamal Robinson", "Mr", "en", "email", True, False, "Works nights: mornings quiet"),
    ("Hiroshi Tanaka", "Mr", "en", "email", True, False, ""),
    ("Fatima Zahra Benjelloun", "Ms", "fr", "email", True, False, ""),
    ("Connor MacLeod", "Mr", "en", "print", True, False, ""),
    ("Isabelle Côté", "Mme", "fr", "email", True, False, ""),
    ("Nikolai Petrov", "Mr", "en", "email", True, False, ""),
    ("Aaliyah Thompson", "Ms", "en", "email", True, False, "Service dog"),
    ("Rahul Deshpande", "Mr", "en", "print", False, False, ""),
    ("Marie-Ève Pelletier", "Mme", "fr", "both", True, False, ""),
    ("Tomás Ó Briain", "Mr", "en", "email", True, False, ""),
    ("Grace Kim", "Ms", "en", "email", True, False, ""),
    ("Bartholomew Worthington-Smythe III", "Mr", "en", "print", False, False, ""),
    ("Yasmin Haddad", "Ms", "en", "email", True, False, ""),
    ("Luc Bergeron", "M.", "fr", "email", True, False, ""),
]


def _email(name: str, index: int) -> str:
    ascii_name = name.lower()
    for accented, plain in (("é", "e"), ("è", "e"), ("ê", "e"), ("ë", "e"), ("ï", "i"), ("î", "i"),
                            ("ô", "o"), ("ó", "o"), ("œ", "oe"), ("ü", "u"), ("ú", "u"), ("ñ", "n"),
                            ("á", "a"), ("à", "a"), ("â", "a"), ("ç", "c"), ("ë", "e")):
        ascii_name = ascii_name.replace(accented, plain)
    local_part = "".join(ch if ch.isalnum() else "." for ch in ascii_name).strip(".")
    while ".." in local_part:
        local_part = local_part.replace("..", ".")
    return f"{local_part}@example.{('org', 'net', 'com')[index % 3]}"


def _at(day: date, hour: int, minute: int, zone_name: str) -> datetime:
    return from_local(datetime.combine(day, time(hour, minute)), zone_name)


def create_demo(store: Store, today: date | None = None) -> dict[str, int]:
    """Fill an empty database with the demo records; returns the record counts."""
    with store.transaction():
        store.save_organization(Organization(name="Horizon Property Management", default_language="fr", demo=True))
        paris_office = store.save_sender(SenderProfile(
            label="Paris office", name="Horizon Gestion Immobilière",
            address="8 boulevard Voltaire\n75011 Paris\nFrance", phone="+33 1 40 21 35 00",
            email="paris@example.org", website="https://www.example.org", window_layout="nf-z11-001",
            default_language="fr", signer_name="Camille Rousseau",
            signer_titles={"fr": "Gestionnaire d'immeubles", "en": "Property manager",
                           "de": "Hausverwalterin", "es": "Administradora de fincas"},
            email_from="notices@example.org", reply_to="paris@example.org",
        ))
        toronto_office = store.save_sender(SenderProfile(
            label="Toronto office", name="Horizon Property Management",
            address="150 King Street West, Suite 1200\nToronto ON  M5H 1J9\nCanada", phone="+1 416 555 0142",
            email="toronto@example.com", website="https://www.example.com", window_layout="canada",
            default_language="en", signer_name="Daniel Okafor",
            signer_titles={"en": "Property manager", "fr": "Gestionnaire d'immeubles",
                           "de": "Hausverwalter", "es": "Administrador de fincas"},
            email_from="notices.toronto@example.com", reply_to="toronto@example.com",
        ))
        paris = store.save_property(Property(
            name="Résidence Les Tilleuls", address_line1="14 rue des Tilleuls", postal_code="75011",
            city="Paris", country="FR", jurisdiction="FR", timezone="Europe/Paris",
            manager_name="Camille Rousseau", manager_phone="01 43 55 12 34", manager_email="tilleuls@example.org",
            sender_id=paris_office.id,
        ))
        toronto = store.save_property(Property(
            name="Maple Court Apartments", address_line1="220 Wellesley Street East", postal_code="M4X 1G5",
            city="Toronto", region="ON", country="CA", jurisdiction="CA-ON", timezone="America/Toronto",
            manager_name="Daniel Okafor", manager_phone="(416) 924-3100", manager_email="maplecourt@example.com",
            sender_id=toronto_office.id,
        ))
        paris_units = [
            store.save_unit(Unit(paris.id, f"{floor}{letter}", floor))
            for floor in range(1, 7) for letter in "ABCD"
        ]
        toronto_units = [
            store.save_unit(Unit(toronto.id, f"{floor}{door:02d}", floor))
            for floor in range(1, 6) for door in range(1, 7)
        ]
        _add_tenants(store, paris_units, PARIS_TENANTS, "06 {0:02d} {1:02d} {2:02d} {3:02d}", vacant=(5, 17), region="FR")
        _add_tenants(store, toronto_units, TORONTO_TENANTS, "(416) 9{0:02d}-{1:02d}{2:02d}", vacant=(8, 22, 29), region="CA")

        paris_day = today or local(utc_now(), paris.timezone).date()
        toronto_day = today or local(utc_now(), toronto.timezone).date()
        store.save_work_order(_radiators(paris, paris_units, _weekday_on_or_after(paris_day + timedelta(days=5), 2)))
        store.save_work_order(_water_shutoff(toronto, _weekday_on_or_after(toronto_day + timedelta(days=12), 1)))
        store.save_work_order(_emergency_leak(paris, paris_units, paris_day))
    return store.counts()


def _phone(pattern: str, index: int, region: str) -> str:
    """A made-up number of the pattern that phonenumbers accepts for the region."""
    for attempt in range(50):
        seed = index * 31 + attempt * 7
        text = pattern.format(12 + seed % 18, 11 + seed * 13 % 88, 12 + seed * 17 % 87, 13 + seed * 19 % 86)
        try:
            return normalize_phone(text, region) and text
        except ValueError:
            continue
    return ""


def _weekday_on_or_after(day: date, length: int) -> date:
    """The first day from `day` on that starts `length` consecutive weekdays (no weekend work)."""
    while any((day + timedelta(days=n)).weekday() >= 5 for n in range(length)):
        day += timedelta(days=1)
    return day


def _add_tenants(store: Store, units: list[Unit], people: list[tuple], phone_pattern: str,
                 vacant: tuple[int, ...], region: str) -> None:
    occupied = [u for i, u in enumerate(units) if i not in vacant]
    tenants = []
    for index, (name, salutation, language, channel, has_email, large_print, notes) in enumerate(people):
        unit = occupied[index % len(occupied)]
        tenants.append(Tenant(
            unit_id=unit.id, name=name, salutation=salutation, language=language, channel=channel,
            email=_email(name, index) if has_email else "",
            phone=_phone(phone_pattern, index, region) if index % 4 != 3 else "",
            large_print=large_print, access_notes=notes,
            mailing_address="BP 1204\n75521 Paris Cedex 11" if index == 9 and language == "fr" else "",
        ))
    store.add_tenants(tenants)


def _radiators(prop: Property, units: list[Unit], day: date) -> WorkOrder:
    tz = prop.timezone
    slots, start_times = [], []
    for offset in (0, 1):
        d = day + timedelta(days=offset)
        for block_start in ((8, 30), (13, 30)):
            first = datetime.combine(d, time(*block_start))
            start_times += [first + timedelta(minutes=40 * k) for k in range(6)]
    for unit, wall in zip(units, start_times):
        slots.append(Slot(unit.id, from_local(wall, tz), from_local(wall + timedelta(minutes=35), tz)))
    return WorkOrder(
        property_id=prop.id,
        title={"fr": "Entretien annuel des radiateurs", "en": "Annual radiator servicing"},
        category="heating", scope="units", status="scheduled",
        window_start=_at(day, 8, 30, tz), window_end=_at(day + timedelta(days=1), 17, 30, tz),
        description={
            "fr": "Le chauffagiste purge et contrôle chaque radiateur et remplace les robinets défectueux.",
            "en": "The heating engineer bleeds and checks every radiator and replaces faulty valves.",
        },
        reason={
            "fr": "Entretien annuel obligatoire avant l'hiver, pour un chauffage régulier et sans bruit.",
            "en": "Yearly servicing before winter, so the heating runs evenly and quietly.",
        },
        impact={
            "fr": "Le chauffage de votre logement est coupé pendant la visite (environ 35 minutes). "
                  "L'eau chaude reste disponible.",
            "en": "Your flat's heating is off during the visit (about 35 minutes). Hot water stays on.",
        },
        alternatives={
            "fr": "Aucune solution de remplacement n'est nécessaire : la coupure est courte.",
            "en": "None needed: the interruption is short.",
        },
        access_conditions={
            "fr": "Soyez présent pendant votre créneau ou laissez une clé à la gardienne la veille.",
            "en": "Be at home during your slot or leave a key with the caretaker the day before.",
        },
        updates_info={
            "fr": "Les informations à jour sont affichées dans le hall d'entrée.",
            "en": "Updates are posted in the entrance hall.",
        },
        contractor="Thermo Services Paris", contact_name="Camille Rousseau",
        contact_phone="01 43 55 12 34", contact_email="tilleuls@example.org",
        internal_notes="Contractor quote TS-2291. Bring spare thermostatic valves (15 mm).",
        slots=slots,
        actions=[
            ActionItem({"fr": "Dégagez un espace d'un mètre devant chaque radiateur.",
                        "en": "Clear one metre in front of every radiator."}),
            ActionItem({"fr": "Soyez présent ou laissez une clé à la gardienne.",
                        "en": "Be at home or leave a key with the caretaker."}),
            ActionItem({"fr": "Signalez-nous tout animal ou besoin particulier.",
                        "en": "Tell us about pets or special needs."}),
            ActionItem({"fr": "Ne purgez pas les radiateurs vous-même dans les jours qui précèdent.",
                        "en": "Do not bleed the radiators yourself in the days before."}),
        ],
    )


def _water_shutoff(prop: Property, day: date) -> WorkOrder:
    tz = prop.timezone
    return WorkOrder(
        property_id=prop.id,
        title={"en": "Water shut-off for riser valve replacement",
               "fr": "Coupure d'eau pour le remplacement d'une vanne de colonne"},
        category="water", scope="building", status="scheduled",
        window_start=_at(day, 9, 0, tz), window_end=_at(day, 13, 0, tz),
        description={"en": "The plumber replaces the main riser valve in the basement.",
                     "fr": "Le plombier remplace la vanne principale de la colonne au sous-sol."},
        reason={"en": "The valve is worn and could fail without warning.",
                "fr": "La vanne est usée et pourrait céder sans prévenir."},
        impact={"en": "No hot or cold water in the whole building. Toilets can be flushed once.",
                "fr": "Aucune eau chaude ni froide dans tout l'immeuble. Une seule chasse d'eau possible."},
        alternatives={"en": "Bottled water is available in the lobby from 8:30.",
                      "fr": "De l'eau en bouteille est à votre disposition dans le hall dès 8 h 30."},
        updates_info={"en": "Updates are posted in the lobby and by email.",
                      "fr": "Les mises à jour sont affichées dans le hall et envoyées par courriel."},
        contractor="Danforth Plumbing Ltd.", contact_name="Daniel Okafor",
        contact_phone="(416) 924-3100", contact_email="maplecourt@example.com",
        actions=[
            ActionItem({"en": "Fill a few bottles or a kettle with water beforehand.",
                        "fr": "Remplissez quelques bouteilles ou une bouilloire à l'avance."}),
            ActionItem({"en": "Keep all taps closed during the shut-off.",
                        "fr": "Gardez tous les robinets fermés pendant la coupure."}),
            ActionItem({"en": "Afterwards, run the cold tap for two minutes before drinking.",
                        "fr": "Ensuite, laissez couler l'eau froide deux minutes avant de la boire."}),
        ],
    )


def _emergency_leak(prop: Property, units: list[Unit], day: date) -> WorkOrder:
    tz = prop.timezone
    stack = [u for u in units if u.label.endswith("B") and (u.floor or 0) >= 3]
    return WorkOrder(
        property_id=prop.id,
        title={"fr": "Réparation urgente d'une fuite sur la colonne d'eau chaude",
               "en": "Emergency repair of a leak on the hot-water riser"},
        category="plumbing", scope="units", status="in_progress", emergency=True,
        window_start=_at(day, 7, 0, tz), window_end=_at(day + timedelta(days=1), 18, 0, tz),
        description={"fr": "Une fuite a été détectée sur la colonne d'eau chaude des appartements B.",
                     "en": "A leak was found on the hot-water riser serving the B flats."},
        reason={"fr": "Éviter un dégât des eaux dans les logements des étages inférieurs.",
                "en": "To prevent water damage in the flats below."},
        impact={"fr": "Pas d'eau chaude dans les appartements 3B à 6B jusqu'à la fin de la réparation.",
                "en": "No hot water in flats 3B to 6B until the repair is finished."},
        alternatives={"fr": "Les douches du local du personnel au rez-de-chaussée sont ouvertes de 7 h à 22 h.",
                      "en": "The staff showers on the ground floor are open from 7:00 to 22:00."},
        updates_info={"fr": "Prochain point affiché dans le hall à 18 h.",
                      "en": "Next update posted in the hall at 18:00."},
        contractor="Plomberie Voltaire (astreinte)", contact_name="Camille Rousseau",
        contact_phone="01 43 55 12 34", contact_email="tilleuls@example.org",
        all_units=False, affected_unit_ids=[u.id for u in stack],
        actions=[
            ActionItem({"fr": "Laissez l'accès à votre salle de bains au plombier.",
                        "en": "Give the plumber access to your bathroom."}),
            ActionItem({"fr": "Signalez immédiatement toute trace d'eau au plafond.",
                        "en": "Report any water stain on the ceiling at once."}),
        ],
    )


def set_demo_aside(db_path: Path) -> Path:
    """Rename a closed demo database (and its -wal and -shm files) to `demo.sqlite` beside it, or
    `demo-2.sqlite`… when that name is taken; returns the new path. The demo stays for practice."""
    target = db_path.with_name("demo.sqlite")
    number = 2
    while target.exists():
        target = db_path.with_name(f"demo-{number}.sqlite")
        number += 1
    for suffix in ("-wal", "-shm"):
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    db_path.rename(target)
    return target

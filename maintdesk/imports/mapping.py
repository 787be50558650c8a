"""Which column of a tenant list holds what: header synonyms in English and French, the shapes of
Buildium's tenant import and AppFolio's tenant report, and the user's own choices.

A header is compared in a normal form (lower case, no accents, punctuation as spaces), so
"E-mail", "e mail" and "Email" are one; "Téléphone" is "telephone". A field may take several
columns (e.g. mobile, home and work phone): the first non-empty one in that order gives the value.

How to add a synonym: write it in normal form in the field's tuple below, most specific first for
fields that may take several columns; a test reads a header of each shape back.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from maintdesk.errors import InvalidInput

# Each field and its header synonyms (normal form). The order of a tuple is the priority order
# when a file has several of them (phone: mobile before home before work).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "property": ("property", "property name", "building", "building name", "immeuble", "residence",
                 "batiment", "propriete", "nom de l immeuble"),
    "property_street": ("property street address 1", "property address", "property street address",
                        "adresse de l immeuble"),
    "property_postal_code": ("property zip", "property postal code", "code postal de l immeuble"),
    "unit": ("unit", "unit number", "unit no", "unit label", "apt", "apartment", "apartment number", "suite",
             "door", "logement", "numero de logement", "n de logement", "no de logement", "appartement",
             "appart", "lot", "porte", "unite"),
    "floor": ("floor", "level", "etage", "niveau"),
    "name": ("name", "full name", "tenant", "tenant name", "tenants", "resident", "resident name", "occupant",
             "locataire", "nom du locataire", "nom complet", "nom et prenom", "prenom et nom", "occupant e"),
    "first_name": ("first name", "firstname", "given name", "prenom"),
    "last_name": ("last name", "lastname", "surname", "family name", "nom", "nom de famille"),
    "salutation": ("salutation", "title", "civilite", "titre"),
    "email": ("email", "e mail", "email address", "e mail address", "tenant email", "primary email",
              "resident email", "courriel", "adresse email", "adresse e mail", "adresse courriel", "mail",
              "alternate email", "courriel secondaire"),
    "phone": ("phone", "tenant phone number", "phone number", "telephone", "mobile", "mobile phone",
              "phone mobile", "cell", "cell phone", "mobile number", "portable", "telephone portable",
              "tel portable", "tel", "numero de telephone", "home phone", "phone home", "telephone fixe",
              "tel fixe", "work phone", "phone work", "telephone professionnel"),
    "language": ("language", "preferred language", "langue", "langue preferee"),
    "channel": ("channel", "preferred channel", "contact preference", "notice delivery", "delivery",
                "canal", "mode d envoi", "preference de contact"),
    "status": ("status", "tenant status", "resident status", "active", "statut", "etat", "actif"),
    "large_print": ("large print", "gros caracteres"),
    "access_notes": ("access notes", "access", "notes", "note", "remarks", "comments", "acces",
                     "consignes d acces", "remarques", "commentaires"),
    "address_line1": ("address line 1", "address 1", "address", "street address", "mailing address",
                      "adresse", "adresse ligne 1", "adresse postale"),
    "address_line2": ("address line 2", "address 2", "complement d adresse", "adresse ligne 2"),
    "address_line3": ("address line 3", "address 3", "adresse ligne 3"),
    "city": ("city", "town", "ville", "commune"),
    "region": ("state", "province", "region", "state province"),
    "postal_code": ("postal code", "zip", "zip code", "postcode", "code postal", "cp"),
    "country": ("country", "pays"),
    # Consents and the lease: the records a notice's law may ask for (docs/cli.md, tenant import).
    "email_consent_on": ("email consent", "email consent date", "email consent on", "consent to email",
                         "consent to email notices", "consentement courriel", "consentement au courriel",
                         "consentement email", "date du consentement courriel"),
    "email_consent_kept": ("email consent kept", "email consent kept in", "where the email consent is kept",
                           "consent kept", "consentement courriel conserve", "lieu du consentement"),
    "sms_consent_on": ("sms consent", "sms consent date", "sms consent on", "consent to sms", "text message consent",
                       "consentement sms", "date du consentement sms"),
    "sms_consent_how": ("sms consent how", "how sms consent was given", "sms consent given by",
                        "mode du consentement sms", "consentement sms donne par"),
    "lease_notice": ("lease notice", "lease notice period", "notice period in the lease", "preavis du bail",
                     "delai de prevenance du bail"),
}
FIELDS = tuple(SYNONYMS)
FIELD_NAMES = {  # for messages when a field has no column
    "unit": "the unit", "name": "the tenant's name", "first_name": "the first name", "last_name": "the last name",
}
_LOOKUP = {synonym: name for name, synonyms in SYNONYMS.items() for synonym in synonyms}


def normal(text: str) -> str:
    """'Téléphone (mobile)' → 'telephone mobile'; 'N° de logement' → 'n de logement'."""
    decomposed = unicodedata.normalize("NFKD", str(text).replace("œ", "oe").replace("Œ", "OE"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


def header_field(header: str) -> str | None:
    return _LOOKUP.get(normal(header))


@dataclass
class Mapping:
    """field → column indexes, in priority order. `shape`: buildium, appfolio, generic or custom."""

    columns: dict[str, list[int]] = field(default_factory=dict)
    shape: str = "generic"

    def has(self, name: str) -> bool:
        return bool(self.columns.get(name))

    def headers(self, headers: list[str]) -> dict[str, list[str]]:
        return {name: [headers[i] for i in indexes] for name, indexes in self.columns.items() if indexes}

    def unused(self, headers: list[str]) -> list[str]:
        used = {i for indexes in self.columns.values() for i in indexes}
        return [h for i, h in enumerate(headers) if i not in used and h.strip()]


def detect_shape(headers: list[str]) -> str:
    names = {normal(h) for h in headers}
    if {"property", "unit number", "first name", "last name"} <= names:
        return "buildium"
    if {"property", "unit", "tenant"} <= names and names & {"tenant email", "tenant phone number", "tenant status"}:
        return "appfolio"
    return "generic"


def guess_mapping(headers: list[str]) -> Mapping:
    """The mapping the headers suggest; a column is used for one field at most."""
    found: dict[str, list[tuple[int, int]]] = {}
    for index, header in enumerate(headers):
        name = header_field(header)
        if name is not None:
            found.setdefault(name, []).append((SYNONYMS[name].index(normal(header)), index))
    columns = {name: [i for _, i in sorted(pairs)] for name, pairs in found.items()}
    # French files often have a single "Nom" column holding the whole name.
    if columns.get("last_name") and not columns.get("first_name") and not columns.get("name"):
        columns["name"] = columns.pop("last_name")
    if columns.get("name") and (columns.get("first_name") or columns.get("last_name")):
        columns.pop("first_name", None)
        columns.pop("last_name", None)
    return Mapping(columns, detect_shape(headers))


def column_index(headers: list[str], column: str) -> int:
    """A column named by its header (as written, or in normal form) or by its letter/number."""
    wanted = normal(column)
    for index, header in enumerate(headers):
        if header == column or normal(header) == wanted:
            return index
    if column.isdigit() and 1 <= int(column) <= len(headers):
        return int(column) - 1
    if re.fullmatch(r"[A-Za-z]{1,2}", column):
        index = 0
        for letter in column.upper():
            index = index * 26 + ord(letter) - 64
        if index <= len(headers):
            return index - 1
    known = ", ".join(f'"{h}"' for h in headers if h.strip())
    raise InvalidInput(f'no column "{column}" in the file; its columns are {known}')


def with_choices(mapping: Mapping, headers: list[str], choices: dict[str, str | None]) -> Mapping:
    """The mapping with the user's choices: field → column header (or letter), or None to ignore it.

    A column chosen for a field is taken away from any other field.
    """
    columns = {name: list(indexes) for name, indexes in mapping.columns.items()}
    for name, column in choices.items():
        if name not in SYNONYMS:
            raise InvalidInput(f'"{name}" is not a field to import; the fields are {", ".join(FIELDS)}')
        if column is None or not column.strip():
            columns.pop(name, None)
            continue
        index = column_index(headers, column)
        for other in columns.values():
            if index in other:
                other.remove(index)
        columns[name] = [index]
    if choices.get("name") is not None:
        columns.pop("first_name", None)
        columns.pop("last_name", None)
    return Mapping({k: v for k, v in columns.items() if v}, "custom" if choices else mapping.shape)


def parse_choices(items: list[str]) -> dict[str, str | None]:
    """`["email=Adresse perso", "notes="]` (the command line's --map) → {"email": "Adresse perso", "notes": None}."""
    choices: dict[str, str | None] = {}
    for item in items:
        name, sep, column = item.partition("=")
        if not sep:
            raise InvalidInput(f'--map "{item}": write FIELD=COLUMN, e.g. email="Adresse e-mail" '
                               "(or FIELD= to ignore it)")
        choices[name.strip()] = column.strip() or None
    return choices


# Values --------------------------------------------------------------------------------------

LANGUAGE_WORDS = {
    "en": ("en", "eng", "english", "anglais", "en us", "en ca", "en gb"),
    "fr": ("fr", "fra", "fre", "french", "francais", "fr fr", "fr ca", "fr be", "fr ch"),
    "de": ("de", "deu", "ger", "german", "deutsch", "allemand", "aleman", "de de", "de at", "de ch"),
    "es": ("es", "spa", "spanish", "espanol", "castellano", "espagnol", "spanisch", "es es", "es us", "es mx"),
}
CHANNEL_WORDS = {
    "email": ("email", "e mail", "mail", "courriel", "electronic", "electronique"),
    "print": ("print", "paper", "letter", "post", "mail letter", "papier", "courrier", "lettre", "imprime", "poste"),
    "both": ("both", "email and print", "print and email", "email print", "les deux", "courriel et papier",
             "papier et courriel", "tous"),
}
ACTIVE_WORDS = ("current", "notice", "evict", "active", "future", "yes", "y", "true", "1", "oui", "o", "vrai",
                "actif", "active", "en place", "present", "actuel", "actuelle", "preavis")
INACTIVE_WORDS = ("past", "former", "moved out", "inactive", "no", "n", "false", "0", "non", "faux", "ancien",
                  "ancienne", "parti", "partie", "sorti", "sortie", "inactif", "inactive")
YES_WORDS = ("yes", "y", "true", "1", "x", "oui", "o", "vrai")
NO_WORDS = ("", "no", "n", "false", "0", "non", "faux")


def word_value(text: str, table: dict[str, tuple[str, ...]]) -> str | None:
    wanted = normal(text)
    for value, words in table.items():
        if wanted in words:
            return value
    return None

"""The words of the checks' findings, each in English, French, German and Spanish (formal register).

How to add a language: its text under every key below (a test checks that each key has every
language of maintdesk.records.models.LANGUAGES with the same {placeholders}). How to add a message:
a key here (or, for the plan, templates and content, in
finding_words_content.py) with every language, then `wording.phrase(key, …)` where the finding is made. A tuple
gives the plural forms of the number `n`, in the order of maintdesk.i18n.plural. Write ordinary
spaces: the document's typography (French spaces before ":" and ";") is applied where it is printed.
"""

from __future__ import annotations

from maintdesk.planning.finding_words_content import CONTENT_WORDS
from maintdesk.planning.finding_words_law import LAW_WORDS

_SLOTS_AND_LAW: dict[str, dict[str, str | tuple[str, ...]]] = {
    # --- pieces --------------------------------------------------------------------------------
    "list.and": {"en": "{head} and {last}", "fr": "{head} et {last}", "de": "{head} und {last}", "es": "{head} y {last}"},
    "list.more": {"en": "{head} and {n} more", "fr": "{head} et {n} autres", "de": "{head} und {n} weitere",
                  "es": "{head} y {n} más"},
    "list.or": {"en": " or ", "fr": " ou ", "de": " oder ", "es": " o "},
    "quote": {"en": "{text}", "fr": "« {text} »", "de": "„{text}“", "es": "«{text}»"},
    "moment": {"en": "{day} {time} ({zone})", "fr": "{day} à {time} ({zone})", "de": "{day}, {time} ({zone})",
               "es": "{day}, {time} ({zone})"},
    "method.hand": {"en": "by hand", "fr": "en main propre", "de": "durch persönliche Übergabe", "es": "en mano"},
    "method.email": {"en": "by email", "fr": "par e-mail", "de": "per E-Mail", "es": "por correo electrónico"},
    "method.mail": {"en": "by post", "fr": "par courrier", "de": "per Post", "es": "por correo postal"},
    "method.registered": {"en": "by registered letter", "fr": "par lettre recommandée", "de": "per Einschreiben",
                          "es": "por carta certificada"},
    "language.en": {"en": "English", "fr": "anglais", "de": "Englisch", "es": "inglés"},
    "language.fr": {"en": "French", "fr": "français", "de": "Französisch", "es": "francés"},
    "language.de": {"en": "German", "fr": "allemand", "de": "Deutsch", "es": "alemán"},
    "language.es": {"en": "Spanish", "fr": "espagnol", "de": "Spanisch", "es": "español"},
    "unit.h": {"en": ("{n} h", "{n} h"), "fr": ("{n} h", "{n} h"), "de": ("{n} Std.", "{n} Std."), "es": ("{n} h", "{n} h")},
    "unit.d": {"en": ("{n} day", "{n} days"), "fr": ("{n} jour", "{n} jours"), "de": ("{n} Tag", "{n} Tage"),
               "es": ("{n} día", "{n} días")},
    "unit.w": {"en": ("{n} week", "{n} weeks"), "fr": ("{n} semaine", "{n} semaines"), "de": ("{n} Woche", "{n} Wochen"),
               "es": ("{n} semana", "{n} semanas")},
    "unit.mo": {"en": ("{n} month", "{n} months"), "fr": ("{n} mois", "{n} mois"), "de": ("{n} Monat", "{n} Monate"),
                "es": ("{n} mes", "{n} meses")},
    "lead.none": {"en": "no time", "fr": "aucun délai", "de": "keine Frist", "es": "ningún plazo"},
    "tenants": {"en": ("{n} tenant", "{n} tenants"), "fr": ("{n} locataire", "{n} locataires"),
                "de": ("{n} Mietpartei", "{n} Mietparteien"), "es": ("{n} inquilino", "{n} inquilinos")},
    "letters": {"en": ("{n} letter", "{n} letters"), "fr": ("{n} courrier", "{n} courriers"),
                "de": ("{n} Schreiben", "{n} Schreiben"), "es": ("{n} carta", "{n} cartas")},
    "emails": {"en": ("{n} email", "{n} emails"), "fr": ("{n} e-mail", "{n} e-mails"), "de": ("{n} E-Mail", "{n} E-Mails"),
               "es": ("{n} correo electrónico", "{n} correos electrónicos")},
    "paren": {"en": " ({text})", "fr": " ({text})", "de": " ({text})", "es": " ({text})"},
    "mission": {"en": "MaintDesk product brief (MISSION.md), \"What a good maintenance message contains\"",
                "fr": "Cahier des charges de MaintDesk (MISSION.md), section \"What a good maintenance message contains\"",
                "de": "Produktbeschreibung von MaintDesk (MISSION.md), Abschnitt \"What a good maintenance message contains\"",
                "es": "Descripción del producto MaintDesk (MISSION.md), sección \"What a good maintenance message contains\""},

    # --- visit slots (maintdesk.planning.scheduling) --------------------------------------------
    "slots/not-affected": {
        "en": ("{n} slot belongs to a unit the work does not affect.", "{n} slots belong to units the work does not affect."),
        "fr": ("{n} créneau concerne un logement que les travaux ne touchent pas.",
               "{n} créneaux concernent des logements que les travaux ne touchent pas."),
        "de": ("{n} Termin gehört zu einer Wohnung, die von den Arbeiten nicht betroffen ist.",
               "{n} Termine gehören zu Wohnungen, die von den Arbeiten nicht betroffen sind."),
        "es": ("{n} franja horaria corresponde a una vivienda a la que no afectan las obras.",
               "{n} franjas horarias corresponden a viviendas a las que no afectan las obras.")},
    "slots/not-affected.fix": {
        "en": "remove these slots or add the units to the work order",
        "fr": "supprimez ces créneaux ou ajoutez les logements à l'intervention",
        "de": "entfernen Sie diese Termine oder nehmen Sie die Wohnungen in den Auftrag auf",
        "es": "elimine estas franjas horarias o añada las viviendas a la orden de trabajo"},
    "slots/outside-window": {
        "en": ("{n} slot lies outside the work window {window} ({zone}), e.g. {unit} {span}.",
               "{n} slots lie outside the work window {window} ({zone}), e.g. {unit} {span}."),
        "fr": ("{n} créneau se situe hors de la période des travaux {window} ({zone}), par exemple {unit} {span}.",
               "{n} créneaux se situent hors de la période des travaux {window} ({zone}), par exemple {unit} {span}."),
        "de": ("{n} Termin liegt außerhalb des Arbeitszeitraums {window} ({zone}), z. B. {unit} {span}.",
               "{n} Termine liegen außerhalb des Arbeitszeitraums {window} ({zone}), z. B. {unit} {span}."),
        "es": ("{n} franja horaria queda fuera del periodo de las obras {window} ({zone}), p. ej. {unit} {span}.",
               "{n} franjas horarias quedan fuera del periodo de las obras {window} ({zone}), p. ej. {unit} {span}.")},
    "slots/outside-window.fix": {
        "en": "move them inside the window, widen the window, or spread the slots again (work slots ID --auto)",
        "fr": "placez-les dans la période, élargissez la période ou répartissez de nouveau les créneaux (work slots ID --auto)",
        "de": "verlegen Sie sie in den Zeitraum, erweitern Sie den Zeitraum oder verteilen Sie die Termine neu "
              "(work slots ID --auto)",
        "es": "muévalas dentro del periodo, amplíe el periodo o vuelva a repartir las franjas (work slots ID --auto)"},
    "slots/overlap": {
        "en": ("{n} pair of slots overlaps, e.g. {a} {span_a} and {b} {span_b} ({zone}).",
               "{n} pairs of slots overlap, e.g. {a} {span_a} and {b} {span_b} ({zone})."),
        "fr": ("{n} paire de créneaux se chevauche, par exemple {a} {span_a} et {b} {span_b} ({zone}).",
               "{n} paires de créneaux se chevauchent, par exemple {a} {span_a} et {b} {span_b} ({zone})."),
        "de": ("{n} Terminpaar überschneidet sich, z. B. {a} {span_a} und {b} {span_b} ({zone}).",
               "{n} Terminpaare überschneiden sich, z. B. {a} {span_a} und {b} {span_b} ({zone})."),
        "es": ("{n} par de franjas se solapa, p. ej. {a} {span_a} y {b} {span_b} ({zone}).",
               "{n} pares de franjas se solapan, p. ej. {a} {span_a} y {b} {span_b} ({zone}).")},
    "slots/overlap.fix": {
        "en": "move one slot of each pair, unless two crews work at the same time",
        "fr": "déplacez un créneau de chaque paire, sauf si deux équipes travaillent en même temps",
        "de": "verlegen Sie je Paar einen Termin, es sei denn, zwei Teams arbeiten gleichzeitig",
        "es": "mueva una franja de cada par, salvo que trabajen dos equipos a la vez"},
    "slots/outside-hours": {
        "en": ("{n} slot falls outside the working hours {start}–{end}{brk}, e.g. {unit} {span}.",
               "{n} slots fall outside the working hours {start}–{end}{brk}, e.g. {unit} {span}."),
        "fr": ("{n} créneau tombe hors des heures de travail {start}–{end}{brk}, par exemple {unit} {span}.",
               "{n} créneaux tombent hors des heures de travail {start}–{end}{brk}, par exemple {unit} {span}."),
        "de": ("{n} Termin liegt außerhalb der Arbeitszeit {start}–{end}{brk}, z. B. {unit} {span}.",
               "{n} Termine liegen außerhalb der Arbeitszeit {start}–{end}{brk}, z. B. {unit} {span}."),
        "es": ("{n} franja queda fuera del horario de trabajo {start}–{end}{brk}, p. ej. {unit} {span}.",
               "{n} franjas quedan fuera del horario de trabajo {start}–{end}{brk}, p. ej. {unit} {span}.")},
    "slots/in-break": {"en": " or in a break", "fr": " ou pendant une pause", "de": " oder in einer Pause",
                       "es": " o en una pausa"},
    "slots/outside-hours.fix": {
        "en": "move them into the working hours, or change the hours (work slots ID --auto --hours …)",
        "fr": "placez-les dans les heures de travail, ou modifiez ces heures (work slots ID --auto --hours …)",
        "de": "verlegen Sie sie in die Arbeitszeit oder ändern Sie die Arbeitszeit (work slots ID --auto --hours …)",
        "es": "muévalas al horario de trabajo o cambie el horario (work slots ID --auto --hours …)"},
    "slots/missing": {
        "en": ("{n} unit has no visit slot: its letters give the whole window.",
               "{n} units have no visit slot: their letters give the whole window."),
        "fr": ("{n} logement n'a pas de créneau de visite : ses courriers indiquent toute la période.",
               "{n} logements n'ont pas de créneau de visite : leurs courriers indiquent toute la période."),
        "de": ("{n} Wohnung hat keinen Besuchstermin: Die Schreiben an sie nennen den ganzen Zeitraum.",
               "{n} Wohnungen haben keinen Besuchstermin: Die Schreiben an sie nennen den ganzen Zeitraum."),
        "es": ("{n} vivienda no tiene franja de visita: sus cartas indican todo el periodo.",
               "{n} viviendas no tienen franja de visita: sus cartas indican todo el periodo.")},
    "slots/missing.fix": {
        "en": "assign slots: maintdesk work slots ID --auto",
        "fr": "attribuez des créneaux : maintdesk work slots ID --auto",
        "de": "vergeben Sie Termine: maintdesk work slots ID --auto",
        "es": "asigne franjas: maintdesk work slots ID --auto"},

    # --- notice law (maintdesk.planning.rules.engine) -------------------------------------------
    "law/no-rule": {
        "en": "MaintDesk has no notice-law rule for the jurisdiction \"{place}\": only its good practice was checked.",
        "fr": "MaintDesk n'a pas de règle légale de préavis pour la juridiction « {place} » : seules ses bonnes "
              "pratiques ont été contrôlées.",
        "de": "MaintDesk hat für die Rechtsordnung „{place}“ keine gesetzliche Ankündigungsregel: Geprüft wurde nur "
              "die gute Praxis von MaintDesk.",
        "es": "MaintDesk no tiene ninguna regla legal de preaviso para la jurisdicción «{place}»: solo se ha "
              "comprobado su buena práctica."},
    "law/no-rule.fix": {
        "en": "check the local law yourself, or add maintdesk/planning/rules/jurisdictions/{place}.toml",
        "fr": "vérifiez vous-même le droit local, ou ajoutez maintdesk/planning/rules/jurisdictions/{place}.toml",
        "de": "prüfen Sie das örtliche Recht selbst oder legen Sie maintdesk/planning/rules/jurisdictions/{place}.toml an",
        "es": "compruebe usted mismo la legislación local o añada maintdesk/planning/rules/jurisdictions/{place}.toml"},
    "law/rule-says": {"en": "{text}", "fr": "La règle indique : {text}", "de": "Die Regel besagt: {text}",
                      "es": "La regla indica: {text}"},
    "law/long-works": {
        "en": "The work window lasts more than {over}: {text}.",
        "fr": "La période des travaux dure plus de {over} : {text}.",
        "de": "Der Arbeitszeitraum dauert länger als {over}: {text}.",
        "es": "El periodo de las obras dura más de {over}: {text}."},
    "law/not-applicable": {
        "en": "No notice rule of {rule} applies to {why}; MaintDesk's good practice was checked.",
        "fr": "Aucune règle de préavis de {rule} ne s'applique à {why} ; les bonnes pratiques de MaintDesk ont été contrôlées.",
        "de": "Keine Ankündigungsregel von {rule} gilt für {why}; geprüft wurde die gute Praxis von MaintDesk.",
        "es": "Ninguna regla de preaviso de {rule} se aplica a {why}; se ha comprobado la buena práctica de MaintDesk."},
    "law/building-wide": {"en": "building-wide work (no entry into a flat)",
                          "fr": "des travaux sur tout l'immeuble (sans entrée dans un logement)",
                          "de": "Arbeiten am ganzen Gebäude (ohne Betreten einer Wohnung)",
                          "es": "obras en todo el edificio (sin entrar en ninguna vivienda)"},
    "law/this-work": {"en": "this work", "fr": "ces travaux", "de": "diese Arbeiten", "es": "estas obras"},
    "law/before-start": {"en": "the law asks for it before the work starts", "fr": "la loi l'exige avant le début des travaux",
                         "de": "das Gesetz verlangt sie vor Beginn der Arbeiten",
                         "es": "la ley lo exige antes del inicio de las obras"},
    "law/asks": {"en": "the law asks for {lead} {how}", "fr": "la loi exige un préavis de {lead} {how}",
                 "de": "das Gesetz verlangt {lead} Vorlauf {how}", "es": "la ley exige un preaviso de {lead} {how}"},
    "law/practice": {"en": "good practice is {lead} {how}", "fr": "la bonne pratique est de {lead} {how}",
                     "de": "gute Praxis sind {lead} Vorlauf {how}", "es": "la buena práctica es {lead} {how}"},
    "law/send-by": {
        "en": ("{n} tenant gets the first notice {how}: it must leave by {when} ({reasons}).",
               "{n} tenants get the first notice {how}: it must leave by {when} ({reasons})."),
        "fr": ("{n} locataire reçoit le premier avis {how} : il doit partir au plus tard le {when} ({reasons}).",
               "{n} locataires reçoivent le premier avis {how} : il doit partir au plus tard le {when} ({reasons})."),
        "de": ("{n} Mietpartei erhält die erste Ankündigung {how}; diese muss spätestens am {when} abgehen ({reasons}).",
               "{n} Mietparteien erhalten die erste Ankündigung {how}; diese muss spätestens am {when} abgehen ({reasons})."),
        "es": ("{n} inquilino recibe el primer aviso {how}: debe salir a más tardar el {when} ({reasons}).",
               "{n} inquilinos reciben el primer aviso {how}: debe salir a más tardar el {when} ({reasons}).")},
    "law/send-by.fix": {"en": "send by {when} to keep {keep}", "fr": "envoyez-le au plus tard le {when} pour respecter {keep}",
                        "de": "versenden Sie sie bis {when}, um {keep} einzuhalten",
                        "es": "envíelo a más tardar el {when} para respetar {keep}"},
    "law/keep.mail": {"en": "{lead} for mail", "fr": "le délai de {lead} pour un courrier",
                      "de": "{lead} Vorlauf für die Post", "es": "el plazo de {lead} para el correo postal"},
    "law/keep.registered": {"en": "{lead} for a registered letter", "fr": "le délai de {lead} pour une lettre recommandée",
                            "de": "{lead} Vorlauf für ein Einschreiben", "es": "el plazo de {lead} para una carta certificada"},
    "law/keep.notice": {"en": "{lead} of notice", "fr": "le préavis de {lead}", "de": "{lead} Vorlauf",
                        "es": "el preaviso de {lead}"},
    "law/short": {
        "en": "Sent now {how}, the first notice to {who} keeps the legal minimum but not MaintDesk's good practice ({practice}).",
        "fr": "Envoyé maintenant {how}, le premier avis à {who} respecte le minimum légal mais pas les bonnes pratiques "
              "de MaintDesk ({practice}).",
        "de": "Jetzt {how} versandt, hält die erste Ankündigung an {who} das gesetzliche Minimum ein, nicht aber die gute "
              "Praxis von MaintDesk ({practice}).",
        "es": "Enviado ahora {how}, el primer aviso a {who} respeta el mínimo legal, pero no la buena práctica de "
              "MaintDesk ({practice})."},
    "law/short.fix": {"en": "send it today; for more notice, move the start later",
                      "fr": "envoyez-le aujourd'hui ; pour un préavis plus long, repoussez le début",
                      "de": "versenden Sie sie heute; für mehr Vorlauf verschieben Sie den Beginn nach hinten",
                      "es": "envíelo hoy; para dar más antelación, retrase el inicio"},
    "law/switch-to-hand": {
        "en": ("{n} tenant would get the notice {late_how} too late{late_law}; {how} it is still in time ({law}).",
               "{n} tenants would get the notice {late_how} too late{late_law}; {how} it is still in time ({law})."),
        "fr": ("{n} locataire recevrait l'avis {late_how} trop tard{late_law} ; {how}, il arrive encore à temps ({law}).",
               "{n} locataires recevraient l'avis {late_how} trop tard{late_law} ; {how}, il arrive encore à temps ({law})."),
        "de": ("{n} Mietpartei würde die Ankündigung {late_how} zu spät erhalten{late_law}; {how} kommt sie noch "
               "rechtzeitig ({law}).",
               "{n} Mietparteien würden die Ankündigung {late_how} zu spät erhalten{late_law}; {how} kommt sie noch "
               "rechtzeitig ({law})."),
        "es": ("{n} inquilino recibiría el aviso {late_how} demasiado tarde{late_law}; {how} todavía llega a tiempo ({law}).",
               "{n} inquilinos recibirían el aviso {late_how} demasiado tarde{late_law}; {how} todavía llega a tiempo "
               "({law}).")},
    "law/switch-to-hand.fix": {"en": "deliver their notice by hand by {when}",
                               "fr": "remettez-leur l'avis en main propre au plus tard le {when}",
                               "de": "übergeben Sie die Ankündigung bis {when} persönlich",
                               "es": "entrégueles el aviso en mano a más tardar el {when}"},
    "law/issued-method": {
        "en": ("{n} tenant got the notice only {how} (first on {when}); {rule} asks for it {allowed}: {text}.",
               "{n} tenants got the notice only {how} (first on {when}); {rule} asks for it {allowed}: {text}."),
        "fr": ("{n} locataire n'a reçu l'avis que {how} (d'abord le {when}) ; {rule} l'exige {allowed} : {text}.",
               "{n} locataires n'ont reçu l'avis que {how} (d'abord le {when}) ; {rule} l'exige {allowed} : {text}."),
        "de": ("{n} Mietpartei hat die Ankündigung nur {how} erhalten (zuerst am {when}); {rule} verlangt sie "
               "{allowed}: {text}.",
               "{n} Mietparteien haben die Ankündigung nur {how} erhalten (zuerst am {when}); {rule} verlangt sie "
               "{allowed}: {text}."),
        "es": ("{n} inquilino recibió el aviso solo {how} (primero el {when}); {rule} lo exige {allowed}: {text}.",
               "{n} inquilinos recibieron el aviso solo {how} (primero el {when}); {rule} lo exige {allowed}: {text}.")},
    "law/issued-method.fix": {
        "en": "deliver it {allowed} before the work starts, or record why this is enough by overriding this finding",
        "fr": "remettez-le {allowed} avant le début des travaux, ou consignez pourquoi cela suffit en acceptant ce constat",
        "de": "stellen Sie sie vor Beginn der Arbeiten {allowed} zu, oder begründen Sie, warum dies genügt, indem Sie "
              "diesen Befund akzeptieren",
        "es": "entréguelo {allowed} antes del inicio de las obras, o deje constancia de por qué basta aceptando esta "
              "observación"},
    "law/method": {
        "en": ("{n} tenant would get the notice only {how}; {rule} asks for it {allowed}: {text}.",
               "{n} tenants would get the notice only {how}; {rule} asks for it {allowed}: {text}."),
        "fr": ("{n} locataire ne recevrait l'avis que {how} ; {rule} l'exige {allowed} : {text}.",
               "{n} locataires ne recevraient l'avis que {how} ; {rule} l'exige {allowed} : {text}."),
        "de": ("{n} Mietpartei würde die Ankündigung nur {how} erhalten; {rule} verlangt sie {allowed}: {text}.",
               "{n} Mietparteien würden die Ankündigung nur {how} erhalten; {rule} verlangt sie {allowed}: {text}."),
        "es": ("{n} inquilino recibiría el aviso solo {how}; {rule} lo exige {allowed}: {text}.",
               "{n} inquilinos recibirían el aviso solo {how}; {rule} lo exige {allowed}: {text}.")},
    "law/method.fix": {
        "en": "deliver it {allowed} by {when} (set their channel to both, or work terms ID --print-delivery)",
        "fr": "remettez-le {allowed} au plus tard le {when} (réglez leur canal sur les deux, ou work terms ID "
              "--print-delivery)",
        "de": "stellen Sie sie bis {when} {allowed} zu (stellen Sie ihren Kanal auf beide, oder work terms ID "
              "--print-delivery)",
        "es": "entréguelo {allowed} a más tardar el {when} (ponga su canal en ambos, o work terms ID --print-delivery)"},
    "law/issued-short": {
        "en": ("The first notice to {n} tenant was issued in time for the law but with less notice than MaintDesk's "
               "good practice ({practice}).",
               "The first notice to {n} tenants was issued in time for the law but with less notice than MaintDesk's "
               "good practice ({practice})."),
        "fr": ("Le premier avis à {n} locataire a été émis à temps pour la loi, mais avec un préavis plus court que les "
               "bonnes pratiques de MaintDesk ({practice}).",
               "Le premier avis à {n} locataires a été émis à temps pour la loi, mais avec un préavis plus court que les "
               "bonnes pratiques de MaintDesk ({practice})."),
        "de": ("Die erste Ankündigung an {n} Mietpartei wurde gesetzlich rechtzeitig ausgegeben, aber mit weniger "
               "Vorlauf als nach der guten Praxis von MaintDesk ({practice}).",
               "Die erste Ankündigung an {n} Mietparteien wurde gesetzlich rechtzeitig ausgegeben, aber mit weniger "
               "Vorlauf als nach der guten Praxis von MaintDesk ({practice})."),
        "es": ("El primer aviso a {n} inquilino se emitió a tiempo según la ley, pero con menos antelación que la buena "
               "práctica de MaintDesk ({practice}).",
               "El primer aviso a {n} inquilinos se emitió a tiempo según la ley, pero con menos antelación que la buena "
               "práctica de MaintDesk ({practice}).")},
    "law/issued-late": {
        "en": ("The first notice to {n} tenant was issued too late: {how} on {when}, while {why}.",
               "The first notice to {n} tenants was issued too late: {how} on {when}, while {why}."),
        "fr": ("Le premier avis à {n} locataire a été émis trop tard : {how} le {when}, alors que {why}.",
               "Le premier avis à {n} locataires a été émis trop tard : {how} le {when}, alors que {why}."),
        "de": ("Die erste Ankündigung an {n} Mietpartei wurde zu spät ausgegeben: {how} am {when}; {why}.",
               "Die erste Ankündigung an {n} Mietparteien wurde zu spät ausgegeben: {how} am {when}; {why}."),
        "es": ("El primer aviso a {n} inquilino se emitió demasiado tarde: {how} el {when}, mientras que {why}.",
               "El primer aviso a {n} inquilinos se emitió demasiado tarde: {how} el {when}, mientras que {why}.")},
    "law/issued-late.fix": {
        "en": "move their visits to {start} or later with a postponement notice, or get their written agreement and "
              "override this finding",
        "fr": "reportez leurs visites au {start} ou plus tard avec un avis de report, ou obtenez leur accord écrit et "
              "acceptez ce constat",
        "de": "verlegen Sie ihre Besuche mit einer Verschiebungsmitteilung auf {start} oder später, oder holen Sie ihr "
              "schriftliches Einverständnis ein und akzeptieren Sie diesen Befund",
        "es": "traslade sus visitas al {start} o más tarde con un aviso de aplazamiento, o consiga su acuerdo por escrito "
              "y acepte esta observación"},
    "law/too-late": {
        "en": ("It is too late to give {n} tenant the notice the law asks for ({law}); the first visit starts {when}.",
               "It is too late to give {n} tenants the notice the law asks for ({law}); the first visit starts {when}."),
        "fr": ("Il est trop tard pour donner à {n} locataire le préavis qu'exige la loi ({law}) ; la première visite "
               "commence le {when}.",
               "Il est trop tard pour donner à {n} locataires le préavis qu'exige la loi ({law}) ; la première visite "
               "commence le {when}."),
        "de": ("Es ist zu spät, {n} Mietpartei die gesetzlich verlangte Ankündigung zu geben ({law}); der erste Besuch "
               "beginnt am {when}.",
               "Es ist zu spät, {n} Mietparteien die gesetzlich verlangte Ankündigung zu geben ({law}); der erste Besuch "
               "beginnt am {when}."),
        "es": ("Es demasiado tarde para dar a {n} inquilino el aviso que exige la ley ({law}); la primera visita empieza "
               "el {when}.",
               "Es demasiado tarde para dar a {n} inquilinos el aviso que exige la ley ({law}); la primera visita empieza "
               "el {when}.")},
    "law/too-late.fix": {
        "en": "move the start to {start} or later, or get the tenants' written agreement and override this finding",
        "fr": "reportez le début au {start} ou plus tard, ou obtenez l'accord écrit des locataires et acceptez ce constat",
        "de": "verschieben Sie den Beginn auf {start} oder später, oder holen Sie das schriftliche Einverständnis der "
              "Mietparteien ein und akzeptieren Sie diesen Befund",
        "es": "traslade el inicio al {start} o más tarde, o consiga el acuerdo por escrito de los inquilinos y acepte "
              "esta observación"},
    "law/hours": {
        "en": ("{n} visit falls outside {h0}–{h1}, e.g. {unit} {when}: {text}.{note}",
               "{n} visits fall outside {h0}–{h1}, e.g. {unit} {when}: {text}.{note}"),
        "fr": ("{n} visite tombe hors de la plage {h0}–{h1}, par exemple {unit} le {when} : {text}.{note}",
               "{n} visites tombent hors de la plage {h0}–{h1}, par exemple {unit} le {when} : {text}.{note}"),
        "de": ("{n} Besuch liegt außerhalb von {h0}–{h1}, z. B. {unit} am {when}: {text}.{note}",
               "{n} Besuche liegen außerhalb von {h0}–{h1}, z. B. {unit} am {when}: {text}.{note}"),
        "es": ("{n} visita queda fuera del horario {h0}–{h1}, p. ej. {unit} el {when}: {text}.{note}",
               "{n} visitas quedan fuera del horario {h0}–{h1}, p. ej. {unit} el {when}: {text}.{note}")},
    "law/hours.fix": {"en": "move them between {h0} and {h1}{agree}", "fr": "placez-les entre {h0} et {h1}{agree}",
                      "de": "verlegen Sie sie in die Zeit zwischen {h0} und {h1}{agree}",
                      "es": "muévalas entre las {h0} y las {h1}{agree}"},
    "law/days": {
        "en": "Visits fall on days when {text}: {dates}.{note}",
        "fr": "Des visites tombent des jours visés par la règle {text} : {dates}.{note}",
        "de": "Besuche fallen auf Tage, die unter die Regel {text} fallen: {dates}.{note}",
        "es": "Hay visitas en días afectados por la regla {text}: {dates}.{note}"},
    "law/day-units": {"en": "{day} ({why}): {units}", "fr": "{day} ({why}) : {units}", "de": "{day} ({why}): {units}",
                      "es": "{day} ({why}): {units}"},
    "law/holiday": {"en": "public holiday: {name}", "fr": "jour férié : {name}", "de": "Feiertag: {name}",
                    "es": "día festivo: {name}"},
    "law/days.fix": {"en": "move them to a permitted day such as {day}{agree}",
                     "fr": "placez-les un jour autorisé, par exemple le {day}{agree}",
                     "de": "verlegen Sie sie auf einen zulässigen Tag, etwa {day}{agree}",
                     "es": "trasládelas a un día permitido, como el {day}{agree}"},
    "law/agree": {"en": " or record the tenant's written agreement (work agree ID UNIT --note TEXT)",
                  "fr": " ou consignez l'accord écrit du locataire (work agree ID UNIT --note TEXT)",
                  "de": " oder erfassen Sie das schriftliche Einverständnis der Mietpartei (work agree ID UNIT --note TEXT)",
                  "es": " o registre el acuerdo por escrito del inquilino (work agree ID UNIT --note TEXT)"},
    "law/agreed-all": {"en": " Allowed: the tenants' written agreement is recorded; keep it.",
                       "fr": " Autorisé : l'accord écrit des locataires est consigné ; conservez-le.",
                       "de": " Zulässig: Das schriftliche Einverständnis der Mietparteien ist erfasst; bewahren Sie es auf.",
                       "es": " Permitido: el acuerdo por escrito de los inquilinos está registrado; consérvelo."},
    "law/agreed-units": {"en": " Allowed: these units' tenants agreed in writing; keep their agreements.",
                         "fr": " Autorisé : les locataires de ces logements ont donné leur accord écrit ; conservez ces "
                               "accords.",
                         "de": " Zulässig: Die Mietparteien dieser Wohnungen haben schriftlich zugestimmt; bewahren Sie die "
                               "Zustimmungen auf.",
                         "es": " Permitido: los inquilinos de estas viviendas dieron su acuerdo por escrito; conserve esos "
                               "acuerdos."},
    "law/not-waivable": {"en": " A tenant's written agreement recorded in advance does not lift this rule.",
                         "fr": " Un accord écrit du locataire consigné à l'avance ne lève pas cette règle.",
                         "de": " Ein vorab erfasstes schriftliches Einverständnis der Mietpartei hebt diese Regel nicht auf.",
                         "es": " Un acuerdo por escrito del inquilino registrado de antemano no anula esta regla."},

}

WORDS: dict[str, dict[str, str | tuple[str, ...]]] = {**_SLOTS_AND_LAW, **CONTENT_WORDS, **LAW_WORDS}

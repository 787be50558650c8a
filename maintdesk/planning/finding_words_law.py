"""The words of the findings on consent to email, lease periods, notices due after an emergency entry and
readings of open statutory terms, each in English, French, German and Spanish (see finding_words.py)."""

from __future__ import annotations

LAW_WORDS: dict[str, dict[str, str | tuple[str, ...]]] = {
    "unit.bd": {"en": ("{n} business day", "{n} business days"), "fr": ("{n} jour ouvré", "{n} jours ouvrés"),
                "de": ("{n} Werktag", "{n} Werktage"), "es": ("{n} día hábil", "{n} días hábiles")},
    "law/asks.reading": {
        "en": "a common reading of the law is {lead} {how}",
        "fr": "une lecture courante de la loi est de {lead} {how}",
        "de": "nach verbreiteter Auslegung des Gesetzes {lead} {how}",
        "es": "una interpretación habitual de la ley es de {lead} {how}"},
    "law/asks.practice": {
        "en": "good practice under this law is {lead} {how}",
        "fr": "la bonne pratique sous cette loi est de {lead} {how}",
        "de": "gute Praxis nach diesem Gesetz sind {lead} {how}",
        "es": "la buena práctica según esta ley es de {lead} {how}"},
    "law/email-consent": {
        "en": ("{n} tenant would get the notice by email only, but {rule} accepts a notice by email only from a tenant "
               "who agreed to it in writing, and no such consent is recorded.",
               "{n} tenants would get the notice by email only, but {rule} accepts a notice by email only from a tenant "
               "who agreed to it in writing, and no such consent is recorded."),
        "fr": ("{n} locataire recevrait l'avis par e-mail seulement, mais {rule} n'admet un avis par e-mail que si le "
               "locataire l'a accepté par écrit, et aucun accord de ce type n'est consigné.",
               "{n} locataires recevraient l'avis par e-mail seulement, mais {rule} n'admet un avis par e-mail que si le "
               "locataire l'a accepté par écrit, et aucun accord de ce type n'est consigné."),
        "de": ("{n} Mietpartei würde die Ankündigung nur per E-Mail erhalten, aber {rule} lässt eine Ankündigung per "
               "E-Mail nur zu, wenn die Mietpartei schriftlich zugestimmt hat, und keine solche Zustimmung ist erfasst.",
               "{n} Mietparteien würden die Ankündigung nur per E-Mail erhalten, aber {rule} lässt eine Ankündigung per "
               "E-Mail nur zu, wenn die Mietpartei schriftlich zugestimmt hat, und keine solche Zustimmung ist erfasst."),
        "es": ("{n} inquilino recibiría el aviso solo por correo electrónico, pero {rule} solo admite un aviso por correo "
               "electrónico si el inquilino lo aceptó por escrito, y no consta tal consentimiento.",
               "{n} inquilinos recibirían el aviso solo por correo electrónico, pero {rule} solo admite un aviso por correo "
               "electrónico si el inquilino lo aceptó por escrito, y no consta tal consentimiento.")},
    "law/email-consent.fix": {
        "en": "record each tenant's written consent (tenant set ID --email-consent DATE --consent-kept WHERE), or deliver "
              "the notice {allowed} by {when}",
        "fr": "consignez l'accord écrit de chaque locataire (tenant set ID --email-consent DATE --consent-kept LIEU), ou "
              "remettez l'avis {allowed} au plus tard le {when}",
        "de": "erfassen Sie die schriftliche Zustimmung jeder Mietpartei (tenant set ID --email-consent DATUM "
              "--consent-kept ORT), oder stellen Sie die Ankündigung bis {when} {allowed} zu",
        "es": "registre el consentimiento por escrito de cada inquilino (tenant set ID --email-consent FECHA "
              "--consent-kept LUGAR), o entregue el aviso {allowed} a más tardar el {when}"},
    "law/issued-email-consent": {
        "en": ("The first notice to {n} tenant went by email, which {rule} accepts only with the tenant's written consent; "
               "none is recorded.",
               "The first notice to {n} tenants went by email, which {rule} accepts only with the tenant's written "
               "consent; none is recorded."),
        "fr": ("Le premier avis à {n} locataire est parti par e-mail, ce que {rule} n'admet qu'avec l'accord écrit du "
               "locataire ; aucun n'est consigné.",
               "Le premier avis à {n} locataires est parti par e-mail, ce que {rule} n'admet qu'avec l'accord écrit du "
               "locataire ; aucun n'est consigné."),
        "de": ("Die erste Ankündigung an {n} Mietpartei ging per E-Mail, was {rule} nur mit schriftlicher Zustimmung der "
               "Mietpartei zulässt; keine ist erfasst.",
               "Die erste Ankündigung an {n} Mietparteien ging per E-Mail, was {rule} nur mit schriftlicher Zustimmung "
               "der Mietpartei zulässt; keine ist erfasst."),
        "es": ("El primer aviso a {n} inquilino se envió por correo electrónico, que {rule} solo admite con el "
               "consentimiento por escrito del inquilino; no consta ninguno.",
               "El primer aviso a {n} inquilinos se envió por correo electrónico, que {rule} solo admite con el "
               "consentimiento por escrito del inquilino; no consta ninguno.")},
    "law/issued-email-consent.fix": {
        "en": "if they agreed in writing before the notice, record it (tenant set ID --email-consent DATE); else "
              "deliver the notice again {allowed} and move the visit if that makes it late",
        "fr": "s'ils ont donné leur accord écrit avant l'avis, consignez-le (tenant set ID --email-consent DATE) ; "
              "sinon remettez de nouveau l'avis {allowed} et reportez la visite s'il devient tardif",
        "de": "wenn sie vor der Ankündigung schriftlich zugestimmt haben, erfassen Sie das (tenant edit ID "
              "--email-consent DATUM); sonst stellen Sie die Ankündigung erneut {allowed} zu und verschieben den Besuch, "
              "falls sie dadurch zu spät kommt",
        "es": "si lo aceptaron por escrito antes del aviso, regístrelo (tenant set ID --email-consent FECHA); si no, "
              "entregue el aviso de nuevo {allowed} y traslade la visita si así llega tarde"},
    "law/issued-short.fix": {
        "en": "the law is kept; to give them the notice good practice asks for, move their visits to {start} or later, "
              "or accept this warning with a reason",
        "fr": "la loi est respectée ; pour leur donner le préavis des bonnes pratiques, reportez leurs visites au {start} "
              "ou plus tard, ou acceptez cet avertissement en le motivant",
        "de": "das Gesetz ist eingehalten; für den Vorlauf der guten Praxis verlegen Sie ihre Besuche auf {start} oder "
              "später, oder akzeptieren Sie diese Warnung mit Begründung",
        "es": "la ley se cumple; para darles la antelación de la buena práctica, traslade sus visitas al {start} o más "
              "tarde, o acepte esta advertencia con un motivo"},
    "law/emergency-after": {
        "en": "After an emergency entry, the tenants must be told of it within {after}: by {when}.",
        "fr": "Après une entrée d'urgence, les locataires doivent en être informés dans un délai de {after} : au plus "
              "tard le {when}.",
        "de": "Nach einem Betreten im Notfall sind die Mietparteien innerhalb von {after} zu informieren: bis {when}.",
        "es": "Tras una entrada de urgencia, debe informarse a los inquilinos en un plazo de {after}: a más tardar el "
              "{when}."},
    "law/emergency-after.fix": {
        "en": "issue the emergency notice to every affected tenant by {when}",
        "fr": "émettez l'avis d'urgence à chaque locataire concerné au plus tard le {when}",
        "de": "geben Sie die Notfallmitteilung bis {when} an jede betroffene Mietpartei aus",
        "es": "emita el aviso de urgencia a cada inquilino afectado a más tardar el {when}"},
    "law/lease-unknown": {
        "en": ("{rule} sets no notice period for entry: the lease does. No lease notice period is recorded for {n} "
               "tenant.",
               "{rule} sets no notice period for entry: the lease does. No lease notice period is recorded for {n} "
               "tenants."),
        "fr": ("{rule} ne fixe pas de préavis d'entrée : c'est le bail qui le fait. Aucun préavis de bail n'est "
               "consigné pour {n} locataire.",
               "{rule} ne fixe pas de préavis d'entrée : c'est le bail qui le fait. Aucun préavis de bail n'est "
               "consigné pour {n} locataires."),
        "de": ("{rule} legt keine Ankündigungsfrist für das Betreten fest: Das tut der Mietvertrag. Für {n} Mietpartei "
               "ist keine Frist aus dem Mietvertrag erfasst.",
               "{rule} legt keine Ankündigungsfrist für das Betreten fest: Das tut der Mietvertrag. Für {n} "
               "Mietparteien ist keine Frist aus dem Mietvertrag erfasst."),
        "es": ("{rule} no fija un plazo de aviso para entrar: lo fija el contrato. No consta el plazo del contrato de "
               "{n} inquilino.",
               "{rule} no fija un plazo de aviso para entrar: lo fija el contrato. No consta el plazo del contrato de "
               "{n} inquilinos.")},
    "law/lease-unknown.fix": {
        "en": "read the lease and record its notice period on the property (property set ID --lease-notice 24h) or "
              "the tenant (tenant set ID --lease-notice 48h)",
        "fr": "lisez le bail et consignez son préavis sur l'immeuble (property set ID --lease-notice 24h) ou le "
              "locataire (tenant set ID --lease-notice 48h)",
        "de": "lesen Sie den Mietvertrag und erfassen Sie seine Frist beim Gebäude (property set ID --lease-notice 24h) "
              "oder bei der Mietpartei (tenant set ID --lease-notice 48h)",
        "es": "lea el contrato y registre su plazo en el inmueble (property set ID --lease-notice 24h) o en el "
              "inquilino (tenant set ID --lease-notice 48h)"},
    "law/lease-send-by": {
        "en": ("The lease asks {lead} of notice: send it {how} by {when} to {n} tenant.",
               "The lease asks {lead} of notice: send it {how} by {when} to {n} tenants."),
        "fr": ("Le bail demande un préavis de {lead} : envoyez-le {how} au plus tard le {when} à {n} locataire.",
               "Le bail demande un préavis de {lead} : envoyez-le {how} au plus tard le {when} à {n} locataires."),
        "de": ("Der Mietvertrag verlangt {lead} Vorlauf: Senden Sie die Ankündigung bis {when} {how} an {n} Mietpartei.",
               "Der Mietvertrag verlangt {lead} Vorlauf: Senden Sie die Ankündigung bis {when} {how} an {n} "
               "Mietparteien."),
        "es": ("El contrato exige {lead} de antelación: envíelo {how} a más tardar el {when} a {n} inquilino.",
               "El contrato exige {lead} de antelación: envíelo {how} a más tardar el {when} a {n} inquilinos.")},
    "law/lease-send-by.fix": {
        "en": "send by {when}", "fr": "envoyez-le au plus tard le {when}", "de": "senden Sie bis {when}",
        "es": "envíelo a más tardar el {when}"},
    "law/lease-too-late": {
        "en": ("It is too late to give {n} tenant the {lead} of notice the lease asks for {how}: the deadline was {when}.",
               "It is too late to give {n} tenants the {lead} of notice the lease asks for {how}: the deadline was "
               "{when}."),
        "fr": ("Il est trop tard pour donner à {n} locataire le préavis de {lead} que demande le bail {how} : la limite "
               "était le {when}.",
               "Il est trop tard pour donner à {n} locataires le préavis de {lead} que demande le bail {how} : la limite "
               "était le {when}."),
        "de": ("Es ist zu spät, {n} Mietpartei {how} die {lead} Vorlauf zu geben, die der Mietvertrag verlangt: Die "
               "Frist endete {when}.",
               "Es ist zu spät, {n} Mietparteien {how} die {lead} Vorlauf zu geben, die der Mietvertrag verlangt: Die "
               "Frist endete {when}."),
        "es": ("Es demasiado tarde para dar a {n} inquilino {how} los {lead} de antelación que exige el contrato: el "
               "límite era el {when}.",
               "Es demasiado tarde para dar a {n} inquilinos {how} los {lead} de antelación que exige el contrato: el "
               "límite era el {when}.")},
    "law/lease-too-late.fix": {
        "en": "move their visits later by the lease's {lead}, or get their written agreement and accept this finding",
        "fr": "reportez leurs visites du préavis du bail ({lead}), ou obtenez leur accord écrit et acceptez ce constat",
        "de": "verschieben Sie ihre Besuche um die Frist des Mietvertrags ({lead}), oder holen Sie ihr schriftliches "
              "Einverständnis ein und akzeptieren Sie diesen Befund",
        "es": "traslade sus visitas según el plazo del contrato ({lead}), o consiga su acuerdo por escrito y acepte esta "
              "observación"},
    "law/lease-issued-late": {
        "en": ("The notice to {n} tenant was issued {how} on {when}, with less than the {lead} the lease asks for.",
               "The notice to {n} tenants was issued {how} on {when}, with less than the {lead} the lease asks for."),
        "fr": ("L'avis à {n} locataire a été émis {how} le {when}, avec moins que le préavis de {lead} du bail.",
               "L'avis à {n} locataires a été émis {how} le {when}, avec moins que le préavis de {lead} du bail."),
        "de": ("Die Ankündigung an {n} Mietpartei wurde am {when} {how} ausgegeben, mit weniger als den {lead} "
               "Vorlauf des Mietvertrags.",
               "Die Ankündigung an {n} Mietparteien wurde am {when} {how} ausgegeben, mit weniger als den {lead} "
               "Vorlauf des Mietvertrags."),
        "es": ("El aviso a {n} inquilino se emitió {how} el {when}, con menos de los {lead} que exige el contrato.",
               "El aviso a {n} inquilinos se emitió {how} el {when}, con menos de los {lead} que exige el contrato.")},
    "law/lease-issued-late.fix": {
        "en": "move their visits so that the notice gives the lease's {lead}, or get their written agreement and accept "
              "this finding",
        "fr": "reportez leurs visites pour que l'avis respecte le préavis du bail ({lead}), ou obtenez leur accord écrit "
              "et acceptez ce constat",
        "de": "verlegen Sie ihre Besuche so, dass die Ankündigung die {lead} des Mietvertrags einhält, oder holen Sie ihr "
              "schriftliches Einverständnis ein und akzeptieren Sie diesen Befund",
        "es": "traslade sus visitas para que el aviso respete los {lead} del contrato, o consiga su acuerdo por escrito y "
              "acepte esta observación"},
}

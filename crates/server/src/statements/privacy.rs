//! The privacy notice for the widgets ("Datenschutzhinweise zu den Beteiligungswidgets"): which
//! data (the catalogue's kinds that concern citizens), why, on which legal basis, who is
//! responsible, how long each is kept (the town's periods in the catalogue's words), that no
//! third party is involved, and the citizen's rights. German and English side by side.

use super::{host_of, or_placeholder, Context, Doc};
use civickit_model::privacy::PersonalData;
use civickit_model::Lang;

/// The kinds a citizen's use of the widgets creates (officials' accounts are not).
pub fn citizens_data() -> impl Iterator<Item = PersonalData> {
    PersonalData::ALL
        .into_iter()
        .filter(|k| *k != PersonalData::OfficialAccounts)
}

pub fn write(lang: Lang, ctx: &Context) -> String {
    let de = lang == Lang::De;
    let town = &ctx.town.name;
    let f = ctx.fields;
    let mut doc = Doc::default();
    doc.para(&if de {
        format!(
            "{town} bietet auf seiner Website Beteiligungswidgets an: den Mängelmelder (Meldungen \
             mit Ort auf einer Karte), den Bürgerbriefkasten (Nachrichten an die Verwaltung) und \
             Umfragen. Diese Hinweise beschreiben, welche personenbezogenen Daten dabei verarbeitet \
             werden. Sie ergänzen die allgemeine Datenschutzerklärung der Gemeinde."
        )
    } else {
        format!(
            "{town} offers participation widgets on its website: the defect reporter (reports with \
             a place on a map), the citizen mailbox (messages to the administration) and polls. \
             This notice describes which personal data they process. It adds to the town's \
             general privacy policy."
        )
    });

    doc.heading(lang.pick("Verantwortliche Stelle", "Controller"));
    doc.para(or_placeholder(&f.controller, lang));
    doc.heading(lang.pick(
        "Datenschutzbeauftragte oder Datenschutzbeauftragter",
        "Data protection officer",
    ));
    doc.para(or_placeholder(&f.dpo, lang));

    doc.heading(lang.pick(
        "Welche Daten verarbeitet werden",
        "Which data are processed",
    ));
    doc.para(lang.pick(
        "Sie können die Widgets nutzen, ohne Ihren Namen zu nennen. Gespeichert wird nur, was Sie \
         selbst eingeben oder was die jeweilige Funktion braucht:",
        "You can use the widgets without giving your name. Only what you enter yourself or what \
         a function needs is stored:",
    ));
    doc.list(citizens_data().map(|k| k.label(lang)));
    doc.para(lang.pick(
        "Was Sie in Beschreibungen und Nachrichten schreiben oder auf Fotos zeigen, kann selbst \
         personenbezogen sein. Bitte nennen Sie dort keine Namen anderer Personen.",
        "What you write in descriptions and messages or show in photos may itself be personal. \
         Please do not name other people there.",
    ));
    doc.para(lang.pick(
        "Ihre IP-Adresse verarbeitet der Server nur kurz, um Anfragen zu begrenzen und Missbrauch \
         abzuwehren. Sie wird nicht mit Meldungen, Nachrichten oder Stimmen gespeichert; bei \
         „Betrifft mich auch“ und „Meldung melden“ bleibt nur eine verschlüsselte Kennung, aus der \
         sich die Adresse nicht zurückgewinnen lässt.",
        "The server processes your IP address only briefly, to limit requests and fend off \
         abuse. It is not stored with reports, messages or votes; for “Affects me too” and for \
         flags only a keyed hash is kept, from which the address cannot be recovered.",
    ));

    doc.heading(lang.pick("Zwecke", "Purposes"));
    doc.list([
        lang.pick(
            "Meldungen, Nachrichten und Umfrageteilnahmen entgegennehmen und bearbeiten",
            "Receiving and handling reports, messages and poll participation",
        ),
        lang.pick(
            "Sie auf Ihren Wunsch per E-Mail über den Stand Ihrer Meldung oder die Antwort auf Ihre \
             Nachricht informieren",
            "Informing you by e-mail, if you wish, about your report's progress or the answer to \
             your message",
        ),
        lang.pick(
            "Missbrauch abwehren: Mehrfachabstimmung, massenhafte Einsendungen, unzulässige Inhalte",
            "Fending off abuse: repeated voting, mass submissions, unlawful content",
        ),
    ]);

    doc.heading(lang.pick("Rechtsgrundlage", "Legal basis"));
    doc.para(or_placeholder(&f.legal_basis, lang));

    doc.heading(lang.pick("Speicherdauer", "How long data are kept"));
    doc.para(lang.pick(
        "Die Daten werden zu diesen Zeitpunkten automatisch gelöscht oder ungültig:",
        "The data are erased or stop working automatically at these times:",
    ));
    doc.list(
        citizens_data().map(|k| format!("{}: {}", k.label(lang), k.rule(lang, ctx.retention))),
    );
    doc.para(lang.pick(
        "Zahlen für die Statistik (Meldungen und Nachrichten je Art und Monat, Stimmen je \
         Antwort) bleiben ohne personenbezogene Daten erhalten.",
        "Figures for statistics (reports and messages per kind and month, votes per answer) are \
         kept without personal data.",
    ));
    doc.para(lang.pick(
        "Die Gemeinde veröffentlicht daraus Bearbeitungsstatistiken (Zahl der Meldungen, \
         Bearbeitungszeiten je Kategorie und Monat). Weniger als 5 Meldungen in einer Zelle \
         werden nur als „< 5“ angegeben und nicht ausgewertet, damit kein Einzelfall erkennbar ist.",
        "From them the town publishes processing statistics (numbers of reports, processing \
         times per category and month). Fewer than 5 reports in a cell are shown only as \
         \"< 5\" and not evaluated, so that no single case can be recognised.",
    ));

    write_no_third_parties(&mut doc, lang, ctx);

    doc.heading(lang.pick("Ihre Rechte", "Your rights"));
    doc.para(lang.pick(
        "Sie haben das Recht auf Auskunft über die zu Ihnen gespeicherten Daten (Art. 15 DSGVO), \
         auf Berichtigung (Art. 16), Löschung (Art. 17), Einschränkung der Verarbeitung (Art. 18), \
         Datenübertragbarkeit (Art. 20) und Widerspruch gegen die Verarbeitung (Art. 21 DSGVO). \
         Wenden Sie sich dazu an die verantwortliche Stelle und nennen Sie die E-Mail-Adresse oder \
         Telefonnummer, die Sie angegeben haben, oder das Aktenzeichen Ihrer Meldung.",
        "You have the right of access to the data stored about you (Art. 15 GDPR), to \
         rectification (Art. 16), erasure (Art. 17), restriction of processing (Art. 18), data \
         portability (Art. 20) and to object to the processing (Art. 21 GDPR). Please contact the \
         controller and name the e-mail address or phone number you gave, or your report's \
         reference.",
    ));
    let authority = f.supervisory_authority.trim();
    doc.para(&match (de, authority.is_empty()) {
        (true, true) => {
            "Sie haben außerdem das Recht, sich bei einer Datenschutz-Aufsichtsbehörde \
                         zu beschweren (Art. 77 DSGVO)."
                .to_string()
        }
        (true, false) => format!(
            "Sie haben außerdem das Recht, sich bei einer Datenschutz-Aufsichtsbehörde zu \
             beschweren (Art. 77 DSGVO), zum Beispiel bei der für die Gemeinde zuständigen: \
             {authority}"
        ),
        (false, true) => "You also have the right to lodge a complaint with a data protection \
                          supervisory authority (Art. 77 GDPR)."
            .to_string(),
        (false, false) => format!(
            "You also have the right to lodge a complaint with a data protection supervisory \
             authority (Art. 77 GDPR), for example the one responsible for the town: {authority}"
        ),
    });
    doc.text()
}

/// Tiles through the proxy, no cookies or tracking, proof-of-work instead of a captcha
/// service, what the browser keeps, and the town's geocoder if it set one.
fn write_no_third_parties(doc: &mut Doc, lang: Lang, ctx: &Context) {
    let de = lang == Lang::De;
    let server = host_of(ctx.base);
    doc.heading(lang.pick("Keine Weitergabe an Dritte", "No third parties"));
    doc.para(&if de {
        format!(
            "Die Widgets laden alles, was sie brauchen, von diesem Server ({server}). Ihr Browser \
             nimmt dabei keine Verbindung zu Dritten auf."
        )
    } else {
        format!(
            "The widgets load everything they need from this server ({server}). Your browser \
             connects to no third party."
        )
    });
    let tiles = if ctx.town.tile_url.starts_with('/') {
        lang.pick(
            "Die Kartenkacheln kommen von diesem Server.",
            "The map tiles come from this server.",
        )
        .to_string()
    } else {
        let host = host_of(&ctx.town.tile_url);
        if de {
            format!(
                "Kartenkacheln holt der Server selbst beim Kartendienst {host} ab und gibt sie an \
                 Ihren Browser weiter (Proxy). Der Kartendienst erfährt weder Ihre IP-Adresse noch \
                 Ihre Eingaben."
            )
        } else {
            format!(
                "The server fetches map tiles from the map service {host} itself and passes them \
                 on to your browser (proxy). The map service learns neither your IP address nor \
                 what you enter."
            )
        }
    };
    let mut items = vec![
        tiles,
        lang.pick(
            "Die Widgets setzen keine Cookies und verwenden keine Analyse- oder Tracking-Dienste.",
            "The widgets set no cookies and use no analytics or tracking services.",
        )
        .to_string(),
        lang.pick(
            "Statt eines Captcha-Dienstes löst Ihr Browser vor dem Absenden eine kleine \
             Rechenaufgabe (Proof of Work); dabei wird nichts an Dritte übermittelt.",
            "Instead of a captcha service, your browser solves a small computing task before \
             sending (proof of work); nothing is passed to third parties.",
        )
        .to_string(),
        lang.pick(
            "Im Speicher Ihres Browsers legen die Widgets nur ab, was ihre Funktion braucht: einen \
             Entwurf des Formulars ohne Kontaktdaten und Fotos für die Dauer der Sitzung, eine \
             Zufallskennung, damit „Betrifft mich auch“ je Browser einmal zählt, und nach der \
             Teilnahme an einer offenen Umfrage eine Kennung gegen doppelte Stimmabgabe.",
            "In your browser's storage the widgets keep only what their functions need: a draft \
             of the form without contact data and photos for the session, a random id so that \
             “Affects me too” counts once per browser, and after taking part in an open poll an \
             id against voting twice.",
        )
        .to_string(),
    ];
    let geocoder = ctx.town.geocoder_url.trim();
    if !geocoder.is_empty() {
        let host = host_of(geocoder);
        items.push(if de {
            format!(
                "Für die Adresssuche fragt der Server den Dienst {host} nach dem Suchtext oder \
                 einem gerundeten Ort, ohne Ihre IP-Adresse."
            )
        } else {
            format!(
                "For the address search the server asks the service {host} for the search text \
                 or a rounded place, without your IP address."
            )
        });
    }
    doc.list(items);
}

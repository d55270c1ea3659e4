//! Times as the town's people read them, for the pages that have no browser script to ask
//! for the local time (printed work orders, the reporter's tracking page).
//!
//! A town has no time-zone setting: every town civickit serves is German, so the zone is
//! Europe/Berlin. Its rule is the EU's and fits in a few lines
//! ([`in_town`]), so no time-zone database is built in: `Cargo.lock` has none (`time` brings
//! no zone data), and a crate with all the world's zones would grow the one binary for a rule
//! that has not changed since 1996. A town abroad would get a `time_zone` setting and such a
//! crate then.

use civickit_model::Lang;
use time::{Date, Month, OffsetDateTime, UtcOffset};

/// A record's time in Europe/Berlin: UTC+1, and UTC+2 from the last Sunday of March to the
/// last Sunday of October (01:00 UTC both).
pub fn in_town(unix: i64) -> OffsetDateTime {
    let utc = OffsetDateTime::from_unix_timestamp(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let last_sunday = |month: Month, days: u8| {
        let last = Date::from_calendar_date(utc.year(), month, days).expect("a valid date");
        let back = last.weekday().number_days_from_sunday();
        (last - time::Duration::days(back.into()))
            .with_hms(1, 0, 0)
            .expect("a valid time")
            .assume_utc()
    };
    let summer = utc >= last_sunday(Month::March, 31) && utc < last_sunday(Month::October, 31);
    let offset = UtcOffset::from_hms(if summer { 2 } else { 1 }, 0, 0).expect("a valid offset");
    utc.to_offset(offset)
}

/// Digits only, for a form an official fills in by hand: `06.12.2026 00:38 Uhr`,
/// `2026-12-06 00:38`.
pub fn local_time(unix: i64, lang: Lang) -> String {
    let t = in_town(unix);
    match lang {
        Lang::De => format!(
            "{:02}.{:02}.{} {:02}:{:02} Uhr",
            t.day(),
            u8::from(t.month()),
            t.year(),
            t.hour(),
            t.minute()
        ),
        Lang::En => format!(
            "{}-{:02}-{:02} {:02}:{:02}",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute()
        ),
    }
}

const MONTHS: [(&str, &str); 12] = [
    ("Januar", "January"),
    ("Februar", "February"),
    ("März", "March"),
    ("April", "April"),
    ("Mai", "May"),
    ("Juni", "June"),
    ("Juli", "July"),
    ("August", "August"),
    ("September", "September"),
    ("Oktober", "October"),
    ("November", "November"),
    ("Dezember", "December"),
];

/// With the month's name, as a citizen reads a date: `2. Dezember 2026, 19:51`,
/// `2 December 2026, 19:51`.
pub fn long_time(unix: i64, lang: Lang) -> String {
    let t = in_town(unix);
    let (de, en) = MONTHS[usize::from(u8::from(t.month())) - 1];
    let (day, month, year) = (t.day(), lang.pick(de, en), t.year());
    let (hour, minute) = (t.hour(), t.minute());
    match lang {
        Lang::De => format!("{day}. {month} {year}, {hour:02}:{minute:02}"),
        Lang::En => format!("{day} {month} {year}, {hour:02}:{minute:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_german_local_time_in_winter_and_summer() {
        // 2026-12-05 23:38 UTC is 00:38 the next day in Germany (UTC+1).
        assert_eq!(local_time(1_796_513_880, Lang::De), "06.12.2026 00:38 Uhr");
        assert_eq!(local_time(1_796_513_880, Lang::En), "2026-12-06 00:38");
        // 2026-07-01 10:00 UTC is 12:00 in summer (UTC+2).
        assert_eq!(local_time(1_782_900_000, Lang::De), "01.07.2026 12:00 Uhr");
        // The switches: 2026-03-29 01:00 UTC and 2026-10-25 01:00 UTC.
        assert_eq!(local_time(1_774_745_999, Lang::De), "29.03.2026 01:59 Uhr");
        assert_eq!(local_time(1_774_746_000, Lang::De), "29.03.2026 03:00 Uhr");
        assert_eq!(local_time(1_792_890_000, Lang::De), "25.10.2026 02:00 Uhr");
    }

    #[test]
    fn long_times_name_the_month_in_the_citizens_language() {
        // 2026-12-01 18:51:20 UTC, the raw time the tracking page used to show.
        assert_eq!(
            long_time(1_796_151_080, Lang::De),
            "1. Dezember 2026, 19:51"
        );
        assert_eq!(long_time(1_796_151_080, Lang::En), "1 December 2026, 19:51");
        // Past midnight in Germany, still the day before in UTC; summer time in May.
        assert_eq!(
            long_time(1_796_513_880, Lang::De),
            "6. Dezember 2026, 00:38"
        );
        assert_eq!(long_time(1_779_444_000, Lang::De), "22. Mai 2026, 12:00");
        assert_eq!(long_time(1_772_323_200, Lang::En), "1 March 2026, 01:00");
    }
}

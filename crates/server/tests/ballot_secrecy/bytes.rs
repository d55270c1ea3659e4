//! Reading what the database keeps, byte by byte: SQLite's file and WAL, PostgreSQL's pages
//! (pageinspect). For `ballot_secrecy.rs`.

use crate::common::TestServer;
use sqlx::Row;

/// An integer in SQLite's record format: (serial type, big-endian bytes).
pub fn sqlite_int(v: i64) -> (u8, Vec<u8>) {
    match v {
        0 => (8, vec![]),
        1 => (9, vec![]),
        v if i8::try_from(v).is_ok() => (1, (v as i8).to_be_bytes().to_vec()),
        v if i16::try_from(v).is_ok() => (2, (v as i16).to_be_bytes().to_vec()),
        v => (6, v.to_be_bytes().to_vec()),
    }
}

/// The bytes of a `poll_options` record as SQLite writes it (columns id, poll_id, question_id,
/// position, text, votes, interim_votes; `id` is the rowid, stored as NULL), from its second
/// serial type on: a freed cell's first four bytes (payload size, rowid, header size, the NULL's
/// type) are overwritten by the free-block header, the rest stays unless the page zeroes it.
/// Every value of the row is in it, so it matches that row in that state and nothing else.
pub fn option_record_tail(row: &(i64, i64, i64, i64, String), votes: i64, interim: i64) -> Vec<u8> {
    let (_, poll_id, question_id, position, text) = row;
    let ints = [*poll_id, *question_id, *position];
    let mut types = Vec::new();
    let mut body = Vec::new();
    for v in ints {
        let (t, b) = sqlite_int(v);
        types.push(t);
        body.extend(b);
    }
    assert!(text.len() < 57, "a text whose serial type is one byte");
    types.push(13 + 2 * text.len() as u8);
    body.extend(text.as_bytes());
    for v in [votes, interim] {
        let (t, b) = sqlite_int(v);
        types.push(t);
        body.extend(b);
    }
    [types, body].concat()
}

pub fn find_all(haystack: &[u8], needle: &[u8]) -> Vec<usize> {
    haystack
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect()
}

/// The database file and its WAL, as bytes.
pub fn sqlite_files(s: &TestServer) -> (Vec<u8>, Vec<u8>) {
    let path = s.db_url.strip_prefix("sqlite://").unwrap();
    let wal = std::fs::read(format!("{path}-wal")).unwrap_or_default();
    (std::fs::read(path).unwrap(), wal)
}

/// Where each hash stands in the database file (exactly once).
pub fn offsets(file: &[u8], hashes: &[String]) -> Vec<usize> {
    hashes
        .iter()
        .map(|h| {
            let at = find_all(file, h.as_bytes());
            assert_eq!(at.len(), 1, "{h} once in the file: {at:?}");
            at[0]
        })
        .collect()
}

/// `hashes` ordered by their place in the file.
pub fn file_order(file: &[u8], hashes: &[String]) -> Vec<String> {
    let mut placed: Vec<(usize, String)> = offsets(file, hashes)
        .into_iter()
        .zip(hashes.iter().cloned())
        .collect();
    placed.sort();
    placed.into_iter().map(|(_, h)| h).collect()
}

/// The file order of participation rows follows their keys (ascending or descending), not the
/// order of the votes, and neither does a plain SELECT.
pub fn assert_no_sequence(
    in_file: &[String],
    in_select: &[String],
    vote_order: &[String],
    what: &str,
) {
    let mut by_key = vote_order.to_vec();
    by_key.sort();
    let mut by_key_desc = by_key.clone();
    by_key_desc.reverse();
    assert!(
        in_file == by_key || in_file == by_key_desc,
        "{what}: the file's order is the keys' order\n file: {in_file:?}\n keys: {by_key:?}"
    );
    let mut reversed = vote_order.to_vec();
    reversed.reverse();
    for order in [in_file, in_select] {
        assert_ne!(order, vote_order, "{what}: not the order of the votes");
        assert_ne!(
            order, reversed,
            "{what}: not the order of the votes, backwards"
        );
    }
    assert_eq!(in_select, by_key, "{what}: a plain SELECT gives key order");
}

/// No state of a counter row before the last vote is anywhere in the file or the WAL, unless
/// it equals the row as it is now. Returns how many earlier states were looked for.
pub fn assert_no_earlier_counts(
    s: &TestServer,
    rows: &[(i64, i64, i64, i64, String)],
    states: &[Vec<(i64, i64)>],
) -> usize {
    let (file, wal) = sqlite_files(s);
    let last = states.last().unwrap();
    let mut looked_for = 0;
    for (r, row) in rows.iter().enumerate() {
        let now = option_record_tail(row, last[r].0, last[r].1);
        assert!(
            !find_all(&file, &now).is_empty() || !find_all(&wal, &now).is_empty(),
            "the live record of {} is found (the needle is right)",
            row.4
        );
        for (i, state) in states[..states.len() - 1].iter().enumerate() {
            let before = option_record_tail(row, state[r].0, state[r].1);
            if before == now {
                continue;
            }
            looked_for += 1;
            assert!(
                find_all(&file, &before).is_empty() && find_all(&wal, &before).is_empty(),
                "{}: the counters after vote {i} ({:?}) are still in the {}",
                row.4,
                state[r],
                if find_all(&file, &before).is_empty() {
                    "WAL"
                } else {
                    "database file"
                }
            );
        }
    }
    looked_for
}

pub async fn plain_select(s: &TestServer, table: &str, key: &str, poll: i64) -> Vec<String> {
    sqlx::query(&format!("SELECT {key} FROM {table} WHERE poll_id = $1"))
        .bind(poll)
        .fetch_all(&s.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(key))
        .collect()
}

// ---- PostgreSQL's pages -------------------------------------------------------------------------

/// PostgreSQL: every stored version of `poll_options` rows of `poll`, found in the table's raw
/// pages (pageinspect): for each live row, its tuple bytes with (votes, interim_votes) replaced
/// by each earlier state, looked for in every page. Returns how many earlier states are there.
pub async fn postgres_earlier_counts(
    s: &TestServer,
    poll: i64,
    ids: &[i64],
    states: &[Vec<(i64, i64)>],
) -> usize {
    let pages: Vec<Vec<u8>> = {
        let n: i64 = sqlx::query(
            "SELECT CAST(pg_relation_size('poll_options') / current_setting('block_size')::int AS BIGINT) AS n",
        )
        .fetch_one(&s.db.pool)
        .await
        .unwrap()
        .get("n");
        let mut pages = Vec::new();
        for block in 0..n {
            pages.push(
                sqlx::query("SELECT get_raw_page('poll_options', CAST($1 AS INT)) AS p")
                    .bind(block)
                    .fetch_one(&s.db.pool)
                    .await
                    .unwrap()
                    .get("p"),
            );
        }
        pages
    };
    let mut found = 0;
    let last = states.last().unwrap();
    for (r, id) in ids.iter().enumerate() {
        // The live tuple's data: id, poll_id, question_id, position, text, votes, interim_votes;
        // the last two are 8 bytes each, little-endian, at its end.
        let live: Vec<u8> = sqlx::query(
            "SELECT i.t_data AS d FROM generate_series(0, CAST(pg_relation_size('poll_options') / current_setting('block_size')::int AS INT) - 1) AS b, \
             LATERAL heap_page_items(get_raw_page('poll_options', b)) AS i \
             WHERE i.t_ctid = (SELECT ctid FROM poll_options WHERE id = $1 AND poll_id = $2) AND i.lp_flags = 1",
        )
        .bind(*id)
        .bind(poll)
        .fetch_one(&s.db.pool)
        .await
        .unwrap()
        .get("d");
        let prefix = &live[..live.len() - 16];
        for state in &states[..states.len() - 1] {
            if state[r] == last[r] {
                continue;
            }
            let needle = [prefix, &state[r].0.to_le_bytes(), &state[r].1.to_le_bytes()].concat();
            found += pages
                .iter()
                .filter(|p| !find_all(p, &needle).is_empty())
                .count();
        }
    }
    found
}

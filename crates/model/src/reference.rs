use std::fmt;

/// What a public reference number refers to; the letter prefix tells citizens and clerks apart
/// a defect report (`M` for Mängelmeldung) from a mailbox message (`B` for Bürgerbriefkasten).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReferenceKind {
    Report,
    Message,
}

impl ReferenceKind {
    pub fn prefix(self) -> char {
        match self {
            ReferenceKind::Report => 'M',
            ReferenceKind::Message => 'B',
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ReferenceKind::Report => "report",
            ReferenceKind::Message => "message",
        }
    }
}

/// A public reference such as `M-2026-00042`: kind, year and a per-tenant, per-year sequence.
/// It is what citizens quote on the phone, and the Open311 `service_request_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Reference {
    pub kind: ReferenceKind,
    pub year: i32,
    pub seq: i64,
}

impl Reference {
    pub fn parse(s: &str) -> Option<Reference> {
        let mut parts = s.trim().splitn(3, '-');
        let kind = match parts.next()? {
            "M" | "m" => ReferenceKind::Report,
            "B" | "b" => ReferenceKind::Message,
            _ => return None,
        };
        let year = parts.next()?;
        let seq = parts.next()?;
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if seq.is_empty() || seq.len() > 12 || !seq.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(Reference {
            kind,
            year: year.parse().ok()?,
            seq: seq.parse().ok()?,
        })
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:04}-{:05}", self.kind.prefix(), self.year, self.seq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_the_spec() {
        let r = Reference {
            kind: ReferenceKind::Report,
            year: 2026,
            seq: 42,
        };
        assert_eq!(r.to_string(), "M-2026-00042");
        assert_eq!(Reference::parse("M-2026-00042"), Some(r));
        let b = Reference {
            kind: ReferenceKind::Message,
            year: 2026,
            seq: 123456,
        };
        assert_eq!(b.to_string(), "B-2026-123456");
        assert_eq!(Reference::parse(&b.to_string()), Some(b));
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "",
            "M",
            "M-2026",
            "X-2026-00001",
            "M-26-00001",
            "M-2026-",
            "M-2026-1a",
            "M-2026-00001; DROP TABLE",
        ] {
            assert_eq!(Reference::parse(bad), None, "{bad}");
        }
    }
}

//! A zip archive written by hand: deflated files (flate2, already here for the gzip bundle)
//! with their CRC-32, and the central directory. The plugin is a dozen small files, which is
//! all this needs to cover; the `zip` crate would bring a dependency tree for the same ~80
//! lines, and shelling out to `zip` would add a system package to every build machine.
//! Entries get one fixed time, so the same files give the same bytes (and the same ETag).

use flate2::write::DeflateEncoder;
use flate2::{Compression, Crc};
use std::io::Write;

/// 2026-01-01 00:00 in MS-DOS form: (year - 1980) << 9 | month << 5 | day, and 0:00.
const DOS_DATE: u16 = (2026 - 1980) << 9 | 1 << 5 | 1;
const DOS_TIME: u16 = 0;
/// Bit 11: names are UTF-8.
const UTF8_NAMES: u16 = 1 << 11;
/// "Made by" Unix (3), zip 2.0, so that unzip keeps the permissions below.
const MADE_BY_UNIX: u16 = 3 << 8 | 20;
const NEEDED: u16 = 20;
const STORED: u16 = 0;
const DEFLATED: u16 = 8;

#[derive(Default)]
pub struct ZipWriter {
    out: Vec<u8>,
    central: Vec<u8>,
    entries: u16,
}

impl ZipWriter {
    /// A folder entry (`name` ends with `/`); unpackers create parents anyway, but some list
    /// only what the archive names.
    pub fn folder(&mut self, name: &str) {
        debug_assert!(name.ends_with('/'));
        self.entry(name, &[], &[], 0, STORED, 0o40755 << 16 | 0x10);
    }

    pub fn file(&mut self, name: &str, bytes: &[u8]) {
        let mut crc = Crc::new();
        crc.update(bytes);
        let mut deflate = DeflateEncoder::new(Vec::new(), Compression::best());
        deflate.write_all(bytes).expect("writing to memory");
        let packed = deflate.finish().expect("writing to memory");
        self.entry(name, bytes, &packed, crc.sum(), DEFLATED, 0o100644 << 16);
    }

    fn entry(
        &mut self,
        name: &str,
        plain: &[u8],
        packed: &[u8],
        crc: u32,
        method: u16,
        external: u32,
    ) {
        let offset = self.out.len() as u32;
        let (packed_len, plain_len) = (packed.len() as u32, plain.len() as u32);
        // The fields both headers share, from "version needed" to the name's length.
        let mut common = Vec::new();
        for v in [NEEDED, UTF8_NAMES, method, DOS_TIME, DOS_DATE] {
            common.extend_from_slice(&v.to_le_bytes());
        }
        for v in [crc, packed_len, plain_len] {
            common.extend_from_slice(&v.to_le_bytes());
        }
        common.extend_from_slice(&(name.len() as u16).to_le_bytes());

        self.out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        self.out.extend_from_slice(&common);
        self.out.extend_from_slice(&0u16.to_le_bytes()); // no extra field
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(packed);

        self.central
            .extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        self.central.extend_from_slice(&MADE_BY_UNIX.to_le_bytes());
        self.central.extend_from_slice(&common);
        // extra, comment, disk number, internal attributes
        self.central.extend_from_slice(&[0; 8]);
        self.central.extend_from_slice(&external.to_le_bytes());
        self.central.extend_from_slice(&offset.to_le_bytes());
        self.central.extend_from_slice(name.as_bytes());
        self.entries += 1;
    }

    pub fn finish(mut self) -> Vec<u8> {
        let (at, size) = (self.out.len() as u32, self.central.len() as u32);
        self.out.append(&mut self.central);
        self.out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        self.out.extend_from_slice(&[0; 4]); // this disk, the directory's disk
        self.out.extend_from_slice(&self.entries.to_le_bytes());
        self.out.extend_from_slice(&self.entries.to_le_bytes());
        self.out.extend_from_slice(&size.to_le_bytes());
        self.out.extend_from_slice(&at.to_le_bytes());
        self.out.extend_from_slice(&0u16.to_le_bytes()); // no comment
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn u16_at(b: &[u8], at: usize) -> u16 {
        u16::from_le_bytes([b[at], b[at + 1]])
    }
    fn u32_at(b: &[u8], at: usize) -> u32 {
        u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
    }

    /// Reads an archive back the way an unpacker does: from the end record to the central
    /// directory to each local header, inflating and checking the CRC.
    fn read_back(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
        let end = zip.len() - 22;
        assert_eq!(u32_at(zip, end), 0x0605_4b50, "end of central directory");
        let count = u16_at(zip, end + 10) as usize;
        let mut at = u32_at(zip, end + 16) as usize;
        let mut files = Vec::new();
        for _ in 0..count {
            assert_eq!(u32_at(zip, at), 0x0201_4b50, "central directory entry");
            let method = u16_at(zip, at + 10);
            let crc = u32_at(zip, at + 16);
            let (packed, plain) = (u32_at(zip, at + 20) as usize, u32_at(zip, at + 24) as usize);
            let name_len = u16_at(zip, at + 28) as usize;
            let local = u32_at(zip, at + 42) as usize;
            let name = String::from_utf8(zip[at + 46..at + 46 + name_len].to_vec()).unwrap();
            assert_eq!(u32_at(zip, local), 0x0403_4b50, "local header of {name}");
            assert_eq!(&zip[local + 30..local + 30 + name_len], name.as_bytes());
            let data = &zip[local + 30 + name_len..local + 30 + name_len + packed];
            let bytes = if method == DEFLATED {
                let mut out = Vec::new();
                flate2::read::DeflateDecoder::new(data)
                    .read_to_end(&mut out)
                    .unwrap();
                out
            } else {
                data.to_vec()
            };
            assert_eq!(bytes.len(), plain, "size of {name}");
            let mut check = Crc::new();
            check.update(&bytes);
            assert_eq!(check.sum(), crc, "CRC of {name}");
            files.push((name, bytes));
            at += 46 + name_len;
        }
        files
    }

    #[test]
    fn files_read_back_with_their_names_sizes_and_checksums() {
        let php = "<?php\n// Grüße\n".repeat(50);
        let mut zip = ZipWriter::default();
        zip.folder("civickit/");
        zip.file("civickit/civickit.php", php.as_bytes());
        zip.file("civickit/empty.txt", b"");
        let bytes = zip.finish();
        let files = read_back(&bytes);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ["civickit/", "civickit/civickit.php", "civickit/empty.txt"]
        );
        assert_eq!(files[1].1, php.as_bytes());
        assert!(files[2].1.is_empty());
        assert!(bytes.len() < php.len(), "deflated");
    }

    #[test]
    fn the_same_files_give_the_same_bytes() {
        let build = || {
            let mut zip = ZipWriter::default();
            zip.file("a.txt", b"same");
            zip.finish()
        };
        assert_eq!(build(), build());
    }
}

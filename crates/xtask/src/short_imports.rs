//! Short import names for a widget's wasm and its glue.
//!
//! wasm-bindgen names every JS function the wasm imports like
//! `__wbg_instanceof_HtmlInputElement_28751c98d77a5a65`: the `<civic-reports>` wasm imports
//! about 220 of them, and each name is in the wasm's import section and again as a key of the
//! glue's import object. The 16 hex digits do not compress, so those names cost about 4 KB
//! with brotli. Here each import of the glue's module is renamed to a short name (`a`, `b`, …,
//! `aa`, …) in both files; nothing else refers to import names (calls use indices).
//!
//! Checked, not hoped for: every renamed import must be a key of the glue exactly once
//! (`NAME:`), or nothing is written and the build stops, since a glue format we do not know
//! would otherwise fail only in the browser.

use crate::util::Result;

/// Renames the imports of `wasm` from `module` (wasm-bindgen's `./civic_X_bg.js`) and the same
/// keys in `glue`. Returns the new wasm and glue.
pub fn shorten(wasm: &[u8], glue: &str, module: &str) -> Result<(Vec<u8>, String)> {
    let mut r = Reader { bytes: wasm, at: 8 };
    if wasm.len() < 8 || &wasm[..4] != b"\0asm" {
        return Err("not a wasm module".into());
    }
    let mut out = wasm[..8].to_vec();
    let mut glue = glue.to_string();
    while r.at < wasm.len() {
        let id = r.byte()?;
        let len = r.uleb()? as usize;
        let start = r.at;
        let end = start + len;
        if end > wasm.len() {
            return Err("a section runs past the end".into());
        }
        if id != 2 {
            out.push(id);
            push_uleb(&mut out, len as u64);
            out.extend_from_slice(&wasm[start..end]);
            r.at = end;
            continue;
        }
        // The import section: entries of (module, name, kind, description).
        let mut section = Vec::new();
        let count = r.uleb()?;
        push_uleb(&mut section, count);
        let mut renamed = 0usize;
        for _ in 0..count {
            let m = r.name()?;
            let name = r.name()?;
            let desc_start = r.at;
            r.skip_import_desc()?;
            let desc = &wasm[desc_start..r.at];
            let new_name = if m == module {
                let short = short_name(renamed);
                renamed += 1;
                let key = format!("{name}:");
                if glue.matches(&key).count() != 1 {
                    return Err(format!(
                        "the glue does not have the import `{name}` exactly once as a key \
                         (wasm-bindgen's glue changed?)"
                    ));
                }
                glue = glue.replacen(&key, &format!("{short}:"), 1);
                short
            } else {
                name.to_string()
            };
            push_name(&mut section, m);
            push_name(&mut section, &new_name);
            section.extend_from_slice(desc);
        }
        if r.at != end {
            return Err("the import section has bytes after its entries".into());
        }
        out.push(2);
        push_uleb(&mut out, section.len() as u64);
        out.extend_from_slice(&section);
    }
    Ok((out, glue))
}

/// `a`…`z`, `A`…`Z`, then two letters, and so on: valid JS property names, never the same.
fn short_name(mut n: usize) -> String {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let base = LETTERS.len();
    let mut s = vec![LETTERS[n % base]];
    n /= base;
    while n > 0 {
        n -= 1;
        s.push(LETTERS[n % base]);
        n /= base;
    }
    s.reverse();
    String::from_utf8(s).expect("ASCII")
}

fn push_uleb(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn push_name(out: &mut Vec<u8>, s: &str) {
    push_uleb(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Result<u8> {
        let b = *self
            .bytes
            .get(self.at)
            .ok_or("unexpected end of the wasm")?;
        self.at += 1;
        Ok(b)
    }

    fn uleb(&mut self) -> Result<u64> {
        let (mut v, mut shift) = (0u64, 0);
        loop {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
            shift += 7;
            if shift > 63 {
                return Err("a LEB128 number is too long".into());
            }
        }
    }

    fn name(&mut self) -> Result<&'a str> {
        let len = self.uleb()? as usize;
        let bytes = self
            .bytes
            .get(self.at..self.at + len)
            .ok_or("a name runs past the end")?;
        self.at += len;
        std::str::from_utf8(bytes).map_err(|_| "a name is not UTF-8".to_string())
    }

    fn limits(&mut self) -> Result {
        let flags = self.byte()?;
        self.uleb()?;
        if flags & 1 != 0 {
            self.uleb()?;
        }
        Ok(())
    }

    /// Skips an import's description: function, table, memory, global or tag.
    fn skip_import_desc(&mut self) -> Result {
        match self.byte()? {
            0 => self.uleb().map(|_| ()),
            1 => {
                let reftype = self.byte()?;
                if reftype != 0x70 && reftype != 0x6f {
                    return Err(format!("a table of type 0x{reftype:02x} is not handled"));
                }
                self.limits()
            }
            2 => self.limits(),
            3 => {
                let valtype = self.byte()?;
                if !(0x6f..=0x7f).contains(&valtype) {
                    return Err(format!("a global of type 0x{valtype:02x} is not handled"));
                }
                self.byte().map(|_| ())
            }
            4 => self.byte().and_then(|_| self.uleb()).map(|_| ()),
            kind => Err(format!("an import of kind {kind} is not handled")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module importing two functions from the glue and a memory from elsewhere.
    fn module(names: &[(&str, &str)]) -> Vec<u8> {
        let mut imports = Vec::new();
        push_uleb(&mut imports, names.len() as u64 + 1);
        for (m, n) in names {
            push_name(&mut imports, m);
            push_name(&mut imports, n);
            imports.extend_from_slice(&[0, 0]); // function of type 0
        }
        push_name(&mut imports, "env");
        push_name(&mut imports, "memory");
        imports.extend_from_slice(&[2, 1, 1, 2]); // memory, min 1, max 2
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        wasm.extend_from_slice(&[1, 4, 1, 0x60, 0, 0]); // type section: () -> ()
        wasm.push(2);
        push_uleb(&mut wasm, imports.len() as u64);
        wasm.extend_from_slice(&imports);
        wasm
    }

    #[test]
    fn imports_of_the_glue_get_short_names_in_both_files() {
        let wasm = module(&[
            ("./g.js", "__wbg_append_0123456789abcdef"),
            ("./g.js", "__wbg_remove_fedcba9876543210"),
        ]);
        let glue =
            "const import0 = { __proto__: null, __wbg_append_0123456789abcdef: function(a) {}, \
                    __wbg_remove_fedcba9876543210: function() {} };";
        let (short, glue) = shorten(&wasm, glue, "./g.js").unwrap();
        assert_eq!(short, module(&[("./g.js", "a"), ("./g.js", "b")]));
        assert_eq!(
            glue,
            "const import0 = { __proto__: null, a: function(a) {}, b: function() {} };"
        );
    }

    #[test]
    fn a_name_the_glue_lacks_stops_the_build() {
        let wasm = module(&[("./g.js", "__wbg_gone_0123456789abcdef")]);
        assert!(shorten(&wasm, "const import0 = {};", "./g.js").is_err());
    }

    #[test]
    fn short_names_are_distinct_letters() {
        let names: Vec<String> = (0..3000).map(short_name).collect();
        let unique: std::collections::HashSet<&String> = names.iter().collect();
        assert_eq!(unique.len(), names.len());
        assert_eq!((names[0].as_str(), names[51].as_str()), ("a", "Z"));
        assert_eq!((names[52].as_str(), names[53].as_str()), ("aa", "ab"));
        assert!(names
            .iter()
            .all(|n| n.bytes().all(|b| b.is_ascii_alphabetic())));
    }
}

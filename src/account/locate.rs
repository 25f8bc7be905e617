//! Finds the line and column of a JSON path (`contacts[1].owner`) in the
//! account text, so that validation errors point at a place in the file
//! as well as naming the path.
//!
//! Takes text that has already been parsed successfully (so it is
//! well-formed) and a path in the form `validate` writes; gives the byte
//! offset of the value at that path, or `None` if it cannot be found
//! (then only the path is reported). JSON is scanned by hand (serde_json
//! keeps no positions); TOML is read with `toml`'s spanned document.

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg {
    /// An object key.
    Key(String),
    /// An array index.
    Index(usize),
}

/// Splits `a.b[2]["c d"]` into its steps.
pub(crate) fn parse_path(path: &str) -> Option<Vec<Seg>> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(c) = rest.chars().next() {
        if c == '.' {
            rest = rest.get(1..)?;
        } else if let Some(inner) = rest.strip_prefix("[\"") {
            // A quoted key: find the closing quote that is not escaped.
            let mut escaped = false;
            let end = inner.char_indices().find_map(|(i, ch)| {
                let close = ch == '"' && !escaped;
                escaped = ch == '\\' && !escaped;
                close.then_some(i)
            })?;
            let key: String = serde_json::from_str(rest.get(1..end + 3)?).ok()?;
            out.push(Seg::Key(key));
            rest = inner.get(end + 1..)?.strip_prefix(']')?;
        } else if let Some(inner) = rest.strip_prefix('[') {
            let end = inner.find(']')?;
            out.push(Seg::Index(inner.get(..end)?.parse().ok()?));
            rest = inner.get(end + 1..)?;
        } else {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            out.push(Seg::Key(rest.get(..end)?.to_owned()));
            rest = rest.get(end..)?;
        }
    }
    Some(out)
}

/// The byte offset of the value at `path` in a JSON text.
pub(crate) fn json(text: &str, path: &[Seg]) -> Option<usize> {
    let mut s = Scanner {
        bytes: text.as_bytes(),
        text,
        at: 0,
    };
    for seg in path {
        s.ws();
        match seg {
            Seg::Key(key) => {
                s.expect(b'{')?;
                loop {
                    s.ws();
                    let name = s.string()?;
                    s.ws();
                    s.expect(b':')?;
                    s.ws();
                    if name == *key {
                        break;
                    }
                    s.skip_value()?;
                    s.ws();
                    s.expect(b',')?;
                }
            }
            Seg::Index(index) => {
                s.expect(b'[')?;
                for _ in 0..*index {
                    s.ws();
                    s.skip_value()?;
                    s.ws();
                    s.expect(b',')?;
                }
                s.ws();
            }
        }
    }
    s.ws();
    Some(s.at)
}

struct Scanner<'a> {
    bytes: &'a [u8],
    text: &'a str,
    at: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// Skips a string and returns its decoded value.
    fn string(&mut self) -> Option<String> {
        let start = self.at;
        self.skip_string()?;
        serde_json::from_str(self.text.get(start..self.at)?).ok()
    }

    fn skip_string(&mut self) -> Option<()> {
        self.expect(b'"')?;
        loop {
            match self.peek()? {
                b'\\' => self.at += 2,
                b'"' => {
                    self.at += 1;
                    return Some(());
                }
                _ => self.at += 1,
            }
        }
    }

    /// Skips one value of any kind; containers are skipped by counting
    /// brackets, not by recursion.
    fn skip_value(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.skip_string(),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.skip_string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth = depth.checked_sub(1)?;
                            if depth == 0 {
                                self.at += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.at += 1;
                }
            }
            _ => {
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n')
                ) {
                    self.at += 1;
                }
                Some(())
            }
        }
    }
}

/// The byte offset of the value at `path` in a TOML text.
pub(crate) fn toml(text: &str, path: &[Seg]) -> Option<usize> {
    let doc = ::toml::de::DeTable::parse(text).ok()?;
    let (first, rest) = path.split_first()?;
    let Seg::Key(key) = first else { return None };
    let mut value = doc.get_ref().get(key.as_str())?;
    for seg in rest {
        value = match seg {
            Seg::Key(k) => value.get_ref().get(k.as_str())?,
            Seg::Index(i) => value.get_ref().get(*i)?,
        };
    }
    Some(value.span().start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_split() {
        assert_eq!(
            parse_path(r#"contacts[1].properties["a \"b"].x"#),
            Some(vec![
                Seg::Key("contacts".into()),
                Seg::Index(1),
                Seg::Key("properties".into()),
                Seg::Key("a \"b".into()),
                Seg::Key("x".into()),
            ])
        );
    }

    #[test]
    fn json_values_are_found() {
        let text = r#"{"a": [1, {"x": "]"}, {"b": true, "c": [3, 4]}], "d": -1.5e3, "e": null}"#;
        let at = |p: &str| json(text, &parse_path(p).unwrap()).map(|i| &text[i..]);
        assert!(at("a[2].c[1]").unwrap().starts_with("4]"));
        assert!(at("a[1].x").unwrap().starts_with(r#""]""#));
        assert!(at("e").unwrap().starts_with("null"));
        assert!(at("d").unwrap().starts_with("-1.5e3"));
        assert_eq!(at("a[5]"), None);
        assert_eq!(at("zz"), None);
    }

    #[test]
    fn toml_values_are_found() {
        let text = "[[users]]\nemail = \"a\"\n\n[[users]]\nemail = \"b\"\n";
        let i = toml(text, &parse_path("users[1].email").unwrap()).unwrap();
        assert!(text[i..].starts_with("\"b\""));
    }
}

//! Absolute http(s) IRIs as RFC 3987 (over RFC 3986) defines them, for the configured
//! endpoint, home page and activity base: a record store refuses a statement whose
//! `homePage` or activity id is not an IRI, so a value that is not one is refused before
//! anything is built from it. Stricter than the RFCs in three ways Attune needs: the scheme
//! is http or https, the host is not empty, and there is no user information (credentials
//! belong in key and secret), no query and no fragment (ids are built by appending paths).

use std::net::Ipv6Addr;

/// Checks `iri`; the error says what is wrong with it.
pub fn check_http_iri(iri: &str) -> Result<(), String> {
    let lower = iri
        .get(..8)
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let rest = if lower.starts_with("https://") {
        &iri[8..]
    } else if lower.starts_with("http://") {
        &iri[7..]
    } else {
        return Err("is not an absolute http:// or https:// IRI".into());
    };
    if let Some(c) = iri.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("has {} in it", describe(c)));
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, after) = rest.split_at(end);
    check_authority(authority)?;
    if after.contains(['?', '#']) {
        return Err(
            "has a query or a fragment (`?` or `#`); ids are built by appending to it".into(),
        );
    }
    check_chars(after, "the path", |c| is_ipchar(c) || c == '/')
}

/// `host [":" port]`, the host a registered name, an IPv4 address or an IP literal.
fn check_authority(authority: &str) -> Result<(), String> {
    if authority.contains('@') {
        return Err("has credentials in it; put them in key and secret".into());
    }
    let (host, port) = if let Some(literal) = authority.strip_prefix('[') {
        let Some((inside, after)) = literal.split_once(']') else {
            return Err("opens an IPv6 address with `[` and never closes it".into());
        };
        check_ip_literal(inside)?;
        (
            inside,
            after
                .strip_prefix(':')
                .or((!after.is_empty()).then_some(after)),
        )
    } else {
        match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if let Some(port) = port
        && !port.chars().all(|c| c.is_ascii_digit())
    {
        return Err(format!("has `{port}` where a port number goes"));
    }
    if host.is_empty() {
        return Err("has no host".into());
    }
    if !authority.starts_with('[') {
        if host.starts_with('.') || host.contains("..") {
            return Err(format!("has an empty label in the host `{host}`"));
        }
        check_chars(host, "the host", |c| is_iunreserved(c) || is_sub_delim(c))?;
    }
    Ok(())
}

/// `IPv6address` or `IPvFuture` (RFC 3986 section 3.2.2).
fn check_ip_literal(inside: &str) -> Result<(), String> {
    if let Some(future) = inside.strip_prefix(['v', 'V']) {
        let ok = future.split_once('.').is_some_and(|(version, rest)| {
            !version.is_empty()
                && version.chars().all(|c| c.is_ascii_hexdigit())
                && !rest.is_empty()
                && rest
                    .chars()
                    .all(|c| is_unreserved(c) || is_sub_delim(c) || c == ':')
        });
        return if ok {
            Ok(())
        } else {
            Err(format!("has `[{inside}]`, which is not an IP address"))
        };
    }
    // RFC 3986 has no zone ids; Rust's parser takes exactly the RFC's IPv6address forms.
    inside
        .parse::<Ipv6Addr>()
        .map(|_| ())
        .map_err(|_| format!("has `[{inside}]`, which is not an IPv6 address"))
}

/// Every character of `part` is allowed by `allowed` or is a well-formed `%XX`.
fn check_chars(part: &str, what: &str, allowed: impl Fn(char) -> bool) -> Result<(), String> {
    let mut chars = part.char_indices();
    while let Some((i, c)) = chars.next() {
        if c == '%' {
            let hex = part.get(i + 1..i + 3).unwrap_or("");
            if hex.len() != 2 || !hex.chars().all(|h| h.is_ascii_hexdigit()) {
                let shown: String = part[i..].chars().take(3).collect();
                return Err(format!(
                    "has `{shown}` in {what}, which is not a percent-encoding (`%` and two hex digits; write `%25` for a percent sign)"
                ));
            }
            chars.nth(1);
        } else if !allowed(c) {
            return Err(format!(
                "has {} in {what}, which an IRI cannot hold unencoded",
                describe(c)
            ));
        }
    }
    Ok(())
}

fn describe(c: char) -> String {
    if c == ' ' {
        "a space".into()
    } else if c.is_control() || c.is_whitespace() {
        format!("the character U+{:04X}", c as u32)
    } else {
        format!("`{c}`")
    }
}

fn is_unreserved(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~".contains(c)
}

fn is_sub_delim(c: char) -> bool {
    "!$&'()*+,;=".contains(c)
}

/// RFC 3987's `iunreserved`: unreserved ASCII or a `ucschar`.
fn is_iunreserved(c: char) -> bool {
    is_unreserved(c) || is_ucschar(c)
}

fn is_ipchar(c: char) -> bool {
    is_iunreserved(c) || is_sub_delim(c) || c == ':' || c == '@'
}

/// RFC 3987's `ucschar`: the non-ASCII characters an IRI may hold as they are.
fn is_ucschar(c: char) -> bool {
    let u = c as u32;
    matches!(u, 0xA0..=0xD7FF | 0xF900..=0xFDCF | 0xFDF0..=0xFFEF)
        || ((0x10000..=0xEFFFD).contains(&u) && (u & 0xFFFF) <= 0xFFFD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_http_iris_pass() {
        for good in [
            "https://uni.example",
            "https://uni.example/",
            "http://127.0.0.1:8100/xapi/",
            "http://[::1]:8100/xapi",
            "https://[2001:db8::7]/",
            "https://[v1.fe80::a+en1]/",
            "https://uni.example/students/caf%C3%A9",
            "https://université.example/étudiants",
            "HTTPS://Uni.Example/a;b=c/@d:e",
        ] {
            assert_eq!(check_http_iri(good), Ok(()), "{good}");
        }
    }

    #[test]
    fn values_that_are_not_absolute_http_iris_are_refused_with_the_reason() {
        for (bad, reason) in [
            ("x{y}", "not an absolute"),
            ("a|b", "not an absolute"),
            ("%zz", "not an absolute"),
            ("ftp://uni.example", "not an absolute"),
            ("https://uni.example/x{y}", "`{`"),
            ("https://uni.example/a|b", "`|`"),
            ("https://uni.example/%zz", "`%zz`"),
            ("https://uni.example/%4", "`%4`"),
            ("http://[::1", "never closes"),
            ("http://[::g]/", "not an IPv6"),
            ("http://[::1]x/", "port number"),
            ("https://uni.example:80a/", "port number"),
            ("https:///xapi", "no host"),
            ("https://.uni.example", "empty label"),
            ("https://u:p@uni.example/", "credentials"),
            ("https://uni.example/a b", "a space"),
            ("https://uni.example/\\", "`\\`"),
            ("https://uni.example/^", "`^`"),
            ("https://uni.example/\"", "`\"`"),
            ("https://uni.example/<a>", "`<`"),
            ("https://uni.example/`", "```"),
            ("https://uni.example/?q", "query"),
            ("https://uni.example/#f", "fragment"),
            ("https://uni{x}.example/", "the host"),
        ] {
            let e = check_http_iri(bad).expect_err(bad);
            assert!(e.contains(reason), "{bad}: {e}");
        }
    }
}
